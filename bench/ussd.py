"""USSD: requests/s and p50/p99 latency of `POST /ussd` under gunicorn, against a bare floor.

Measured: `gunicorn wsgi:app` (2 sync workers, loopback) driven by wrk with 32 connections.
Every request is one step of a live session of a registered villager: the first dial
(text "") shows the main menu, then "1" (the job list, read from the database), "0"
(back to the menu), "1", ... each with the whole history in `text` as Africa's Talking
sends it; a session lasts 10 steps, then that connection dials a new one. So every
request takes the session lock, loads and saves the session in Redis and reads the
villager and postings in the database. wrk runs one thread per connection (-t32 -c32)
so that each session's steps go strictly in order; any answer that is not a `CON`
screen counts as an error.

Floor, in the same run: a bare Flask app under the same gunicorn and wrk settings whose
`POST /ussd` does one Redis GET and SETEX and one primary-key SELECT.
Targets: throughput >= 50% of the floor's; p99 <= 3x the floor's.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import _common as c

CONNECTIONS, WORKERS, STEPS = 32, 2, 10
TOKEN = "bench-token"
PHONE = "+861381000{:04d}"  # villager N of the run: wrk thread N dials from it

LUA = r"""
local threads, counter = {}, 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end
function init(args)
  steps, prefix = tonumber(args[1]), args[2]
  session, step, bad, text = 0, 0, 0, ""
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
function request()
  if step == 0 then session, text = session + 1, ""
  elseif step == 1 then text = "1"
  elseif step % 2 == 0 then text = text .. "*0"
  else text = text .. "*1" end
  step = (step + 1) % steps
  local body = string.format(
    "sessionId=%s-%d-%d&serviceCode=%%2A384%%2A1%%23&phoneNumber=%%2B861381000%04d&text=%s",
    prefix, tid, session, tid, (text:gsub("%*", "%%2A")))
  return wrk.format(nil, nil, nil, body)
end
function response(status, headers, body)
  if status ~= 200 or body:sub(1, 3) ~= "CON" then bad = bad + 1 end
end
function done(summary, latency, requests)
  local bad, e = 0, summary.errors
  for _, t in ipairs(threads) do bad = bad + t:get("bad") end
  io.write(string.format("RESULT %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    bad + e.connect + e.read + e.write + e.timeout + e.status))
end
"""

FLOOR_APP = '''
import os
from flask import Flask, request
from redis import Redis
from sqlalchemy import create_engine, text

app = Flask(__name__)
redis = Redis.from_url(os.environ["REDIS_URL"])
engine = create_engine(os.environ["DATABASE_URL"])
SELECT = text("SELECT id, phone, language FROM contacts WHERE id = :id")

@app.post("/ussd")
def ussd():
    key = "floor:" + request.form["sessionId"]
    seen = redis.get(key) or b""
    redis.setex(key, 600, request.form["text"])
    with engine.connect() as db:
        row = db.execute(SELECT, {"id": 1 + int(request.form["phoneNumber"][-4:]) % 32}).one()
    return "CON " + row.phone + " " + seen.decode(), 200, {"Content-Type": "text/plain"}
'''


def seed(url: str) -> None:
    """The demo (areas, two published postings) and 32 registered villagers in Yongde."""
    from sqlalchemy.orm import Session

    from menus.types import Profile
    from smsgateway.db import make_engine
    from smsgateway.demo import load_demo
    from smsgateway.villagers.records import contact_for, register

    engine = make_engine(url)
    with Session(engine) as db, db.begin():
        load_demo(db)
        for n in range(1, CONNECTIONS + 1):
            profile = Profile(f"村民{n}", "mf"[n % 2], 1990 + n % 15, "yongde", "yongde.dedang",
                              ("construction",), True, True, "zh")
            register(db, contact_for(db, PHONE.format(n)), profile, via="officer",
                     channel="console", notify=False)
    engine.dispose()


def check(base: str) -> None:
    """One session by hand: every step must answer a `CON` screen."""
    import requests

    text = ""
    for entry in ("", "1", "0", "1"):
        text = entry if not text else f"{text}*{entry}"
        answer = requests.post(f"{base}/ussd?token={TOKEN}", timeout=10, data={
            "sessionId": "check", "serviceCode": "*384*1#", "phoneNumber": PHONE.format(1),
            "text": text}).text
        if not answer.startswith("CON"):
            raise SystemExit(f"/ussd answered {answer!r} to text={text!r}")


def wrk(base: str, script: Path, seconds: int, prefix: str) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", f"-t{CONNECTIONS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency",
         "--timeout", "10s", "-s", str(script), f"{base}/ussd?token={TOKEN}", "--",
         str(STEPS), prefix], capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    requests_, micros, p50, p99, errors = map(int, line.split()[1:])
    return {"rps": requests_ / (micros / 1e6), "p50": p50 / 1000, "p99": p99 / 1000,
            "requests": requests_, "errors": errors}


def measure(name: str, folder: Path, app: str, chdir: Path, env: dict[str, str],
            seconds: int, warmup: int, check_first: bool) -> dict[str, float]:
    port = c.free_port()
    base = f"http://127.0.0.1:{port}"
    log = folder / f"gunicorn-{name}.log"
    args = [str(c.VENV_BIN / "gunicorn"), "--workers", str(WORKERS), "--bind",
            f"127.0.0.1:{port}", "--chdir", str(chdir), app]
    with c.process(args, log, env=env) as proc:
        import requests

        try:
            c.wait_for(lambda: requests.post(f"{base}/ussd", timeout=2, data={
                "sessionId": "up", "serviceCode": "*384*1#", "phoneNumber": PHONE.format(1),
                "text": ""}).status_code < 500, 30, f"gunicorn ({name})", every=0.2)
        except SystemExit:
            raise SystemExit(f"gunicorn ({name}) did not start:\n{c.tail(log)}") from None
        if check_first:
            check(base)
        wrk(base, folder / "steps.lua", warmup, f"warm-{name}")
        result = wrk(base, folder / "steps.lua", seconds, f"run-{name}")
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn ({name}) died:\n{c.tail(log)}")
    return result


def main() -> None:
    args = c.arguments(__doc__, seconds={"type": int, "help": "seconds of load per target "
                                         "(default 20; 5 with --quick)"})
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    seconds = args.seconds or (5 if args.quick else 20)
    warmup = 1 if args.quick else 3
    with c.temp_dir() as folder, c.redis_server(folder) as redis_url:
        url = c.database(folder, args.database_url)
        seed(url)
        (folder / "steps.lua").write_text(LUA)
        (folder / "floor_app.py").write_text(FLOOR_APP)
        env = {"DATABASE_URL": url, "REDIS_URL": redis_url, "SECRET_KEY": "bench",
               "AT_CALLBACK_TOKEN": TOKEN, "SMS_PROVIDER": "console"}
        print(f"USSD step under gunicorn ({WORKERS} workers), wrk {CONNECTIONS} connections, "
              f"{seconds} s each after {warmup} s warm-up; database {url.split(':')[0]}")
        ours = measure("jobline", folder, "wsgi:app", c.ROOT, env, seconds, warmup, True)
        floor = measure("floor", folder, "floor_app:app", folder, env, seconds, warmup, False)
    for name, r in (("jobline /ussd", ours), ("floor (GET+SETEX+SELECT)", floor)):
        print(f"  {name:26} {r['rps']:8.1f} req/s   p50 {r['p50']:7.2f} ms   "
              f"p99 {r['p99']:7.2f} ms   ({r['requests']:.0f} requests, "
              f"{r['errors']:.0f} errors)")
    throughput, p99 = ours["rps"] / floor["rps"], ours["p99"] / floor["p99"]
    print(f"  throughput ratio {throughput:.2f} of floor (target >= 0.50): "
          f"{c.verdict(throughput >= 0.5)}")
    print(f"  p99 ratio        {p99:.2f}x floor (target <= 3.00): {c.verdict(p99 <= 3)}")
    if ours["errors"] or floor["errors"]:
        print("  WARNING: some answers were errors (non-200 or not a CON screen)")


if __name__ == "__main__":
    main()
