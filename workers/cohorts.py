"""Cohorts: team reports asked, chased and listed, and unanswered arrivals noticed (the
family asked): a periodic job, kept scheduled like the check-in job."""

from __future__ import annotations

from datetime import datetime

from smsgateway.db import utcnow
from smsgateway.followup import cohorts
from smsgateway.jobcontext import jobline
from smsgateway.messaging import jobpaths

from .periodic import run_then_reschedule


def run(now: datetime | None = None) -> dict[str, int]:
    """Everything due as of `now` (default: now)."""
    svc = jobline()
    with svc.sessions.begin() as db:
        return cohorts.run(db, now or utcnow(), svc.settings)


def run_and_reschedule() -> dict[str, int]:
    """Run, then schedule the next run."""
    return run_then_reschedule(run, jobpaths.COHORTS_JOB_ID)
