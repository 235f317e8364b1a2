"""Console sign-in: passwords kept as strong hashes, and failed attempts slowed down.

Passwords are hashed with werkzeug's scrypt (`generate_password_hash`), salted per user.
Failed sign-ins are counted in Redis per account name and per client address: past a few
free attempts, each further failure makes the next attempt wait twice as long (2 s, 4 s, 8 s…,
at most 15 minutes). While an account or an address waits, no password is checked at all,
so waiting is the only way on; a success clears the account's count.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..models import User

MIN_PASSWORD = 10  # characters
WINDOW = 900  # seconds a failure is remembered (after its wait)
MAX_WAIT = 900  # seconds
BASE_WAIT = 2  # seconds: the first wait; each further failure doubles it
FREE = {"name": 3, "ip": 10}  # failures allowed before waits start, per account, per address
# Checked when the account does not exist, so that an unknown name takes as long as a known
# one (nothing tells which part was wrong).
_DUMMY_HASH = generate_password_hash("not a password of anyone", method="scrypt")


def hash_password(password: str) -> str:
    """The stored form of a password."""
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"a password needs at least {MIN_PASSWORD} characters")
    return generate_password_hash(password, method="scrypt")


def check(session: Session, name: str, password: str) -> User | None:
    """The account with this name and password, or None (same work either way)."""
    user = session.scalars(select(User).where(User.name == name.strip())).first()
    stored = user.password_hash if user is not None else None
    ok = check_password_hash(stored or _DUMMY_HASH, password)
    return user if ok and stored else None


@dataclass
class Guard:
    """Counts failed sign-ins in Redis and says how long the next attempt must wait."""

    redis: Redis
    clock: Callable[[], float] = time.time

    @staticmethod
    def _keys(name: str, address: str) -> dict[str, str]:
        return {"name": f"signin:fails:name:{name.strip().casefold()}",
                "ip": f"signin:fails:ip:{address}"}

    def wait(self, name: str, address: str) -> int:
        """Whole seconds before this account or address may try again (0: now)."""
        now, left = self.clock(), 0.0
        for key in self._keys(name, address).values():
            until = self.redis.hget(key, "until")
            if until is not None:
                left = max(left, float(until) - now)
        return int(left + 0.999) if left > 0 else 0

    def failed(self, name: str, address: str) -> int:
        """Count a failure; returns the wait it imposes (seconds, 0: none yet)."""
        longest = 0
        for kind, key in self._keys(name, address).items():
            failures = int(self.redis.hincrby(key, "n", 1))
            over = failures - FREE[kind]
            wait = min(BASE_WAIT * 2 ** (over - 1), MAX_WAIT) if over > 0 else 0
            pipe = self.redis.pipeline()
            pipe.hset(key, "until", self.clock() + wait)
            pipe.expire(key, WINDOW + wait)
            pipe.execute()
            longest = max(longest, wait)
        return longest

    def succeeded(self, name: str, address: str) -> None:
        """The account signed in: its failures are forgotten (the address's are not)."""
        self.redis.delete(self._keys(name, address)["name"])
