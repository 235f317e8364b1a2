"""The monthly pay check: a periodic job, kept scheduled like the check-ins.

What it asks and when: see `smsgateway.followup.paychecks`.
"""

from __future__ import annotations

from datetime import datetime

from smsgateway.db import utcnow
from smsgateway.followup import paychecks
from smsgateway.jobcontext import jobline
from smsgateway.messaging import jobpaths

from .periodic import run_then_reschedule


def run(now: datetime | None = None) -> dict[str, int]:
    """Ask the pay checks due and remind the unanswered, as of `now` (default: now)."""
    svc = jobline()
    with svc.sessions.begin() as db:
        return paychecks.run(db, now or utcnow(), svc.settings)


def run_and_reschedule() -> dict[str, int]:
    """Run, then schedule the next run."""
    return run_then_reschedule(run, jobpaths.PAY_CHECKS_JOB_ID)
