"""Periodic jobs that heal themselves, and the worker that keeps them.

Each periodic job (`jobpaths.PERIODIC`: the sweep, the check-in job) schedules its next run
under its own id while it runs. If Redis loses its data (a restart without persistence, a
FLUSHALL, a failover), that chain is gone, and with it the sweep that would re-enqueue the
queued rows. So every worker checks, at each heartbeat (at least every
`PERIODIC_CHECK_INTERVAL` seconds, idle or busy), that each periodic job is queued, scheduled
or running, and enqueues the missing ones: recovery never waits for a worker restart.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from redis import Redis
from rq import Queue, Worker
from rq.registry import ScheduledJobRegistry, StartedJobRegistry

from .messaging import jobpaths
from .services import SCHEDULES, Services

log = logging.getLogger(__name__)

HEAL_LOCK = "jobline:periodic-jobs:check"  # one worker checks at a time


def _pending(redis: Redis, job_ids: list[str]) -> set[str]:
    """The ones of these periodic jobs that are scheduled, queued or running."""
    queued = set(Queue(SCHEDULES, connection=redis).get_job_ids())  # a short queue
    scheduled = ScheduledJobRegistry(SCHEDULES, connection=redis)  # type: ignore[no-untyped-call]
    started = StartedJobRegistry(SCHEDULES, connection=redis)
    return {job_id for job_id in job_ids
            if job_id in queued or job_id in started or job_id in scheduled}


def missing_periodic_jobs(redis: Redis) -> list[str]:
    """The ids of the periodic jobs that are neither scheduled, queued nor running."""
    job_ids = [job_id for job_id, _path, _interval in jobpaths.PERIODIC]
    pending = _pending(redis, job_ids)
    return [job_id for job_id in job_ids if job_id not in pending]


def ensure_periodic_jobs(svc: Services, settle: float = 0.2) -> list[str]:
    """Enqueue every periodic job that is missing; returns their ids.

    A job is looked for twice, `settle` seconds apart, before it counts as missing: between
    the scheduler moving it to the queue and a worker registering it as started there is a
    moment when it is in neither. A lock lets one worker at a time do this.
    """
    if not svc.redis.set(HEAL_LOCK, "1", nx=True, ex=30):
        return []
    try:
        missing = missing_periodic_jobs(svc.redis)
        if missing and settle:
            time.sleep(settle)
            missing = [job_id for job_id in missing_periodic_jobs(svc.redis) if job_id in missing]
        paths = {job_id: path for job_id, path, _interval in jobpaths.PERIODIC}
        for job_id in missing:
            svc.queue(SCHEDULES).enqueue(paths[job_id], job_id=job_id,
                                         result_ttl=jobpaths.PERIODIC_RESULT_TTL)
        return missing
    finally:
        svc.redis.delete(HEAL_LOCK)


class JoblineWorker(Worker):
    """An RQ worker that re-establishes missing periodic jobs as part of its heartbeat."""

    services: Services | None = None
    check_every: float = 10.0
    _last_check: float = 0.0

    def heartbeat(self, timeout: int | None = None, pipeline: Any = None) -> None:
        super().heartbeat(timeout, pipeline)
        if pipeline is not None or self.services is None:
            return
        if time.monotonic() - self._last_check < self.check_every:
            return
        self._last_check = time.monotonic()
        try:
            healed = ensure_periodic_jobs(self.services)
        except Exception:  # a Redis hiccup must not stop the worker; the next beat retries
            log.exception("could not check the periodic jobs")
            return
        if healed:
            log.warning("periodic jobs were missing (Redis lost its data?), enqueued again: %s",
                        ", ".join(healed))


def make_worker(svc: Services, queue_names: tuple[str, ...], keep_periodic: bool = True
                ) -> JoblineWorker:
    """A worker on these queues that (with `keep_periodic`; not a burst worker, which would
    then run them) checks the periodic jobs every `PERIODIC_CHECK_INTERVAL` seconds: it wakes
    from waiting for jobs that often, and from watching a running job."""
    interval = max(1, int(svc.settings["PERIODIC_CHECK_INTERVAL"]))
    worker = JoblineWorker([svc.queue(name) for name in queue_names], connection=svc.redis,
                           worker_ttl=interval + 15, job_monitoring_interval=interval)
    worker.services, worker.check_every = (svc if keep_periodic else None), interval
    return worker
