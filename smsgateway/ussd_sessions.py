"""USSD sessions in Redis: what each session has seen and where it stands.

Africa's Talking sends the whole history in `text` (`1*2*Li*Ming`); a `*` the
villager typed cannot be told from the separator, so we keep the `text` already
seen and take only the new suffix. A session that drops mid-registration leaves
a snapshot under the phone for a few minutes so a redial can resume it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from redis import Redis

from menus.types import State


class OutOfStep(ValueError):
    """The gateway's `text` does not extend what this session already saw."""


@dataclass
class UssdSession:
    """One session's record: the text seen so far, the state, and the last screen shown."""

    phone: str
    seen: str
    state: State
    screen: str
    end: bool = False

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
    """Load and save sessions and resume snapshots."""

    def __init__(self, redis: Redis, ttl: int, resume_ttl: int) -> None:
        self.redis, self.ttl, self.resume_ttl = redis, ttl, resume_ttl

    def load(self, session_id: str) -> UssdSession | None:
        """The session's record, if it is still alive."""
        raw = self.redis.get(f"ussd:session:{session_id}")
        return UssdSession(**json.loads(raw)) if raw else None

    def save(self, session_id: str, session: UssdSession, resumable: bool) -> None:
        """Keep the record; keep (or drop) the phone's resume snapshot with it."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.set(f"ussd:session:{session_id}", json.dumps(asdict(session)), ex=self.ttl)
        if resumable and not session.end:
            pipe.set(f"ussd:resume:{session.phone}", json.dumps(session.state), ex=self.resume_ttl)
        else:
            pipe.delete(f"ussd:resume:{session.phone}")
        pipe.execute()

    def take_snapshot(self, phone: str) -> dict[str, Any] | None:
        """The state a dropped session left for this phone, removed as it is taken."""
        raw = self.redis.getdel(f"ussd:resume:{phone}")
        return json.loads(raw) if raw else None
