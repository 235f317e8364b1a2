"""Dotted paths of the worker jobs: `smsgateway` enqueues by name and never imports `workers`."""

SEND_MESSAGE = "workers.sending.send_message"

ALL = (SEND_MESSAGE,)
