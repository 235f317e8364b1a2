"""Watching it: GET /metrics after real traffic, its token, JSON log lines, the dashboard."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

import pytest
from prometheus_client.parser import text_string_to_metric_families
from rq import SimpleWorker, Worker
from sqlalchemy import func, select

from smsgateway.logsafe import JsonFormatter
from smsgateway.messaging.outbox import add_message
from smsgateway.models import Contact, Message, MessageStatus
from smsgateway.services import QUEUE_NAMES, services

from . import providers
from .conftest import run_worker
from .console import console_account, form_token, sign_in
from .sign import twilio_post, twilio_sms, ussd_form

TOKEN = "metrics-token-for-tests"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
PHONE = "+8613812345678"


def _scrape(client) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of /metrics, by name and labels."""
    response = client.get("/metrics", headers=BEARER)
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(response.get_data(as_text=True))
            for sample in family.samples}


def _value(samples, name, **labels) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def _ussd(client, form):
    return client.post("/ussd", data=urlencode(form),
                       content_type="application/x-www-form-urlencoded")


def _queue_one(app, kind="broadcast", phone="+8613900000001"):
    """One outbox row through the app's provider, enqueued on commit."""
    svc = services(app)
    with svc.sessions.begin() as db:
        contact = Contact(phone=phone)
        db.add(contact)
        return add_message(db, contact, "你好", kind=kind,
                           channel=svc.settings["SMS_PROVIDER"]).id


@pytest.fixture
def watched(app_factory, httpserver):
    """An app sending through Twilio to the local server, with a metrics token."""
    return app_factory(SMS_PROVIDER="twilio", PROVIDER_TIMEOUT=10.0, METRICS_TOKEN=TOKEN,
                       TWILIO_API_BASE=httpserver.url_for("/").rstrip("/"))


def test_metrics_after_real_traffic_count_each_step_send_and_webhook(watched, httpserver, db):
    """A USSD step, an overlong USSD request, an inbound SMS and a message sent by a burst
    worker (a forked work-horse: the multiprocess files add it up) each show in /metrics
    with the right count; the gauges read the outbox, the queues and the workers now."""
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_created())
    client = watched.test_client()
    before = _scrape(client)

    assert _ussd(client, ussd_form("m1", PHONE, "")).get_data(as_text=True).startswith("CON ")
    assert _ussd(client, ussd_form("m2", PHONE, "1" * 1001)).get_data(as_text=True
                                                                      ).startswith("END ")
    assert twilio_post(client, "/sms/twilio", twilio_sms("SM1", PHONE, "HELP")).status_code == 200
    _queue_one(watched)

    waiting = _scrape(client)
    queued = db.scalar(select(func.count()).select_from(Message)
                       .where(Message.status == MessageStatus.QUEUED))
    assert queued >= 1
    assert _value(waiting, "jobline_outbox_waiting") == queued
    assert _value(waiting, "jobline_queue_jobs", queue="messages") == queued
    assert {q for (name, labels) in waiting if name == "jobline_queue_jobs"
            for _, q in labels} == set(QUEUE_NAMES)

    worker = Worker([services(watched).queue()], connection=services(watched).redis,
                    name="metrics-watch")
    worker.register_birth()
    try:
        assert _value(_scrape(client), "jobline_workers") == 1
    finally:
        worker.register_death()

    run_worker(watched)
    after = _scrape(client)

    def grew(name, **labels):
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert grew("jobline_ussd_steps_total", result="con") == 1
    assert grew("jobline_ussd_steps_total", result="error") == 1
    assert grew("jobline_ussd_steps_total", result="end") == 0
    assert grew("jobline_webhook_seconds_count", route="/ussd") == 2
    assert grew("jobline_webhook_seconds_count", route="/sms/twilio") == 1
    assert grew("jobline_messages_total", kind="broadcast", provider="twilio",
                status="sent") == 1
    assert grew("jobline_messages_total", kind="broadcast", provider="twilio",
                status="failed") == 0
    sent = db.scalar(select(func.count()).select_from(Message)
                     .where(Message.status == MessageStatus.SENT, Message.channel == "twilio"))
    assert grew("jobline_send_seconds_count", provider="twilio") == sent
    assert grew("jobline_send_seconds_bucket", provider="twilio", le="+Inf") == sent
    assert _value(after, "jobline_outbox_waiting") == 0
    assert _value(after, "jobline_queue_jobs", queue="messages") == 0
    assert _value(after, "jobline_workers") == 0


def test_a_message_failed_by_the_provider_is_counted_failed(watched, httpserver):
    """Twilio refuses the number for good (21211): one `failed` for that kind and provider."""
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_json(
        {"code": 21211, "message": "The 'To' number is not a valid phone number.",
         "status": 400}, status=400)
    client = watched.test_client()
    before = _scrape(client)
    _queue_one(watched, kind="apply-lost")
    run_worker(watched)
    after = _scrape(client)
    labels = {"kind": "apply-lost", "provider": "twilio"}
    assert (_value(after, "jobline_messages_total", status="failed", **labels)
            - _value(before, "jobline_messages_total", status="failed", **labels)) == 1
    assert (_value(after, "jobline_messages_total", status="sent", **labels)
            - _value(before, "jobline_messages_total", status="sent", **labels)) == 0


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", f"Basic {TOKEN}",
                                    f"Bearer {TOKEN}x", "Bearer"])
def test_metrics_without_the_right_bearer_token_is_401(watched, header):
    """No Authorization, another token, another scheme: 401 and no metric in the body."""
    headers = {"Authorization": header} if header else {}
    response = watched.test_client().get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert b"jobline_" not in response.data


def test_metrics_without_a_token_configured_is_404_outside_development(app_factory,
                                                                       monkeypatch):
    """No METRICS_TOKEN: the page does not exist in production; development serves it."""
    monkeypatch.delenv("JOBLINE_DEVELOPMENT", raising=False)
    app = app_factory(METRICS_TOKEN=None)
    assert app.test_client().get("/metrics", headers=BEARER).status_code == 404
    monkeypatch.setenv("JOBLINE_DEVELOPMENT", "1")
    response = app.test_client().get("/metrics")
    assert response.status_code == 200
    assert b"jobline_outbox_waiting" in response.data


@pytest.fixture
def json_logs(app_factory):
    """Builds, in the test itself (so that the test's log capture is among the root's
    handlers), an app writing JSON lines; the handlers' formatters are put back after."""
    root = logging.getLogger()
    saved: list[tuple[logging.Handler, logging.Formatter | None]] = []

    def build():
        saved.extend((handler, handler.formatter) for handler in root.handlers)
        return app_factory(LOG_FORMAT="json")

    yield build
    for handler, formatter in saved:
        handler.setFormatter(formatter)


def _json_lines(caplog):
    """The captured lines, as the app's formatter wrote them, each parsed."""
    assert isinstance(caplog.handler.formatter, JsonFormatter)
    lines = caplog.text.splitlines()
    assert lines
    return [json.loads(line) for line in lines]


def test_json_log_lines_parse_and_carry_the_callers_request_id(json_logs, caplog):
    """With LOG_FORMAT=json every line is one JSON object; a line logged in a request names
    the caller's X-Request-Id, which the answer echoes; a newline sent in a field stays
    inside its line."""
    caplog.set_level(logging.INFO)
    form = ussd_form("s-json", "not a phone\nINFO forged line", "")
    response = json_logs().test_client().post(
        "/ussd", data=urlencode(form), content_type="application/x-www-form-urlencoded",
        headers={"X-Request-Id": "req-42"})
    assert response.headers["X-Request-Id"] == "req-42"
    lines = _json_lines(caplog)
    warned = [line for line in lines if "is not a phone number" in line["message"]]
    assert len(warned) == 1
    assert warned[0]["request_id"] == "req-42" and warned[0]["level"] == "WARNING"
    assert "\\nINFO forged line" in warned[0]["message"]
    assert not any(line["message"].startswith("INFO forged") for line in lines)
    access = [line for line in lines if line["logger"] == "jobline.access"]
    assert len(access) == 1 and access[0]["request_id"] == "req-42"
    assert access[0]["message"].startswith("POST /ussd 200 ")


def test_a_request_without_an_id_or_with_an_odd_one_gets_a_new_one(json_logs, caplog):
    """No X-Request-Id, or one that is not a plain token: a new id, in the answer and the log."""
    caplog.set_level(logging.INFO)
    client = json_logs().test_client()
    for given in ({}, {"X-Request-Id": "bad id\twith spaces"}):
        caplog.clear()
        response = _ussd_with(client, given)
        made = response.headers["X-Request-Id"]
        assert len(made) == 32 and made != given.get("X-Request-Id")
        assert {line["request_id"] for line in _json_lines(caplog)} == {made}


def _ussd_with(client, headers):
    return client.post("/ussd", data=urlencode(ussd_form("s-x", "nonsense", "")),
                       content_type="application/x-www-form-urlencoded", headers=headers)


def test_json_log_lines_of_a_job_carry_its_job_id(json_logs, caplog):
    """A send job's lines (in a worker that does not fork, so the test reads them) name the
    RQ job they belong to."""
    caplog.set_level(logging.INFO)
    app = json_logs()
    message_id = _queue_one(app)
    svc = services(app)
    job_ids = svc.queue().job_ids
    assert len(job_ids) == 1
    SimpleWorker([svc.queue()], connection=svc.redis).work(burst=True)
    settled = [line for line in _json_lines(caplog)
               if line["message"] == f"message {message_id} sent"]
    assert len(settled) == 1 and settled[0]["job_id"] == job_ids[0]
    assert "request_id" not in settled[0]


def test_the_dashboard_shows_workers_alive_and_queue_depths(app, client):
    """Two messages waiting in the `messages` queue and one worker alive, in both languages."""
    _queue_one(app)
    _queue_one(app, phone="+8613900000002")
    console_account(app, "li", "officer", area="yongde")
    sign_in(client, "li")
    svc = services(app)
    worker = Worker([svc.queue()], connection=svc.redis, name="dashboard-watch")
    worker.register_birth()
    try:
        for lang, words in (("zh", ("后台进程在运行", "等待的任务")),
                            ("en", ("workers alive", "Jobs waiting"))):
            client.post("/console/language", data={"lang": lang,
                                                   "csrf_token": form_token(client)})
            page = client.get("/console/").get_data(as_text=True)
            assert '<td id="queue-messages">2</td>' in page
            assert '<td id="queue-broadcasts">0</td>' in page
            assert '<span class="big" id="workers-alive">1</span>' in page
            assert all(word in page for word in words)
            assert 'id="workers-none"' not in page
    finally:
        worker.register_death()
    page = client.get("/console/").get_data(as_text=True)
    assert '<span class="big" id="workers-alive">0</span>' in page and 'id="workers-none"' in page


def test_without_a_multiprocess_folder_a_scrape_serves_this_process_alone(watched, monkeypatch):
    """PROMETHEUS_MULTIPROC_DIR unset: the scrape still has every metric family (this
    process's counts) and the gauges read now."""
    client = watched.test_client()
    _ussd(client, ussd_form("single", PHONE, ""))
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR")
    response = client.get("/metrics", headers=BEARER)
    assert response.status_code == 200
    families = {family.name for family in
                text_string_to_metric_families(response.get_data(as_text=True))}
    assert {"jobline_ussd_steps", "jobline_webhook_seconds", "jobline_messages",
            "jobline_send_seconds", "jobline_outbox_waiting", "jobline_queue_jobs",
            "jobline_workers"} <= families
