"""The conversation: USSD screens and SMS keywords as pure step functions.

This package imports no web, database, queue or provider library; `smsgateway`
feeds it input and applies the effects it returns.
"""
