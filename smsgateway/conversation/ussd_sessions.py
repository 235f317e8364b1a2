"""USSD sessions in Redis: what each session has seen and where it stands.

Africa's Talking sends the whole history in `text` (`1*2*Li*Ming`); a `*` the
villager typed cannot be told from the separator, so we keep the `text` already
seen and take only the new suffix. A session that drops mid-registration leaves
a snapshot under the phone for a few minutes so a redial can resume it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from redis import Redis

from menus.types import State


class OutOfStep(ValueError):
    """The gateway's `text` does not extend what this session already saw."""


class Busy(RuntimeError):
    """Another request of the same session held it for too long."""


LOCK_SECONDS = 15  # longer than Africa's Talking waits for an answer
WAIT_SECONDS = 12
ENDED_SECONDS = 86400  # how long a session's end notice is remembered (repeats do nothing)


@dataclass
class UssdSession:
    """One session's record: the text seen so far, the state, and the last screen shown."""

    phone: str
    seen: str
    state: State
    screen: str
    end: bool = False
    profile: dict[str, Any] | None = field(default=None)  # the caller's, for matching jobs

    def new_input(self, text: str) -> str | None:
        """The input added since the last request; None when it is a repeat of it."""
        if text == self.seen:
            return None
        if not self.seen:
            return text
        if text.startswith(self.seen + "*"):
            return text[len(self.seen) + 1:]
        raise OutOfStep(f"text does not extend the session's history ({len(text)} chars)")


class UssdSessions:
    """Load and save sessions (one request of a session at a time) and resume snapshots.

    Taking the session's lock and reading it is one round trip to Redis; saving it and
    letting the lock go is another.
    """

    def __init__(self, redis: Redis, ttl: int, resume_ttl: int) -> None:
        self.redis, self.ttl, self.resume_ttl = redis, ttl, resume_ttl
        self._held: set[str] = set()

    @contextmanager
    def turn(self, session_id: str) -> Iterator[UssdSession | None]:
        """Hold the session for one step; a repeat of the same request waits its turn."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            pipe = self.redis.pipeline(transaction=False)
            pipe.set(f"ussd:lock:{session_id}", 1, nx=True, ex=LOCK_SECONDS)
            pipe.get(f"ussd:session:{session_id}")
            acquired, raw = pipe.execute()
            if acquired:
                break
            if time.monotonic() > deadline:
                raise Busy(session_id)
            time.sleep(0.02)
        self._held.add(session_id)
        try:
            yield UssdSession(**json.loads(raw)) if raw else None
        finally:
            if session_id in self._held:  # not saved: an error, or nothing to save
                self._held.discard(session_id)
                self.redis.delete(f"ussd:lock:{session_id}")

    def save(self, session_id: str, session: UssdSession, resumable: bool) -> None:
        """Keep the record and the phone's resume snapshot (or drop it); let the lock go."""
        pipe = self.redis.pipeline(transaction=False)
        # vars(): the dataclass's fields as they are (asdict would deep-copy the state first)
        pipe.set(f"ussd:session:{session_id}", json.dumps(vars(session)), ex=self.ttl)
        if resumable and not session.end:
            pipe.set(f"ussd:resume:{session.phone}", json.dumps(session.state),
                     ex=self.resume_ttl)
        else:
            pipe.delete(f"ussd:resume:{session.phone}")
        pipe.delete(f"ussd:lock:{session_id}")
        pipe.execute()
        self._held.discard(session_id)

    def record(self, session_id: str) -> UssdSession | None:
        """A session's record as its last step left it (None: unknown or expired)."""
        raw = self.redis.get(f"ussd:session:{session_id}")
        return UssdSession(**json.loads(raw)) if raw else None

    def first_end_notice(self, session_id: str) -> bool:
        """True the first time the gateway says this session ended; False for a repeat."""
        return bool(self.redis.set(f"ussd:ended:{session_id}", 1, nx=True, ex=ENDED_SECONDS))

    def keep_snapshot(self, phone: str, seconds: int) -> bool:
        """Keep the phone's resume snapshot `seconds` longer; False when there is none (the
        villager redialled already, or it expired)."""
        return bool(self.redis.expire(f"ussd:resume:{phone}", seconds))

    def drop_snapshot(self, phone: str) -> None:
        """Forget the phone's resume snapshot (the registration was finished another way)."""
        self.redis.delete(f"ussd:resume:{phone}")

    def take_snapshot(self, phone: str) -> dict[str, Any] | None:
        """The state a dropped session left for this phone, removed as it is taken."""
        raw = self.redis.getdel(f"ussd:resume:{phone}")
        return json.loads(raw) if raw else None
