"""An application the menu confirmed but a race refused: the villager is told by SMS."""

from __future__ import annotations

from sqlalchemy import select

from menus import types as m
from menus.budget import sms_segments
from smsgateway.conversation.effects import apply_effects
from smsgateway.models import Contact, Message, Posting, PostingStatus
from smsgateway.services import services

from .api import account, agency, published, registered_villager


def _apply(app, phone, job_id):
    with services(app).sessions.begin() as db:
        contact = db.scalars(select(Contact).where(Contact.phone == phone)).one()
        posting = db.get(Posting, job_id)
        apply_effects(db, contact, [m.Apply(job_id)], via="ussd", channel="console",
                      today=posting.deadline if posting else None)


def _lost(db, phone):
    db.expire_all()
    return [b for b in db.scalars(select(Message.body).where(
        Message.phone == phone, Message.kind.like("apply-lost:%")))]


def test_a_job_closed_after_the_menu_said_done_gets_a_correcting_sms(app, client, db):
    """The villager confirmed on the menu; the job was closed before the effect ran: one SMS
    in their language says it did not go through and why, in one segment; applying to an
    open job, or again to the same one, sends nothing of the kind."""
    officer = account(app, "o", "officer", area="yongde")
    head = account(app, "a", "agency", agency_id=agency(app, "Wanxin", "LIC-1"))
    open_job = published(app, client, head, officer)
    closed_job = published(app, client, head, officer)
    with services(app).sessions.begin() as session:
        session.get(Posting, closed_job).status = PostingStatus.CLOSED
    chinese, english = registered_villager(app, 1, "zh"), registered_villager(app, 2, "en")
    for phone in (chinese, english):
        _apply(app, phone, open_job)
        _apply(app, phone, open_job)  # already applied: nothing to correct
        _apply(app, phone, closed_job)
    [zh] = _lost(db, chinese)
    [en] = _lost(db, english)
    assert zh.startswith(f"抱歉，您报名工作{closed_job}(电子厂普工)没有成功：该工作已停止报名。")
    assert en.startswith(f"Sorry, your application for job {closed_job} (Electronics factory "
                         "worker) did not go through: This job is no longer open.")
    assert sms_segments(zh) == 1 and sms_segments(en) == 1
