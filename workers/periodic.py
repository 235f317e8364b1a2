"""Jobs that run every so often: each run schedules the next under the job's own id, so any
number of workers keep one schedule between them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from smsgateway.jobcontext import jobline
from smsgateway.messaging import jobpaths
from smsgateway.services import SCHEDULES

T = TypeVar("T")


def run_then_reschedule(work: Callable[[], T], job_id: str) -> T:
    """Run `work`, then (whatever happened) enqueue the periodic job `job_id` again after its
    interval setting's seconds (`jobpaths.PERIODIC`), on the schedules queue, its record kept
    until that run replaces it."""
    svc = jobline()
    [(path, interval)] = [(p, i) for j, p, i in jobpaths.PERIODIC if j == job_id]
    try:
        return work()
    finally:
        svc.queue(SCHEDULES).enqueue_in(timedelta(seconds=svc.settings[interval]), path,
                                        job_id=job_id, result_ttl=jobpaths.PERIODIC_RESULT_TTL)
