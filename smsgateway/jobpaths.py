"""Dotted paths of the worker jobs: `smsgateway` enqueues by name and never imports `workers`."""

SEND_MESSAGE = "workers.sending.send_message"
SEND_JOB_ALERTS = "workers.alerts.send_job_alerts"
SEND_JOB_ALERT_BATCH = "workers.alerts.send_job_alert_batch"

SWEEP = "workers.sweep.sweep_and_reschedule"
SEND_BATCH = "workers.sending.send_batch"
FAN_OUT = "workers.broadcasts.fan_out"

# Departures and check-ins (issue 5)
DEPARTURE_REMINDER = "workers.departures.send_reminder"
CHECKINS = "workers.checkins.run_and_reschedule"

ALL = (SEND_MESSAGE, SEND_JOB_ALERTS, SEND_JOB_ALERT_BATCH, SWEEP, SEND_BATCH, FAN_OUT,
       DEPARTURE_REMINDER, CHECKINS)
