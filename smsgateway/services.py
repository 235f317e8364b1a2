"""What a request or a job needs from the outside world, built once per app."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from redis import Redis
from rq import Queue
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from .db import make_engine, make_session_factory
from .messaging.gateways.registry import SENDERS

# Served in this order. `schedules` first: the periodic jobs (the sweep, check-ins) and the
# scheduled reminders are few and short, and recovery must never wait behind bulk sends.
SCHEDULES = "schedules"
QUEUE_NAMES = (SCHEDULES, "messages", "broadcasts", "default")


@dataclass
class Services:
    """The engine, sessions, Redis and queues of one app; nothing connects until used."""

    settings: dict[str, Any]
    engine: Engine
    sessions: sessionmaker[Any]
    readers: sessionmaker[Any]  # sessions for transactions that only read
    redis: Redis
    _senders: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, settings: dict[str, Any]) -> Services:
        """Services for these settings."""
        engine = make_engine(settings["DATABASE_URL"])
        return cls(settings, engine, make_session_factory(engine),
                   make_session_factory(engine, reads_only=True),
                   Redis.from_url(settings["REDIS_URL"], socket_timeout=5))

    def queue(self, name: str = "messages") -> Queue:
        """One of the project's RQ queues."""
        return Queue(name, connection=self.redis)

    def sender(self, channel: str) -> Any:
        """The sender for a channel, built on first use and kept."""
        if channel not in self._senders:
            self._senders[channel] = SENDERS[channel](self.settings)
        return self._senders[channel]


def services(app: Flask | None = None) -> Services:
    """The services of `app`, or of the current app."""
    return (app or current_app).extensions["jobline"]  # type: ignore[no-any-return]
