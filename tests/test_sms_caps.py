"""Every automated SMS kind, rendered for the demo's English and Chinese villagers (issue 17):
English texts stay GSM-7 and within one segment, Chinese ones within two UCS-2 segments; a
job's details (`JOB n`, `VERIFY`) and the `HELP` list within three.

The texts come from the builders the code sends them with (alerts, decisions, training
notices, departure notices, check-ins, case updates, family notices, registration), and the
keyword replies through the real SMS webhook over the demo database.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from menus.budget import is_gsm, normalise, sms_segments
from menus.capped import DETAIL_SEGMENTS, sms_cap, within_cap
from menus.interviews import booked_text
from menus.paychecks import month_text
from menus.texts import t
from menus.trainingtext import enrolled, lost, notice, reminder
from menus.types import APPLY_REFUSALS
from smsgateway.broadcasts.wording import BROADCAST_TEMPLATES, built, variables
from smsgateway.conversation.effects import apply_lost
from smsgateway.demo import VILLAGERS, load_demo
from smsgateway.followup.arrival import family_question_text
from smsgateway.followup.cases import status_template, status_text
from smsgateway.followup.cohorts import TEAM_MAX, leader_text
from smsgateway.followup.departures import notice_text as departure_notice
from smsgateway.models import (
    Area,
    CaseStatus,
    Departure,
    Interview,
    InterviewSlot,
    InterviewStatus,
    LeaderRole,
    Posting,
    RecruitmentDay,
    TrainingSession,
)
from smsgateway.postings.core import alert_text, city_in, title_in
from smsgateway.postings.recruitment_days import (
    as_seen,
    invitation_text,
    lost_text,
    reminder_text,
)
from smsgateway.postings.recruitment_days import cancelled_text as interview_cancelled
from smsgateway.services import services
from smsgateway.templates import TEMPLATES, composed, fields, templated
from smsgateway.training.sessions import cancelled_text, training_of

from .sign import twilio_post, twilio_sms

ENGLISH, CHINESE = VILLAGERS[2], VILLAGERS[0]  # Ai Lan of Cangyuan; 李秀英 of Yongde
ZONE = ZoneInfo("Asia/Shanghai")
LONG_NOTE = ("已联系用人单位人事部，对方答应本周五前补发拖欠的两个月工资，"
             "请您留意银行到账情况并回复我们。")

LONG_PLACE = "临沧市临翔区人力资源和社会保障局三楼大会议室"  # 22 of the column's 40
# A broadcast template's values, each at the provider's 35 characters or its field's longest
LONG_VALUES = {
    "text": {"zh": "本周六上午在村委会召开外出务工人员安全培训会议，请务必准时参加并携带身份证",
             "en": "Safety meeting for all workers going"},
    "place": {"zh": "临翔区博尚镇人民政府三楼大会议室（请从东门进入）", "en":
              "Boshang township government, hall 3"},
    "date": {"zh": "2027年12月31日（星期五）", "en": "Friday 31 December 27"},
    "time": {"zh": "上午九点三十分", "en": "09:30-11:30"},
    "trade": {"zh": "家用电器维修与空调安装（初级，含实操考核）", "en":
              "Appliance repair and air-con setup"},
}


def _check(kind: str, text: str, lang: str, details: bool = False) -> None:
    sent = normalise(text)
    if lang == "en":
        assert is_gsm(sent), f"{kind} is not GSM-7: {sent!r}"
    cap = DETAIL_SEGMENTS if details else sms_cap(sent)
    assert sms_segments(sent) <= cap, f"{kind} ({lang}) takes {sms_segments(sent)} > {cap}: {sent}"
    assert within_cap(sent, details)


@pytest.fixture
def demo(app):
    """The demo loaded, with a training session in each demo villager's township."""
    with services(app).sessions.begin() as db:
        load_demo(db)
        for _, profile in (ENGLISH, CHINESE):
            township = db.scalars(select(Area).where(Area.code == profile.township)).one()
            db.add(TrainingSession(trade="appliance_repair", township=township,
                                   start_date=date.today() + timedelta(days=10),
                                   end_date=date.today() + timedelta(days=14), capacity=20))
    return app


def _reply(client, sid: str, phone: str, text: str) -> str:
    body = twilio_post(client, "/sms/twilio", twilio_sms(sid, phone, text)).get_data(as_text=True)
    found = re.search(r"<Message>(.*)</Message>", body, re.DOTALL)
    assert found, body
    return html.unescape(found.group(1))


@pytest.mark.parametrize("villager", [ENGLISH, CHINESE], ids=["en", "zh"])
def test_keyword_replies_for_a_demo_villager_stay_in_alphabet_and_cap(demo, villager):
    """JOBS, JOB n, APPLY n, MY, VERIFY, TRAIN, HELP and the other replies, through the
    webhook for a demo villager: GSM-7 in English, each within its cap."""
    phone, profile = villager
    lang = profile.language
    client = demo.test_client()
    with services(demo).sessions() as db:
        postings = db.scalars(select(Posting).order_by(Posting.id)).all()
        codes = {p.id: p.verification_code for p in postings}
    listing = _reply(client, "SM-jobs", phone, "JOBS" if lang == "en" else "工作")
    _check("JOBS", listing, lang)
    shown = [int(n) for n in re.findall(r"^(\d+) ", listing, re.MULTILINE)]
    assert shown, listing
    for n, job in enumerate(shown):
        _check("JOB n", _reply(client, f"SM-job{n}", phone, f"JOB {job}"), lang, details=True)
        _check("VERIFY", _reply(client, f"SM-ver{n}", phone, f"VERIFY {codes[job]}"), lang,
               details=True)
    _check("APPLY n", _reply(client, "SM-apply", phone, f"APPLY {shown[0]}"), lang)
    for n, text in enumerate(["MY", "TRAIN", "FAMILY", "YES", "hello there", "JOB 999",
                              "APPLY", "VERIFY ZZ9999", "PROBLEM", "STOP", "START"]):
        _check(text, _reply(client, f"SM-kw{n}", phone, text), lang)
    _check("HELP", _reply(client, "SM-help", phone, "HELP"), lang, details=True)


@pytest.mark.parametrize("villager", [ENGLISH, CHINESE], ids=["en", "zh"])
def test_notices_for_a_demo_villager_stay_in_alphabet_and_cap(demo, villager):
    """Alerts, decisions, check-ins, departures, training, cases, family, registration: built
    by the code's own builders from the demo's records, each within its cap."""
    _, profile = villager
    lang, today = profile.language, date.today()
    with services(demo).sessions() as db:
        training = db.scalars(select(TrainingSession).join(Area).where(
            Area.code == profile.township)).one()
        shown = training_of(training)
        for posting in db.scalars(select(Posting)):
            title, code = title_in(posting, lang), posting.verification_code
            _check("job alert", alert_text(posting, lang), lang)
            for status in ("shortlisted", "confirmed", "rejected"):
                reason = "年龄不符合该岗位要求，需要持有健康证" if lang == "zh" else "Age"
                _check(status, templated(lang, f"sms_application_{status}", title=title,
                                         job=posting.id, reason=reason, code=code).text, lang)
            for key in ("sms_checkin", "sms_checkin_reminder"):
                _check(key, templated(lang, key, title=title).text, lang)
            leaving = Departure(posting=posting, place="临沧市客运站北门停车场",
                                escort_name="张建华", escort_phone="+8613800000009",
                                leaves_at=datetime(today.year, 12, 1, 6, 30, tzinfo=UTC))
            for key in ("sms_departure_reminder", "sms_departure_moved",
                        "sms_departure_cancelled"):
                _check(key, departure_notice(leaving, key, lang, ZONE), lang)
            for key in ("sms_family_departed", "sms_family_arrived"):
                _check(key, templated(lang, key, name=profile.name,
                                      city=city_in(posting, lang)).text, lang)
            for role in LeaderRole:  # a team leader: the largest team number and size
                team = TEAM_MAX if role == LeaderRole.TEAM else None
                _check(f"leader {role}", leader_text(leaving, role, team, 999, lang, ZONE).text,
                       lang)
            _check("family question", family_question_text(profile.name, posting, lang).text, lang)
            day = RecruitmentDay(posting=posting, place=LONG_PLACE, day=today + timedelta(days=9))
            slot = InterviewSlot(recruitment_day=day, number=12, starts="16:30", places=9,
                                 taken=0)
            interview = Interview(recruitment_day=day, slot=slot, status=InterviewStatus.BOOKED,
                                  asked_at=datetime.now(UTC))
            for key in ("sms_interview_booked", "sms_interview_already"):  # replies, as seen
                _check(key, booked_text(as_seen(interview), 12, lang, today, key), lang)
            _check("interview invite", invitation_text(day, lang, today).text, lang)
            _check("interview reminder", reminder_text(interview, lang).text, lang)
            _check("interview lost", lost_text(interview, 12, lang).text, lang)
            _check("interview cancelled", interview_cancelled(day, lang, today).text, lang)
            for reason in APPLY_REFUSALS:
                _check(f"apply lost {reason}", apply_lost(lang, posting.id, title, reason).text,
                       lang)
        for name, builder in (("notice", notice), ("reminder", reminder),
                              ("enrolled", enrolled), ("enrol lost", lost)):
            _check(name, builder(shown, lang, today), lang)
        _check("training cancelled", cancelled_text(training, lang, today).text, lang)
    for status in CaseStatus:
        if status.value != "open":
            _check(f"case {status}", status_text(lang, 12345, status, LONG_NOTE
                                                 if lang == "zh" else None), lang)
            long_note = LONG_NOTE if lang == "zh" else (
                "The employer has promised to pay the two months of wages owed by Friday.")
            for note in (long_note, None):
                _check(f"case {status} templated", status_template(lang, 12345, status,
                                                                   note)[0].text, lang)
    _check("erased", templated(lang, "sms_erased").text, lang)
    # the carrier of a composed reply (up to SMS_REPLY_MAX_SEGMENTS: tests/test_templates.py)
    _check("composed", composed(lang, t(lang, "sms_pick_township") + "\n1 X\n2 Y").text, lang)
    for key in ("sms_team_report_due", "sms_team_report_chase"):
        _check(key, templated(lang, key, team=TEAM_MAX).text, lang)
    for key in ("sms_pay_check", "sms_pay_check_reminder"):
        _check(key, templated(lang, key, month=month_text("2027-09", lang)).text, lang)
    for name in BROADCAST_TEMPLATES:  # each variable as long as the provider takes
        filled = {field: LONG_VALUES[field][lang] for field in variables(name)}
        _check(f"broadcast {name}", built({"name": name, lang: filled})[lang].text, lang)
    values = {"name": profile.name, "code": "*384*1234#", "number": 12345}
    for key in ("sms_registered", "sms_registered_by_officer", "sms_case_opened",
                "sms_family_named", "ussd_dropped_register", "ussd_dropped_edit",
                "wechat_code_sms"):
        _check(key, templated(lang, key, **{f: values[f] for f in fields(key, lang)}).text,
               lang)


def test_every_template_is_rendered_by_the_tests_above():
    """A new template must be added to the renders above (or be a keyword reply)."""
    rendered = {"sms_application_shortlisted", "sms_application_confirmed",
                "sms_application_rejected", "sms_checkin", "sms_checkin_reminder",
                "sms_departure_reminder", "sms_departure_moved", "sms_departure_cancelled",
                "sms_family_departed", "sms_family_arrived", "sms_family_named",
                "sms_training_cancelled", "sms_training_notice", "sms_training_reminder",
                "sms_enrolled", "sms_enrol_lost", "sms_job_alert", "sms_registered",
                "sms_registered_by_officer", "sms_case_opened", "ussd_dropped_register",
                "ussd_dropped_edit", "wechat_code_sms", "sms_leader_squad",
                "sms_leader_vice_squad", "sms_leader_team", "sms_team_report_due",
                "sms_team_report_chase", "sms_family_heard_question", "sms_pay_check",
                "sms_pay_check_reminder", "sms_interview_invite", "sms_interview_reminder",
                "sms_interview_lost", "sms_interview_cancelled", "sms_broadcast_notice",
                "sms_broadcast_meeting", "sms_broadcast_training",
                *(f"sms_case_{status}{note}" for status in ("in_progress", "resolved", "closed")
                  for note in ("", "_note")),
                *(f"sms_apply_lost_{reason}" for reason in APPLY_REFUSALS), "sms_erased",
                "sms_reply_composed"}
    replies = {key for key in TEMPLATES if TEMPLATES[key].kind in ("reply", "opt_out")}
    assert set(TEMPLATES) <= rendered | replies, set(TEMPLATES) - rendered - replies
