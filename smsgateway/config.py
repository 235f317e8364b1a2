"""Settings from the environment (a `.env` file may supply them in development)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # SQLite file under instance/ when unset
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SECRET_KEY": None,
    "PUBLIC_BASE_URL": None,
    "SMS_PROVIDER": "console",
    "TWILIO_ACCOUNT_SID": None,
    "TWILIO_AUTH_TOKEN": None,
    "TWILIO_FROM": None,
    "TWILIO_API_BASE": "https://api.twilio.com",
    "AT_USERNAME": None,
    "AT_API_KEY": None,
    "AT_SENDER_ID": None,
    "AT_API_BASE": "https://api.africastalking.com",
    "AT_CALLBACK_TOKEN": None,
    "TENCENT_SECRET_ID": None,
    "TENCENT_SECRET_KEY": None,
    "TENCENT_SMS_SDK_APP_ID": None,
    "TENCENT_SMS_SIGN": None,
    "TENCENT_SMS_REGION": "ap-guangzhou",
    "TENCENT_SMS_ENDPOINT": None,  # a local test server, say; default: Tencent's own
    "TENCENT_TEMPLATES": None,  # a JSON file mapping "<template>.<language>" to approved ids
    "TENCENT_CALLBACK_TOKEN": None,
    "WECHAT_TOKEN": None,  # the Official Account's server token: /wechat is off without it
    "WECHAT_AES_KEY": None,  # EncodingAESKey: encrypted (safe) mode when set
    "WECHAT_APP_ID": None,
    # WeChat customer-service messages (issue 14): on with the app id and this secret
    "WECHAT_APP_SECRET": None,
    "WECHAT_API_BASE": "https://api.weixin.qq.com/cgi-bin/",  # a local server in tests
    "DEFAULT_REGION": "CN",
    "DEFAULT_LANGUAGE": "zh",
    "TIMEZONE": "Asia/Shanghai",
    "PROVIDER_TIMEOUT": 10.0,  # seconds: every provider call carries a timeout
    "USSD_SESSION_TTL": 600,  # seconds a USSD session's state is kept
    "USSD_RESUME_TTL": 300,  # seconds a dropped session can be resumed
    "SMS_CONVERSATION_TTL": 86400,  # seconds an SMS question-and-answer waits
    "PROXY_HOPS": 0,  # reverse proxies in front (nginx: 1) whose X-Forwarded-* to believe
    "MAX_CONTENT_LENGTH": 64 * 1024,  # webhooks are small; refuse anything bigger
    "MIN_MONTHLY_WAGE": 1900,  # yuan; a posting below it fails vetting
    "OFFICER_PHONE": "12333",  # the labour and social security hotline, for doubtful offers
    "ALERT_BATCH_SIZE": 500,  # villagers per job-alert batch
    "SEND_RATE": 30,  # messages per second, all workers together (0: no limit)
    "PROVIDER_RATE": "",  # per provider, e.g. "twilio=1,africastalking=50" (none: no limit)
    "LOOP_GUARD_LIMIT": 20,  # identical texts to one phone within LOOP_GUARD_WINDOW
    "LOOP_GUARD_WINDOW": 300,  # seconds
    "SENDING_TIMEOUT": 600,  # seconds a row may stay `sending` before the sweep settles it
    "QUEUED_GRACE": 120,  # seconds a queued row waits before the sweep re-enqueues it
    "SWEEP_INTERVAL": 60,  # seconds between sweeps
    "PERIODIC_CHECK_INTERVAL": 10,  # seconds between a worker's checks that they are scheduled
    "QUIET_HOURS": "21-8",  # local hours when no broadcast lands ("" for none)
    "BROADCAST_BATCH_SIZE": 1000,  # outbox rows written (and sent) per batch
    "SMS_SEGMENT_PRICE": 0.05,  # yuan a segment: the broadcast preview's cost estimate
    "BROADCAST_CONFIRM_ABOVE": 500,  # recipients above which a send needs `confirm`
    "TRAINING_REMINDER_HOUR": 9,  # local hour of the reminder the day before a training
    "CASE_STALE_DAYS": 3,  # days a case may wait untouched before it is flagged stale
    # Departures and check-ins
    "DEPARTURE_REMINDERS": "3d,1d,3h",  # before leaving: d(ays), h(ours), m(inutes)
    "CHECKIN_FIRST_DAYS": 3,  # days after departure of the first (arrival) check-in
    "CHECKIN_REMINDER_DAYS": 3,  # days without an answer before each of two reminders
    "CHECKIN_INTERVAL": 900,  # seconds between runs of the check-in job
    # Pay checks
    "PAY_CHECK_REMINDER_DAYS": 3,  # days without an answer before the one reminder
    "PAY_CHECK_INTERVAL": 900,  # seconds between runs of the pay-check job
    "METRICS_TOKEN": None,  # bearer token of GET /metrics (none: only in development)
    "LOG_FORMAT": "text",  # "json": one JSON object a line, with the request or job id
    # Personal data
    "RETENTION_DAYS": 180,  # days inbound message bodies are kept (villagers.erasure.purge)
    "RETENTION_INTERVAL": 3600,  # seconds between runs of the retention job
    "ERASE_CONFIRM_SECONDS": 600,  # how long DELETE waits for its YES
    # Cohorts: team reports and arrivals noticed (followup/cohorts.py, followup/arrival.py)
    "TEAM_REPORT_CHASE_DAYS": 2,  # days before an unasked report is chased, then listed
    "ARRIVAL_NOTICE_HOURS": 24,  # hours an arrival check-in waits before it is noticed
    "COHORT_INTERVAL": 900,  # seconds between runs of the cohort job
    # The console
    "CONSOLE_HELP_CONTACT": None,  # whom a locked-out officer asks, shown on the sign-in page
    # Recruitment days
    "INTERVIEW_REMINDER_HOUR": 8,  # local hour of the reminder the day before the interviews
    "INTERVIEW_INTERVAL": 300,  # seconds between runs of the interview reminder job
}

_NUMBERS = {"PROVIDER_TIMEOUT", "USSD_SESSION_TTL", "USSD_RESUME_TTL", "SMS_CONVERSATION_TTL",
            "PROXY_HOPS", "MAX_CONTENT_LENGTH", "MIN_MONTHLY_WAGE", "ALERT_BATCH_SIZE", "SEND_RATE",
            "LOOP_GUARD_LIMIT", "LOOP_GUARD_WINDOW", "SENDING_TIMEOUT", "QUEUED_GRACE",
            "SWEEP_INTERVAL", "BROADCAST_BATCH_SIZE", "TRAINING_REMINDER_HOUR",
            "CASE_STALE_DAYS", "CHECKIN_FIRST_DAYS", "CHECKIN_REMINDER_DAYS",
            "CHECKIN_INTERVAL", "SMS_SEGMENT_PRICE", "PERIODIC_CHECK_INTERVAL",
            "RETENTION_DAYS", "RETENTION_INTERVAL", "ERASE_CONFIRM_SECONDS",
            "BROADCAST_CONFIRM_ABOVE",
            "TEAM_REPORT_CHASE_DAYS", "ARRIVAL_NOTICE_HOURS", "COHORT_INTERVAL",
            "PAY_CHECK_REMINDER_DAYS", "PAY_CHECK_INTERVAL",
            "INTERVIEW_REMINDER_HOUR", "INTERVIEW_INTERVAL"}
_FRACTIONS = {"PROVIDER_TIMEOUT", "SMS_SEGMENT_PRICE"}  # numbers that stay floats


def local_today(settings: Mapping[str, Any]) -> date:
    """Today in the programme's time zone (`TIMEZONE`)."""
    return datetime.now(ZoneInfo(settings["TIMEZONE"])).date()


def from_environment(instance_path: str) -> dict[str, Any]:
    """The settings, with environment values over defaults."""
    settings = dict(DEFAULTS)
    for key in DEFAULTS:
        value = os.environ.get(key)
        if value not in (None, ""):
            settings[key] = float(value) if key in _NUMBERS else value
    for key in _NUMBERS - _FRACTIONS:
        settings[key] = int(settings[key])
    if not settings["DATABASE_URL"]:
        settings["DATABASE_URL"] = f"sqlite:///{Path(instance_path) / 'jobline.sqlite3'}"
    return settings
