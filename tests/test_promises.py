"""Promise against reality: the arrival check-in's "1" or "2" is answered with "is the job
the one the posting described?", then "are the wage and the hours as it said?"; a "no"
opens exactly one contract case against the posting, its agency and its employer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from menus.budget import sms_segments
from smsgateway.followup.checkins import add_months
from smsgateway.models import Application, Case, CaseEvent, Posting, PromiseCheck
from workers.checkins import run

from .departing import confirmed_setting, create_departure, local_day, messages, sms_in

JOB_Q = "Is the job the one the posting described? Reply 1 yes, 2 no."
PAY_Q = "Are the wage and the hours as the posting said? Reply 1 yes, 2 no."


@pytest.fixture
def arrived(app, client, db):
    """Villagers 0 (English) and 1 (Chinese) departed; the arrival check-in went out."""
    setting = confirmed_setting(app, client)
    departure = create_departure(client, setting, local_day(1, 10)).json
    marked = client.post(f"/api/v1/departures/{departure['id']}/depart",
                         headers=setting["officer"])
    assert marked.status_code == 200, marked.json
    departed_at = db.get(Application, setting["applications"][0]).departed_at
    assert run(now=departed_at + timedelta(days=3, minutes=1))["sent"] == 2
    return {**setting, "departed_at": departed_at}


def _checks(db):
    db.expire_all()
    return db.scalars(select(PromiseCheck).order_by(PromiseCheck.id)).all()


def _cases(db):
    db.expire_all()
    return db.scalars(select(Case).order_by(Case.id)).all()


def test_a_kept_promise_asks_two_questions_in_the_replies_and_opens_no_case(
        app, client, arrived, db):
    """1 to the arrival, 1, 1: each reply asks the next question, the last says where the
    answers go; both answers are stored, nothing else is sent, no case."""
    en = arrived["phones"][0]
    before = len(messages(db, phone=en))
    assert sms_in(client, en, "1") == f"Glad you arrived well. {JOB_Q}"
    assert sms_in(client, en, "1") == PAY_Q
    last = sms_in(client, en, "1")
    assert last == ("Thank you. Answers like yours show the next villagers which employers "
                    "keep their word.")
    [check] = _checks(db)
    assert (check.application_id, check.job_as_promised, check.pay_as_promised) == (
        arrived["applications"][0], True, True)
    assert check.answered_at is not None and check.case_id is None
    assert _cases(db) == []
    # Nothing was sent but the three replies (TwiML answers, recorded as sent).
    assert len(messages(db, phone=en)) == before + 3  # the three replies, recorded sent


def test_not_as_promised_opens_exactly_one_contract_case_even_when_answered_twice(
        app, client, arrived, db):
    """2 to "the job", 2 again (a repeat), then 2 to "the wage and hours": one contract case
    naming the posting, its agency and its employer; the second no is a note on it; the
    repeat is "already noted" and changes nothing."""
    zh = arrived["phones"][1]
    sms_in(client, zh, "1")
    reply = sms_in(client, zh, "2")
    assert reply.startswith("已记录，工作人员会跟进") and reply.endswith("回复 1 一样，2 不一样。")
    assert sms_segments(reply) <= 2
    [case] = _cases(db)
    posting = db.get(Posting, arrived["posting"])
    assert (case.category.value, case.via, case.application_id, case.posting_id,
            case.agency_id, case.employer_id) == (
        "contract", "checkin", arrived["applications"][1], posting.id, posting.agency_id,
        posting.employer_id)
    assert any(f"编号 {case.id}" in body for _, body in messages(db, kind="case", phone=zh))
    assert sms_in(client, zh, "2") == ("谢谢！工作人员会跟进（案件编号另发短信）。"
                                       "您的回答会提醒后来的乡亲。")
    assert sms_in(client, zh, "2") == "您的回答已记录，谢谢。如需补充，请发送 投诉。"
    assert sms_in(client, zh, "1") == "您的回答已记录，谢谢。如需补充，请发送 投诉。"
    [check] = _checks(db)
    assert (check.job_as_promised, check.pay_as_promised, check.case_id) == (
        False, False, case.id)
    assert [c.id for c in _cases(db)] == [case.id]
    notes = db.scalars(select(CaseEvent.note).where(CaseEvent.case_id == case.id,
                                                   CaseEvent.action == "note")).all()
    assert notes == ["Arrival check: the wage or the hours are not as the posting said."]
    assert len(messages(db, kind="case", phone=zh)) == 1  # one case number, once


def test_the_arrival_problem_case_is_refiled_as_contract_not_doubled(
        app, client, arrived, db):
    """2 (a problem) to the arrival opens a case; a "no" to the job re-files that case as
    contract instead of opening a second one."""
    en = arrived["phones"][0]
    assert sms_in(client, en, "2") == ("Sorry to hear it: an officer will contact you. "
                                       f"{JOB_Q}")
    [case] = _cases(db)
    assert case.category.value == "other"
    assert sms_in(client, en, "2").startswith("Noted: an officer will take it up")
    [refiled] = _cases(db)
    assert (refiled.id, refiled.category.value) == (case.id, "contract")
    assert _checks(db)[0].case_id == case.id
    assert sms_in(client, en, "1") == ("Thank you. An officer will take it up (case number "
                                       "by SMS). Answers like yours warn the next villagers.")


def test_an_odd_digit_asks_the_question_again_and_home_asks_nothing(app, client, arrived, db):
    """"5" to an open question repeats it; a worker who answered 3 (home) is not asked."""
    en, zh = arrived["phones"][:2]
    sms_in(client, en, "1")
    assert sms_in(client, en, "5") == JOB_Q
    assert sms_in(client, zh, "3").startswith("欢迎回家")
    assert [c.application_id for c in _checks(db)] == [arrived["applications"][0]]
    assert sms_in(client, zh, "1").startswith("没看懂")  # nothing open: not understood


def test_a_later_checkin_takes_the_digit_from_an_unanswered_promise_question(
        app, client, arrived, db):
    """A month on, the monthly check-in (asked after the promise question) takes "1"; once it
    is answered, the still open promise question takes the next digit (late answers)."""
    en = arrived["phones"][0]
    sms_in(client, en, "1")  # the arrival; the job question now waits
    run(now=add_months(arrived["departed_at"], 1) + timedelta(minutes=1))
    assert sms_in(client, en, "1") == ("Thank you, glad all is well. Send PROBLEM at any "
                                       "time if that changes.")
    assert _checks(db)[0].job_as_promised is None
    assert sms_in(client, en, "1") == PAY_Q
    assert _checks(db)[0].job_as_promised is True
