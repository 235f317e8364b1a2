"""Fan-out: a broadcast to 100,000 villagers (--quick: 10,000), against a bare Core insert.

Measured: from `POST /api/v1/broadcasts` (an admin's token, audience: area `yongde`, where
every seeded villager lives) until every outbox row of the broadcast is written and every
row's send batch is on the `messages` queue (or scheduled on it). The request goes through
the app in this process (Flask's test client); the fan-out jobs run in an RQ burst worker
(forked work-horses, as in production) on the `broadcasts` queue only, so nothing is sent.
Quiet hours are switched off so the batches are enqueued, not deferred.

Floor, in the same run on the same database: one bare SQLAlchemy Core `insert()` of the
same rows (contact, phone, text in the villager's language, segments, status...) prepared
in memory, in one transaction on a plain engine. Target: within 10x the floor.
"""

from __future__ import annotations

import logging
import secrets
import time
from datetime import UTC, datetime

import _common as c

TEXT_ZH = "永德县招工说明会：本周六上午九点在乡政府举行，欢迎参加。"
TEXT_EN = "Yongde job fair: Saturday 9 am at the township office. All welcome."


def seed(url: str, n: int) -> None:
    """N registered villagers (one in ten English-speaking) in Yongde's townships."""
    from sqlalchemy import create_engine, insert, select

    from smsgateway.models import Area, Contact, Villager

    engine, now = create_engine(url), datetime.now(UTC)
    with engine.begin() as db:
        county = db.scalar(select(Area.id).where(Area.code == "yongde"))
        townships = list(db.scalars(select(Area.id).where(Area.parent_id == county)))
        for start in range(1, n + 1, 20_000):
            ids = range(start, min(start + 20_000, n + 1))
            db.execute(insert(Contact), [
                {"id": i, "phone": f"+86137{i:08d}", "language": "en" if i % 10 == 0 else "zh",
                 "opted_out": False, "created_at": now} for i in ids])
            db.execute(insert(Villager), [
                {"id": i, "contact_id": i, "name": f"村民{i}", "sex": "mf"[i % 2],
                 "birth_year": 1970 + i % 35, "township_id": townships[i % len(townships)],
                 "outside_province": False, "sms_consent": True, "registered_via": "officer",
                 "created_at": now, "updated_at": now} for i in ids])
    engine.dispose()


def admin_token(app) -> str:  # type: ignore[no-untyped-def]
    from smsgateway.access import token_digest
    from smsgateway.models import ApiToken, Role, User
    from smsgateway.services import services

    token = secrets.token_urlsafe(32)
    with services(app).sessions.begin() as db:
        user = User(name="bench-admin", role=Role.ADMIN)
        db.add_all([user, ApiToken(user=user, token_hash=token_digest(token))])
    return token


def floor(url: str, n: int) -> float:
    """Seconds for one Core insert of the broadcast's rows; the rows are removed after."""
    from sqlalchemy import create_engine, delete, insert

    from menus.budget import sms_segments
    from smsgateway.models import Message

    segments = {"zh": sms_segments(TEXT_ZH), "en": sms_segments(TEXT_EN)}
    now = datetime.now(UTC)
    rows = [{"contact_id": i, "phone": f"+86137{i:08d}",
             "body": TEXT_EN if i % 10 == 0 else TEXT_ZH,
             "segments": segments["en" if i % 10 == 0 else "zh"], "kind": "broadcast",
             "channel": "console", "status": "queued", "attempts": 0, "created_at": now,
             "updated_at": now} for i in range(1, n + 1)]
    engine = create_engine(url)
    start = time.perf_counter()
    with engine.begin() as db:
        db.execute(insert(Message), rows)
    seconds = time.perf_counter() - start
    with engine.begin() as db:
        db.execute(delete(Message))
    engine.dispose()
    return seconds


def enqueued(queue) -> int:  # type: ignore[no-untyped-def]
    """Messages in the send jobs on `queue` and in its scheduled registry."""
    from rq.job import Job

    ids = queue.job_ids + queue.scheduled_job_registry.get_job_ids()
    total = 0
    for job in Job.fetch_many(ids, connection=queue.connection):
        if job is not None and job.func_name.startswith("workers.sending."):
            total += len(job.args[0]) if isinstance(job.args[0], list) else 1
    return total


def main() -> None:
    args = c.arguments(__doc__, villagers={"type": int, "help": "audience size "
                                           "(default 100000; 10000 with --quick)"})
    n = args.villagers or (10_000 if args.quick else 100_000)
    from rq import Worker
    from sqlalchemy import func, select

    from smsgateway import create_app, jobcontext
    from smsgateway.models import Message
    from smsgateway.services import services

    with c.temp_dir() as folder, c.redis_server(folder) as redis_url:
        url = c.database(folder, args.database_url)
        seed(url, n)
        print(f"Broadcast fan-out to {n} villagers; database {url.split(':')[0]}")
        floor_seconds = floor(url, n)

        app = create_app({"DATABASE_URL": url, "REDIS_URL": redis_url, "SECRET_KEY": "bench",
                          "SMS_PROVIDER": "console", "QUIET_HOURS": ""})
        logging.getLogger().setLevel(logging.WARNING)  # not a line per job
        jobcontext.install(app)
        svc, client = services(app), app.test_client()
        headers = {"Authorization": f"Bearer {admin_token(app)}"}
        body = {"text_zh": TEXT_ZH, "text_en": TEXT_EN, "audience": {"areas": ["yongde"]},
                "confirm": True}  # above BROADCAST_CONFIRM_ABOVE: asked, as the console does

        def written(broadcast_id: int) -> int:
            with svc.engine.connect() as db:
                return int(db.scalar(select(func.count()).select_from(Message)
                                     .where(Message.broadcast_id == broadcast_id)) or 0)

        start = time.perf_counter()
        answer = client.post("/api/v1/broadcasts", json=body, headers=headers)
        if answer.status_code in (404, 405):
            raise SystemExit("POST /api/v1/broadcasts is not there yet (HTTP "
                             f"{answer.status_code}): the broadcast API is needed for this")
        if answer.status_code != 201:
            raise SystemExit(f"POST /api/v1/broadcasts answered {answer.status_code}: "
                             f"{answer.get_data(as_text=True)[:500]}")
        broadcast_id = answer.get_json()["id"]
        post_seconds = time.perf_counter() - start
        worker = Worker([svc.queue("broadcasts")], connection=svc.redis)
        deadline = start + (30 + n / 200)
        while written(broadcast_id) < n and time.perf_counter() < deadline:
            worker.work(burst=True, logging_level="WARNING")  # until `broadcasts` is empty
            time.sleep(0.01)
        ours_seconds = time.perf_counter() - start
        rows, batched = written(broadcast_id), enqueued(svc.queue("messages"))
        svc.engine.dispose()
    print(f"  jobline (POST + fan-out):      {ours_seconds:7.2f} s   "
          f"{n / ours_seconds:9.0f} rows/s   (the POST itself {post_seconds:.2f} s)")
    print(f"  floor (one Core insert):       {floor_seconds:7.2f} s   "
          f"{n / floor_seconds:9.0f} rows/s")
    ratio = ours_seconds / floor_seconds
    print(f"  ratio {ratio:.1f}x the floor's time (target <= 10x): {c.verdict(ratio <= 10)}")
    if rows != n or batched != n:
        raise SystemExit(f"  INCOMPLETE: {rows} rows written and {batched} in send batches, "
                         f"for {n} recipients")


if __name__ == "__main__":
    main()
