"""Send rates that hold across every worker: a sliding one-second window kept in Redis.

`SEND_RATE` bounds all sends together; `PROVIDER_RATE` (e.g. `twilio=1,africastalking=50`)
bounds each provider's (a Twilio long code takes 1 message a second, a short code 100). Each
send takes a place in a sorted set of the last second's sends, for all workers and for its
provider, in one Lua script, so that in ANY one-second window (not only a calendar second)
no more than the limit leave; a worker with no place sleeps until the oldest place frees.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from redis import Redis

WINDOW = 1.0  # seconds
ALL_KEY = "throttle:send:all"
LOG_KEY = "throttle:log"  # a stream of the last ~10,000 sends let through: when, which limits

# KEYS: the log, then one sorted set per limit; ARGV: now (negative: Redis's own clock),
# window, a unique member, then one limit per sorted set. Returns 0 when a place was taken in
# every window (and logged), else the seconds until the fullest window frees one (nothing
# taken).
_TAKE = """
local now = tonumber(ARGV[1])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local window = tonumber(ARGV[2])
local wait = 0
local limits = {unpack(KEYS, 2)}
for i, key in ipairs(limits) do
  local limit = tonumber(ARGV[3 + i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) >= limit then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    local free = tonumber(oldest[2]) + window - now
    if free > wait then wait = free end
  end
end
if wait > 0 then return tostring(wait) end
for i, key in ipairs(limits) do
  redis.call('ZADD', key, now, ARGV[3] .. ':' .. i)
  redis.call('EXPIRE', key, 5)
end
redis.call('XADD', KEYS[1], 'MAXLEN', '~', 10000, '*', 'at', string.format('%.6f', now),
           'limits', table.concat(limits, ','))
return '0'
"""


def provider_rates(spec: str | None) -> dict[str, int]:
    """`"twilio=1,africastalking=50"` → {"twilio": 1, "africastalking": 50}; a ValueError
    naming the setting when a part is not `name=number`."""
    rates: dict[str, int] = {}
    for part in (p.strip() for p in (spec or "").split(",") if p.strip()):
        name, _, number = part.partition("=")
        if not name.strip() or not number.strip().isdigit():
            raise ValueError(f"PROVIDER_RATE: {part!r} is not like twilio=1")
        rates[name.strip()] = int(number)
    return rates


class SendRate:
    """At most `per_second` sends (all providers) and `per_provider[name]` sends of a provider
    in any one-second window, counted in Redis by all workers."""

    def __init__(self, redis: Redis, per_second: int,
                 clock: Callable[[], float] | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 per_provider: Mapping[str, int] | None = None) -> None:
        self.redis, self.per_second = redis, per_second
        self.per_provider = dict(per_provider or {})
        self.clock, self.sleep = clock, sleep  # no clock: Redis's, the same for every worker
        self._take: Any = redis.register_script(_TAKE)

    @classmethod
    def from_settings(cls, redis: Redis, settings: Mapping[str, Any]) -> SendRate:
        return cls(redis, int(settings["SEND_RATE"]),
                   per_provider=provider_rates(settings.get("PROVIDER_RATE")))

    def wait_for_turn(self, provider: str | None = None) -> None:
        """Return once this process may send one message (through `provider`)."""
        keys, limits = [], []
        if self.per_second > 0:
            keys.append(ALL_KEY)
            limits.append(self.per_second)
        if provider and self.per_provider.get(provider, 0) > 0:
            keys.append(f"throttle:send:{provider}")
            limits.append(self.per_provider[provider])
        if not keys:  # no limit configured
            return
        member = uuid.uuid4().hex
        while True:
            now = self.clock() if self.clock is not None else -1
            wait = float(self._take(keys=[LOG_KEY, *keys], args=[now, WINDOW, member, *limits]))
            if wait <= 0:
                return
            self.sleep(max(wait, 0.001))
