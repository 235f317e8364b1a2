"""Rate: broadcast throughput at the send-rate limit with TWO worker processes.

N queued outbox rows (1000; --quick 300) as `workers.sending.send_batch` jobs of 100 ids,
sent by two burst workers (built as `jobline worker --burst` builds them) with
SMS_PROVIDER=twilio (the real SDK) and SEND_RATE=--rate (default 50) against a local
threaded Twilio-like server, which timestamps every request.
Printed: the throughput, as a share of the limit, and the most requests the server saw in
any sliding one-second window (exactly, and allowing 50 ms of bunching in transit: the
limit admits each send in Redis just before its request, which then takes its own time).
Throughput: N over (last request - first request + 1 s); a sliding-window limit lets the
first second's sends go at once, so that is the most a perfect limiter reaches.
Target (issue 12): throughput >= 95% of the limit; no one-second window over the limit.
"""

from __future__ import annotations

import json
import sys
import time

import _common as c
from sending import CHUNK, FROM, OUR_WORKER, SID, TOKEN, Provider, seed


class TimedProvider(Provider):
    """The bench provider, keeping each request's arrival time."""

    def __init__(self) -> None:
        self.arrivals: list[float] = []
        super().__init__()

    def app(self, environ: dict, start_response):  # type: ignore[no-untyped-def]
        self.arrivals.append(time.perf_counter())
        return super().app(environ, start_response)


def busiest(arrivals: list[float], window: float) -> int:
    """The most arrivals within any `window` seconds."""
    times, most, first = sorted(arrivals), 0, 0
    for last, t in enumerate(times):
        while t - times[first] >= window:
            first += 1
        most = max(most, last - first + 1)
    return most


def main() -> None:
    args = c.arguments(__doc__, messages={"type": int, "help": "messages (default 1000; 300 "
                                          "with --quick)"},
                       rate={"type": int, "default": 50, "help": "SEND_RATE (default 50)"})
    n, rate = args.messages or (300 if args.quick else 1000), args.rate
    from redis import Redis
    from rq import Queue

    with c.temp_dir() as folder, c.redis_server(folder) as redis_url:
        url = c.database(folder, args.database_url)
        ids = seed(url, n)
        provider, redis = TimedProvider(), Redis.from_url(redis_url)
        Queue("messages", connection=redis).enqueue_many(
            [Queue.prepare_data("workers.sending.send_batch", (ids[i:i + CHUNK],))
             for i in range(0, n, CHUNK)])
        settings = {"DATABASE_URL": url, "REDIS_URL": redis_url, "SECRET_KEY": "bench",
                    "SMS_PROVIDER": "twilio", "TWILIO_API_BASE": provider.url,
                    "TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": TOKEN,
                    "TWILIO_FROM": FROM, "SEND_RATE": rate, "QUIET_HOURS": ""}
        print(f"Sending {n} messages with two workers at SEND_RATE={rate} to a local "
              f"Twilio-like server; database {url.split(':')[0]}")
        worker = [sys.executable, "-c", OUR_WORKER, json.dumps(settings)]
        with c.process(worker, folder / "worker-1.log") as one, \
                c.process(worker, folder / "worker-2.log") as two:
            c.wait_for(lambda: provider.count >= n or (one.poll() is not None
                                                       and two.poll() is not None),
                       60 + 2 * n / rate, "the workers to send everything", every=0.02)
            one.wait(30)
            two.wait(30)
        if provider.count != n:
            raise SystemExit(f"the provider saw {provider.count} requests, not {n}:\n"
                             f"{c.tail(folder / 'worker-1.log')}")
    span = max(provider.arrivals) - min(provider.arrivals)
    throughput = n / (span + 1.0)
    exact, bunched = busiest(provider.arrivals, 1.0), busiest(provider.arrivals, 0.95)
    share = throughput / rate
    print(f"  throughput {throughput:7.2f} msg/s = {share:6.1%} of the limit ({rate}/s)")
    print(f"  busiest sliding second: {exact} requests ({bunched} allowing 50 ms of transit)")
    print(f"  target: >= 95% of the limit, no window over it: "
          f"{c.verdict(share >= 0.95 and bunched <= rate)}")


if __name__ == "__main__":
    main()
