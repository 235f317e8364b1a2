"""The retention job: personal data kept no longer than RETENTION_DAYS (a periodic job, kept
scheduled like the sweep). USSD sessions live in Redis and expire within a day by themselves."""

from __future__ import annotations

from datetime import datetime

from smsgateway.db import utcnow
from smsgateway.jobcontext import jobline
from smsgateway.messaging import jobpaths
from smsgateway.villagers import erasure

from .periodic import run_then_reschedule


def purge(now: datetime | None = None) -> dict[str, int]:
    """Blank what is older than RETENTION_DAYS as of `now` (default: now)."""
    svc = jobline()
    with svc.sessions.begin() as db:
        return erasure.purge(db, now or utcnow(), svc.settings["RETENTION_DAYS"])


def purge_and_reschedule() -> dict[str, int]:
    """Purge, then schedule the next run."""
    return run_then_reschedule(purge, jobpaths.RETENTION_JOB_ID)
