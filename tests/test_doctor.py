"""`jobline doctor`: a line per check, a failing exit on any failure, the URLs to paste."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from flask.cli import ScriptInfo
from pytest_httpserver import HTTPServer
from redis import Redis
from rq import Worker

from smsgateway.cli import cli

PRODUCTION = {"SECRET_KEY": "k" * 40, "PUBLIC_BASE_URL": "https://jobline.example.cn",
              "SMS_PROVIDER": "twilio", "AT_CALLBACK_TOKEN": "s3cret"}


def _doctor(app, *args):
    return app.test_cli_runner().invoke(cli, ["doctor", *args],
                                        obj=ScriptInfo(create_app=lambda: app))


def _lines(result) -> dict[str, str]:
    """Each check's line, by its name."""
    found = {}
    for line in result.output.splitlines():
        if line.startswith(("ok  ", "FAIL")):
            name = line[6:].split(":")[0]
            found[name] = line
    return found


def _start_worker(app) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"],
           "REDIS_URL": app.config["REDIS_URL"], "SECRET_KEY": "k" * 40}
    return subprocess.Popen([str(Path(sys.executable).parent / "jobline"), "worker"], env=env,
                            start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def test_a_fresh_production_setup_fails_and_says_what_is_missing(app_factory, monkeypatch):
    """No worker, nothing scheduled, a short key, plain http, a provider without credentials:
    each is one FAIL line, and the command exits 1."""
    monkeypatch.delenv("JOBLINE_DEVELOPMENT", raising=False)
    app = app_factory(SECRET_KEY="short", PUBLIC_BASE_URL="http://jobline.example.cn",
                      SMS_PROVIDER="africastalking", AT_USERNAME=None, AT_API_KEY=None)
    result = _doctor(app)
    assert result.exit_code == 1, result.output
    lines = _lines(result)
    assert lines["database"].startswith("ok"), lines["database"]
    assert lines["redis"].startswith("ok") and "appendonly=" in lines["redis"]
    assert lines["SECRET_KEY"].startswith("FAIL") and "5 characters" in lines["SECRET_KEY"]
    assert lines["PUBLIC_BASE_URL"].startswith("FAIL") and "https" in lines["PUBLIC_BASE_URL"]
    assert lines["provider"].startswith("FAIL") and "AT_USERNAME, AT_API_KEY" in lines["provider"]
    assert lines["periodic jobs"].startswith("FAIL") and "jobline-sweep" in lines["periodic jobs"]
    assert lines["workers"].startswith("FAIL")


def test_redis_down_is_a_failure_not_a_crash(app_factory, monkeypatch):
    monkeypatch.setenv("JOBLINE_DEVELOPMENT", "1")
    app = app_factory(REDIS_URL="redis://127.0.0.1:1/0")
    result = _doctor(app)
    assert result.exit_code == 1, result.output
    lines = _lines(result)
    assert lines["redis"].startswith("FAIL") and "unreachable" in lines["redis"]
    assert lines["workers"].startswith("FAIL")


def test_a_ready_deployment_passes_and_prints_the_callback_urls(app_factory, monkeypatch,
                                                                httpserver: HTTPServer):
    """With a worker running (it schedules the periodic jobs), production settings and Twilio
    credentials that Twilio accepts (`--online`, a local stand-in for its API), every line
    is ok and the exit is 0."""
    monkeypatch.delenv("JOBLINE_DEVELOPMENT", raising=False)
    sid = "AC" + "1" * 32
    httpserver.expect_request(f"/2010-04-01/Accounts/{sid}.json",
                              method="GET").respond_with_json({"sid": sid, "status": "active"})
    app = app_factory(**PRODUCTION, TWILIO_ACCOUNT_SID=sid,
                      TWILIO_API_BASE=httpserver.url_for("").rstrip("/"))
    worker = _start_worker(app)
    try:
        redis = Redis.from_url(app.config["REDIS_URL"])
        deadline = time.monotonic() + 20
        while not (Worker.all(connection=redis) and redis.exists("rq:job:jobline-checkins")):
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.1)
        result = _doctor(app, "--online")
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)
    assert result.exit_code == 0, result.output
    assert all(line.startswith("ok") for line in _lines(result).values()), result.output
    assert "twilio: credentials accepted" in result.output
    assert "https://jobline.example.cn/sms/twilio/status" in result.output
    assert "https://jobline.example.cn/ussd?token=<AT_CALLBACK_TOKEN>" in result.output
    assert "s3cret" not in result.output  # the secret itself is never printed


def test_online_reports_refused_credentials(app_factory, monkeypatch, httpserver: HTTPServer):
    monkeypatch.setenv("JOBLINE_DEVELOPMENT", "1")
    sid = "AC" + "2" * 32
    httpserver.expect_request(f"/2010-04-01/Accounts/{sid}.json").respond_with_json(
        {"code": 20003, "message": "Authenticate"}, status=401)
    app = app_factory(SMS_PROVIDER="twilio", TWILIO_ACCOUNT_SID=sid,
                      TWILIO_API_BASE=httpserver.url_for("").rstrip("/"))
    result = _doctor(app, "--online")
    assert result.exit_code == 1
    assert "credentials refused: Twilio answered 401" in _lines(result)["provider"]
