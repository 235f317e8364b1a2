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
from datetime import UTC, datetime, timedelta
from typing import Any

from redis import Redis
from rq import Queue, Worker
from rq.job import Job
from rq.registry import ScheduledJobRegistry, StartedJobRegistry
from rq.utils import as_text, parse_composite_key, utcparse

from .messaging import jobpaths
from .services import SCHEDULES, Services

log = logging.getLogger(__name__)

HEAL_LOCK = "jobline:periodic-jobs:check"  # one worker checks at a time
TAKEN_GRACE = timedelta(minutes=1)  # as RQ allows a job taken but not yet started


def _pending(redis: Redis, job_ids: list[str]) -> set[str]:
    """The ones of these periodic jobs that are scheduled, queued, taken or running.

    RQ moves a job between its lists in single transactions (the scheduler: scheduled to
    queued; a worker: queued to started), so they are read in one transaction too: read one
    by one, a job could move from one not yet read to one already read and look missing.
    "Taken": a worker that listens on several queues pops the job off its queue and calls
    its heartbeat (where this check runs) before it registers the job as started; in that
    moment the job is in no list, only its record says `queued`. Not counting it made each
    check enqueue the job the worker had just taken a second time. A record `queued` for
    longer than TAKEN_GRACE in no list belongs to a worker that died holding it: missing.
    """
    queue = Queue(SCHEDULES, connection=redis)
    scheduled = ScheduledJobRegistry(queue=queue)  # type: ignore[no-untyped-call]
    started = StartedJobRegistry(queue=queue)
    with redis.pipeline(transaction=True) as snapshot:  # all short
        snapshot.lrange(queue.key, 0, -1)
        snapshot.lrange(queue.intermediate_queue_key, 0, -1)  # a single-queue worker's
        snapshot.zrange(scheduled.key, 0, -1)
        snapshot.zrange(started.key, 0, -1)  # job_id:execution_id
        for job_id in job_ids:
            snapshot.hmget(Job.key_for(job_id), "status", "enqueued_at")
        waiting, taken, later, running, *records = snapshot.execute()
    present = {as_text(key) for key in (*waiting, *taken, *later)}
    present |= {parse_composite_key(as_text(key))[0] for key in running}
    since = datetime.now(UTC) - TAKEN_GRACE
    for job_id, (status, enqueued_at) in zip(job_ids, records, strict=True):
        if status and as_text(status) == "queued" and enqueued_at \
                and utcparse(as_text(enqueued_at)) > since:
            present.add(job_id)
    return {job_id for job_id in job_ids if job_id in present}


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
    from waiting for jobs that often, and from watching a running job. As often, between
    jobs, it runs RQ's maintenance, which takes over the scheduler of a worker that died."""
    interval = max(1, int(svc.settings["PERIODIC_CHECK_INTERVAL"]))
    # RQ's maintenance (every 10 minutes by default) is also when a worker takes over the
    # scheduler from one that died: its lock lapses after 61 s, but scheduled jobs (the
    # periodic chains, quiet-hours batches) then waited up to 10 minutes more, with queued
    # rows unsent. Run it at the check interval (it cleans a few registries; one at a time).
    worker = JoblineWorker([svc.queue(name) for name in queue_names], connection=svc.redis,
                           worker_ttl=interval + 15, job_monitoring_interval=interval,
                           maintenance_interval=interval)
    worker.services, worker.check_every = (svc if keep_periodic else None), interval
    return worker
