"""A transcript's frozen clock, app and phones: each phone's inbox of SMS not yet checked.

Used by the transcripts that follow villagers over weeks (tests/test_cohort_transcript.py,
tests/test_transcript_one_cohort.py): real RQ burst workers with the scheduler at the frozen
time, every SMS through the outbox and the Twilio SDK to a local Twilio-like server (or a
TwiML reply), each one checked in the phone's language (English: GSM-7) and its segments.
"""

from __future__ import annotations

from datetime import datetime

from rq import Worker

from menus.budget import is_gsm, sms_segments
from menus.types import Profile
from smsgateway.models import Posting
from smsgateway.postings import applications
from smsgateway.services import QUEUE_NAMES, services
from smsgateway.villagers.records import contact_for, register

from .departing import sms_in


def register_and_apply(app, people: dict[str, tuple[str, str]], job: int,
                       when: datetime) -> dict[str, int]:
    """Each of `people` (phone → (name, language)) registered by SMS in Dedang, Yongde, and
    applied to `job` at `when`: phone → application id."""
    placed = {}
    with services(app).sessions.begin() as db:
        for phone, (name, lang) in people.items():
            villager = register(db, contact_for(db, phone),
                                Profile(name, "m", 1996, "yongde", "yongde.dedang",
                                        ("factory",), True, True, lang),
                                via="sms", channel="console", notify=False)
            placed[phone] = applications.apply(db, villager, db.get(Posting, job), "sms",
                                               when).id
    return placed


class Story:
    """The frozen clock, the app, and each phone's inbox of SMS not yet checked.

    `languages`: phone → "zh" or "en", the language each phone's SMS must be in."""

    def __init__(self, app, httpserver, traveller, languages: dict[str, str]):
        self.app, self.client, self.httpserver = app, app.test_client(), httpserver
        self.traveller, self.languages = traveller, languages
        self.inbox: dict[str, list[str]] = {phone: [] for phone in languages}
        self.checked = dict.fromkeys(languages, 0)

    def at(self, when) -> None:
        self.traveller.move_to(when)

    def worker(self, when=None) -> None:
        """A real RQ burst worker with the scheduler at the frozen time: what is queued, and
        what the scheduler finds due (the periodic jobs)."""
        if when is not None:
            self.at(when)
        svc = services(self.app)
        Worker([svc.queue(name) for name in QUEUE_NAMES], connection=svc.redis).work(
            burst=True, with_scheduler=True)
        for request, _ in self.httpserver.log:
            self.inbox[request.form["To"]].append(request.form["Body"])
        self.httpserver.clear_log()

    def sms(self, phone: str, body: str) -> None:
        reply = sms_in(self.client, phone, body)
        if reply is not None:
            self.inbox[phone].append(reply)

    def expect(self, phone: str, segments: int, *facts: str) -> str:
        """The oldest unchecked SMS of `phone` names each fact, in the phone's language
        (English: GSM-7), in `segments` parts."""
        assert self.inbox[phone], f"no SMS for {phone}; expected one naming {facts}"
        text = self.inbox[phone].pop(0)
        self.checked[phone] += 1
        for fact in facts:
            assert fact in text, (fact, text)
        if self.languages[phone] == "en":
            assert is_gsm(text), text
        else:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text
        assert sms_segments(text) == segments, (sms_segments(text), text)
        return text

    def quiet(self) -> None:
        assert all(not box for box in self.inbox.values()), self.inbox

    def call(self, method: str, path: str, headers: dict[str, str], body: dict | None = None,
             status: int = 200) -> dict:
        response = self.client.open(path, method=method, headers=headers, json=body)
        assert response.status_code == status, response.json
        return response.json
