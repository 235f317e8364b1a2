"""Opening a case: linked to the villager's placement, and its number sent to them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from menus.budget import sms_segments
from smsgateway.followup.cases import open_case
from smsgateway.models import Application, Case, CaseStatus, Contact, Message
from smsgateway.postings import applications
from smsgateway.services import services

from .api import placement_setting


@pytest.fixture
def setting(app, client):
    return placement_setting(app, client)


def _villager(db, phone):
    return db.scalars(select(Contact).where(Contact.phone == phone)).one().villager


def test_a_case_is_linked_to_the_confirmed_placement_and_its_number_is_texted(app, setting):
    """Villager 0 (English) is confirmed by agency A: the case names that application, its
    posting, agency and employer, starts open with an `opened` event, and the villager gets
    one SMS (one segment) with the case number."""
    phone = setting["phones"][0]
    with services(app).sessions.begin() as db:
        application = db.get(Application, setting["applications"][0])
        applications.decide(db, application, "confirm", None, channel="console",
                            today=application.posting.deadline)
    with services(app).sessions.begin() as db:
        case = open_case(db, _villager(db, phone), "wages_unpaid", "  No pay for 2 months ",
                         anonymous=True, via="sms", channel="console")
        case_id = case.id
    with services(app).sessions() as db:
        case = db.get(Case, case_id)
        assert case.application_id == setting["applications"][0]
        assert case.posting_id == setting["posting"]
        assert case.agency_id == case.posting.agency_id and case.employer_id is not None
        assert (case.status, case.anonymous, case.description) == (
            CaseStatus.OPEN, True, "No pay for 2 months")
        assert [(e.action, e.status) for e in case.events] == [("opened", CaseStatus.OPEN)]
        texts = [m.body for m in db.scalars(select(Message).where(
            Message.phone == phone, Message.kind == "case"))]
    assert len(texts) == 1 and f"case {case_id}" in texts[0]
    assert sms_segments(texts[0]) == 1


def test_a_case_without_a_placement_names_no_agency(app, setting):
    """Villager 1 only showed interest: no placement, no agency or employer; Chinese SMS."""
    phone = setting["phones"][1]
    with services(app).sessions.begin() as db:
        case_id = open_case(db, _villager(db, phone), "other", "有人要我交押金",
                            anonymous=False, via="ussd", channel="console").id
    with services(app).sessions() as db:
        case = db.get(Case, case_id)
        assert (case.application_id, case.agency_id, case.employer_id) == (None, None, None)
        text = db.scalars(select(Message.body).where(Message.phone == phone,
                                                     Message.kind == "case")).one()
    assert f"编号 {case_id}" in text
