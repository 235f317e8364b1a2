"""Check-ins after departure: a periodic job, kept scheduled like the sweep.

Why a periodic job and not RQ scheduled jobs per check-in: see `smsgateway.followup.checkins`.
"""

from __future__ import annotations

from datetime import datetime

from smsgateway.db import utcnow
from smsgateway.followup import checkins
from smsgateway.jobcontext import jobline
from smsgateway.messaging import jobpaths

from .periodic import run_then_reschedule


def run(now: datetime | None = None) -> dict[str, int]:
    """Send due check-ins and reminders, flag the unanswered, as of `now` (default: now)."""
    svc = jobline()
    with svc.sessions.begin() as db:
        return checkins.run(db, now or utcnow(), svc.settings)


def run_and_reschedule() -> dict[str, int]:
    """Run, then schedule the next run."""
    return run_then_reschedule(run, jobpaths.CHECKINS_JOB_ID)
