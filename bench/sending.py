"""Sending: messages per second ONE worker process sends to a provider that answers at once.

Ours: N queued outbox rows (1000; --quick 300) as `workers.sending.send_batch` jobs of 100
ids on `messages`, run by one burst worker built as `jobline worker --burst` builds it,
with SMS_PROVIDER=twilio (the real SDK), SEND_RATE=0 and no quiet hours, against a local
threaded server answering Twilio's Messages JSON 201. Without `send_batch`, one
`workers.sending.send_message` job per row (the output says so).
Floor, same run and server: RQ's default Worker, one job per message, each a minimal
function that POSTs to the server with `requests`.
The rate is counted by the server from its first request to its last (worker start-up
excluded); the wall time from starting the worker until all are sent is printed too.
Target: ours >= 3x the floor.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import _common as c

CHUNK = 100
SID, TOKEN, FROM = "AC" + "0" * 32, "bench-auth-token", "+15005550006"
MESSAGES = f"/2010-04-01/Accounts/{SID}/Messages.json"

# The floor's job, and RQ's default (forking) Worker with it imported once before forking
# (`rq worker` would import it and `requests` again in every work-horse: ~0.1 s a job).
FLOOR_JOBS = '''
import requests

def post(i):
    answer = requests.post("{url}", auth=("{sid}", "{token}"), timeout=10,
                           data={{"To": "+86139%08d" % i, "From": "{sender}", "Body": "floor"}})
    answer.raise_for_status()
    return answer.json()["sid"]
'''
FLOOR_WORKER = '''
import sys
from redis import Redis
from rq import Queue, Worker
sys.path.insert(0, sys.argv[2])
import floor_jobs
redis = Redis.from_url(sys.argv[1])
Worker([Queue("floor", connection=redis)], connection=redis).work(burst=True)
'''

# `jobline worker --burst`, with settings given as JSON (an empty QUIET_HOURS cannot be
# given through the environment, where an empty value means the default).
OUR_WORKER = '''
import json, sys
from rq import Worker
from smsgateway import create_app, jobcontext
from smsgateway.services import QUEUE_NAMES, services
app = create_app(json.loads(sys.argv[1]))
jobcontext.install(app)
svc = services(app)
Worker([svc.queue(n) for n in QUEUE_NAMES], connection=svc.redis).work(burst=True,
                                                                       with_scheduler=True)
'''


class Provider:
    """A threaded local server answering like Twilio's Messages resource; counts requests."""

    def __init__(self) -> None:
        from werkzeug.serving import WSGIRequestHandler, make_server

        class KeepAlive(WSGIRequestHandler):
            protocol_version = "HTTP/1.1"

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self.lock, self.count, self.first, self.last = threading.Lock(), 0, 0.0, 0.0
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True,
                                  request_handler=KeepAlive)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def app(self, environ: dict, start_response):  # type: ignore[no-untyped-def]
        from urllib.parse import parse_qs

        size = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()}
        with self.lock:
            now = time.perf_counter()
            self.count += 1
            self.first = self.first or now
            self.last = now
            n = self.count
        body = json.dumps({"sid": f"SM{n:032x}", "account_sid": SID, "to": form.get("To"),
                           "body": form.get("Body"), "status": "queued"}).encode()
        start_response("201 Created", [("Content-Type", "application/json"),
                                        ("Content-Length", str(len(body)))])
        return [body]

    def rate(self) -> float:
        return (self.count - 1) / (self.last - self.first) if self.count > 1 else 0.0


def seed(url: str, n: int) -> list[int]:
    """N contacts and one queued Twilio message to each (Core inserts); the message ids."""
    from sqlalchemy import insert, select

    from smsgateway.db import make_engine, utcnow
    from smsgateway.models import Contact, Message

    engine, now = make_engine(url), utcnow()
    with engine.begin() as db:
        db.execute(insert(Contact), [{"id": i, "phone": f"+86139{i:08d}", "language": "zh",
                                      "opted_out": False, "created_at": now}
                                     for i in range(1, n + 1)])
        db.execute(insert(Message), [
            {"contact_id": i, "phone": f"+86139{i:08d}", "body": f"Jobline bench message {i}",
             "segments": 1, "kind": "bench", "channel": "twilio", "status": "queued",
             "attempts": 0, "created_at": now, "updated_at": now} for i in range(1, n + 1)])
        ids = list(db.scalars(select(Message.id).order_by(Message.id)))
    engine.dispose()
    return ids


def run_worker(name: str, folder: Path, args: list[str], done: Callable[[], bool],
               timeout: float) -> float:
    """Start a burst worker, wait until `done()`; the wall time from start to done."""
    log = folder / f"worker-{name}.log"
    start = time.perf_counter()
    with c.process(args, log) as proc:
        c.wait_for(lambda: done() or proc.poll() is not None, timeout,
                   f"the {name} worker to send everything", every=0.02)
        wall = time.perf_counter() - start
        if not done():
            raise SystemExit(f"the {name} worker stopped before sending everything:\n"
                             f"{c.tail(log)}")
        proc.wait(30)
    return wall


def main() -> None:
    args = c.arguments(__doc__, messages={"type": int, "help": "messages per run "
                                          "(default 1000; 300 with --quick)"})
    n = args.messages or (300 if args.quick else 1000)
    from redis import Redis
    from rq import Queue
    from sqlalchemy import create_engine, func, select

    import workers.sending
    from smsgateway.models import Message

    batched = hasattr(workers.sending, "send_batch")
    with c.temp_dir() as folder, c.redis_server(folder) as redis_url:
        url = c.database(folder, args.database_url)
        ids = seed(url, n)
        provider, redis = Provider(), Redis.from_url(redis_url)
        (folder / "floor_jobs.py").write_text(FLOOR_JOBS.format(
            url=provider.url + MESSAGES, sid=SID, token=TOKEN, sender=FROM))
        print(f"Sending {n} messages with one worker to a local Twilio-like server; "
              f"database {url.split(':')[0]}")

        Queue("floor", connection=redis).enqueue_many(
            [Queue.prepare_data("floor_jobs.post", (i,)) for i in range(n)])
        floor_wall = run_worker(
            "floor", folder, [sys.executable, "-c", FLOOR_WORKER, redis_url, str(folder)],
            lambda: provider.count >= n, 60 + n / 5)
        floor_rate = provider.rate()

        provider.count, provider.first = 0, 0.0
        messages = Queue("messages", connection=redis)
        if batched:
            messages.enqueue_many([Queue.prepare_data("workers.sending.send_batch",
                                                      (ids[i:i + CHUNK],))
                                   for i in range(0, n, CHUNK)])
        else:
            messages.enqueue_many([Queue.prepare_data("workers.sending.send_message", (i,),
                                                      job_id=f"send-message-{i}") for i in ids])
        settings = {"DATABASE_URL": url, "REDIS_URL": redis_url, "SECRET_KEY": "bench",
                    "SMS_PROVIDER": "twilio", "TWILIO_API_BASE": provider.url,
                    "TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": TOKEN,
                    "TWILIO_FROM": FROM, "SEND_RATE": 0, "QUIET_HOURS": ""}
        engine = create_engine(url)

        def all_sent() -> bool:
            with engine.connect() as db:
                return db.scalar(select(func.count()).select_from(Message)
                                 .where(Message.status == "sent")) == n

        ours_wall = run_worker("jobline", folder, [sys.executable, "-c", OUR_WORKER,
                                                   json.dumps(settings)],
                               all_sent, 60 + n / 5)
        ours_rate, sent_to_provider = provider.rate(), provider.count
        engine.dispose()
    how = (f"send_batch, {CHUNK} ids a job" if batched else
           "send_message per message: send_batch does not exist yet")
    print(f"  jobline ({how}):{ours_rate:8.1f} msg/s   "
          f"(wall {ours_wall:5.1f} s incl. start-up, {n / ours_wall:7.1f} msg/s)")
    print(f"  floor (RQ Worker, a requests.post job per message): {floor_rate:8.1f} msg/s   "
          f"(wall {floor_wall:5.1f} s incl. start-up, {n / floor_wall:7.1f} msg/s)")
    if sent_to_provider != n:
        print(f"  WARNING: the provider saw {sent_to_provider} sends for {n} messages")
    ratio = ours_rate / floor_rate
    print(f"  ratio {ratio:.2f}x floor (target >= 3.00): {c.verdict(ratio >= 3)}; "
          f"wall-clock ratio {floor_wall / ours_wall:.2f}x")


if __name__ == "__main__":
    main()
