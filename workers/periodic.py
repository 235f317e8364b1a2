"""Jobs that run every so often: each run schedules the next under the job's own id, so any
number of workers keep one schedule between them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from smsgateway.jobcontext import jobline
from smsgateway.messaging import jobpaths

T = TypeVar("T")


def run_then_reschedule(work: Callable[[], T], path: str, job_id: str, interval: str) -> T:
    """Run `work`, then (whatever happened) enqueue `path` again after the `interval`
    setting's seconds, under `job_id`, its record kept until that run replaces it."""
    svc = jobline()
    try:
        return work()
    finally:
        svc.queue("default").enqueue_in(timedelta(seconds=svc.settings[interval]), path,
                                        job_id=job_id, result_ttl=jobpaths.PERIODIC_RESULT_TTL)
