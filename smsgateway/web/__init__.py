"""The HTTP edges that providers call (SMS and USSD webhooks) and the health check."""
