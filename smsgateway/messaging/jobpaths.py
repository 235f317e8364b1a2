"""Dotted paths of the worker jobs: `smsgateway` enqueues by name and never imports `workers`."""

SEND_MESSAGE = "workers.sending.send_message"
SEND_JOB_ALERTS = "workers.alerts.send_job_alerts"
SEND_JOB_ALERT_BATCH = "workers.alerts.send_job_alert_batch"

SWEEP = "workers.sweep.sweep_and_reschedule"
# A periodic job schedules its next run under its own id while it runs, so when the run
# ends RQ would put the finished run's result TTL (default 500 s) on the next run's record;
# longer than that before the next run (CHECKIN_INTERVAL is 900 s) and the scheduler finds
# no job and drops it: the chain stops. -1 keeps the record until the next run replaces it.
PERIODIC_RESULT_TTL = -1
SEND_BATCH = "workers.sending.send_batch"
FAN_OUT = "workers.broadcasts.fan_out"

# Training
SEND_TRAINING_NOTICES = "workers.trainings.send_training_notices"
SEND_TRAINING_NOTICE_BATCH = "workers.trainings.send_training_notice_batch"
SEND_TRAINING_REMINDER = "workers.trainings.send_training_reminder"
TRAINING = (SEND_TRAINING_NOTICES, SEND_TRAINING_NOTICE_BATCH, SEND_TRAINING_REMINDER)
# Departures and check-ins
DEPARTURE_REMINDER = "workers.departures.send_reminder"
CHECKINS = "workers.checkins.run_and_reschedule"
# Personal data: inbound bodies older than RETENTION_DAYS
RETENTION = "workers.retention.purge_and_reschedule"
# Cohorts: team reports asked, chased and listed; unanswered arrivals noticed
COHORTS = "workers.cohorts.run_and_reschedule"

# The periodic jobs, the one list of them: (job id, path, setting of seconds between runs).
# Each run schedules the next under its id; any worker re-establishes a missing one
# (`smsgateway.periodic_jobs`), so they survive a Redis that lost its data.
SWEEP_JOB_ID = "jobline-sweep"
CHECKINS_JOB_ID = "jobline-checkins"
RETENTION_JOB_ID = "jobline-retention"
# Recruitment days: invitations (fanned out like job alerts) and the reminders' periodic job
SEND_INTERVIEW_INVITATIONS = "workers.interviews.send_invitations"
SEND_INTERVIEW_INVITATION_BATCH = "workers.interviews.send_invitation_batch"
INTERVIEW_REMINDERS = "workers.interviews.remind_and_reschedule"
INTERVIEWS_JOB_ID = "jobline-interviews"
COHORTS_JOB_ID = "jobline-cohorts"
# Pay checks (followup/paychecks.py): a periodic job like the check-ins
PAY_CHECKS = "workers.paychecks.run_and_reschedule"
PAY_CHECKS_JOB_ID = "jobline-pay-checks"

PERIODIC: tuple[tuple[str, str, str], ...] = (
    (SWEEP_JOB_ID, SWEEP, "SWEEP_INTERVAL"),
    (CHECKINS_JOB_ID, CHECKINS, "CHECKIN_INTERVAL"),
    (RETENTION_JOB_ID, RETENTION, "RETENTION_INTERVAL"),
    (COHORTS_JOB_ID, COHORTS, "COHORT_INTERVAL"),
    (PAY_CHECKS_JOB_ID, PAY_CHECKS, "PAY_CHECK_INTERVAL"),
    (INTERVIEWS_JOB_ID, INTERVIEW_REMINDERS, "INTERVIEW_INTERVAL"),
)

ALL = (SEND_MESSAGE, SEND_JOB_ALERTS, SEND_JOB_ALERT_BATCH, SWEEP, SEND_BATCH, FAN_OUT,
       *TRAINING, DEPARTURE_REMINDER, CHECKINS, RETENTION, COHORTS, PAY_CHECKS,
       SEND_INTERVIEW_INVITATIONS, SEND_INTERVIEW_INVITATION_BATCH, INTERVIEW_REMINDERS)
