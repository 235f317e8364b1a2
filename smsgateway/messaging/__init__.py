"""Getting a message out and knowing what became of it: the outbox, delivery reports, the send
rate, the workers' job paths, and one module per SMS gateway under `gateways/`."""
