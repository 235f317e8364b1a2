"""Every Prometheus metric of Jobline, defined once (`prometheus-client`).

Counters and histograms are kept where things happen (the send job, the webhooks, the USSD
step); the gauges are read at scrape time from the database and Redis (`AtScrape`). With
`PROMETHEUS_MULTIPROC_DIR` set (it must be set before the process starts), every process
(gunicorn's web processes, each worker and its work-horses) writes its values to files there
and a scrape adds them up; without it a process serves its own values only (enough for one
web process with no separate worker). No Flask here: the send job imports it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from rq import Worker
from sqlalchemy import func, select

from .models import Message, MessageStatus
from .services import QUEUE_NAMES, Services

MESSAGES = Counter("jobline_messages", "Messages settled by the send job",
                   ["kind", "provider", "status"])
WEBHOOK_SECONDS = Histogram("jobline_webhook_seconds",
                            "Seconds a provider's webhook (SMS, USSD, WeChat) took", ["route"])
SEND_SECONDS = Histogram("jobline_send_seconds", "Seconds a provider's send call took",
                         ["provider"])
USSD_STEPS = Counter("jobline_ussd_steps", "USSD steps answered, by result (con, end, error)",
                     ["result"])


def queue_depths(svc: Services) -> dict[str, int]:
    """Jobs waiting in each of the project's RQ queues."""
    return {name: svc.queue(name).count for name in QUEUE_NAMES}


def workers_alive(svc: Services) -> int:
    """RQ workers registered and not yet expired."""
    return int(Worker.count(connection=svc.redis))


class AtScrape(Collector):
    """The gauges read when scraped: the outbox's queued rows, the queues, the workers."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc

    def collect(self) -> Iterator[Metric]:
        with self.svc.readers() as db:
            waiting = db.scalar(select(func.count()).select_from(Message)
                                .where(Message.status == MessageStatus.QUEUED)) or 0
        yield GaugeMetricFamily("jobline_outbox_waiting", "Outbox rows queued to be sent",
                                value=waiting)
        queues = GaugeMetricFamily("jobline_queue_jobs", "Jobs waiting in an RQ queue",
                                   labels=["queue"])
        for name, depth in queue_depths(self.svc).items():
            queues.add_metric([name], depth)
        yield queues
        yield GaugeMetricFamily("jobline_workers", "RQ workers alive",
                                value=workers_alive(self.svc))


class _ThisProcess(Collector):
    """This process's own metrics (no multiprocess directory)."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def scrape(svc: Services) -> bytes:
    """The metrics in Prometheus's text format: every process's, added up, when
    `PROMETHEUS_MULTIPROC_DIR` is set; this process's otherwise; and the gauges read now."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_ThisProcess())
    registry.register(AtScrape(svc))
    return generate_latest(registry)
