"""A messages-per-second limit that holds across every worker, kept in Redis."""

from __future__ import annotations

import time
from collections.abc import Callable

from redis import Redis


class SendRate:
    """At most `per_second` sends in any wall-clock second, counted in Redis by all workers.

    Each send takes a ticket for the current second (INCR of a key that expires); a
    worker whose ticket is beyond the limit waits for the next second and tries again.
    """

    def __init__(self, redis: Redis, per_second: int, clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.redis, self.per_second = redis, per_second
        self.clock, self.sleep = clock, sleep

    def wait_for_turn(self) -> None:
        """Return once this process may send one message."""
        if self.per_second <= 0:  # no limit configured
            return
        while True:
            now = self.clock()
            second = int(now)
            key = f"throttle:send:{second}"
            pipe = self.redis.pipeline()
            pipe.incr(key)
            pipe.expire(key, 5)
            ticket = pipe.execute()[0]
            if ticket <= self.per_second:
                return
            self.sleep(max(second + 1 - now, 0.001))
