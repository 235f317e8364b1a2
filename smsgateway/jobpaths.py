"""Dotted paths of the worker jobs: `smsgateway` enqueues by name and never imports `workers`."""

SEND_MESSAGE = "workers.sending.send_message"
SEND_JOB_ALERTS = "workers.alerts.send_job_alerts"
SEND_JOB_ALERT_BATCH = "workers.alerts.send_job_alert_batch"

SWEEP = "workers.sweep.sweep_and_reschedule"

ALL = (SEND_MESSAGE, SEND_JOB_ALERTS, SEND_JOB_ALERT_BATCH, SWEEP)
