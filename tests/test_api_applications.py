"""Agencies work their applicants: shortlist, confirm within the positions, reject with reasons."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from smsgateway.models import Contact, Message, Posting, PostingStatus
from smsgateway.postings import applications
from smsgateway.services import services

from .api import account, agency, applied, placement_setting, published
from .api import registered_villager as _villager


@pytest.fixture
def setting(app, client):
    """Agency A's published posting with three applicants; agency B and Yongde's officer."""
    return placement_setting(app, client)


def _texts(app, phone):
    with services(app).sessions() as db:
        return [m.body for m in db.scalars(select(Message).where(Message.phone == phone)
                                            .order_by(Message.id))]


def test_agency_lists_its_applicants(client, setting):
    """Names, phones and statuses of the posting's applicants, oldest first."""
    listing = client.get(f"/api/v1/postings/{setting['posting']}/applications",
                         headers=setting["a"]).json
    assert listing["total"] == 3
    assert [i["villager_phone"] for i in listing["items"]] == setting["phones"]
    assert {i["status"] for i in listing["items"]} == {"interested"}


def test_another_agency_gets_404_for_the_posting_and_its_applicants(client, setting):
    """Agency B can neither list A's applicants nor act on them."""
    url = f"/api/v1/postings/{setting['posting']}/applications"
    assert client.get(url, headers=setting["b"]).status_code == 404
    first = setting["applications"][0]
    response = client.post(f"/api/v1/applications/{first}/confirm", headers=setting["b"], json={})
    assert response.status_code == 404
    assert client.get(url, headers=setting["a"]).json["items"][0]["status"] == "interested"


def test_shortlist_confirm_reject_each_tell_the_villager(app, client, setting):
    """Each decision moves the status and sends the villager an SMS in their language."""
    first, second, _ = setting["applications"]
    shortlisted = client.post(f"/api/v1/applications/{first}/shortlist", headers=setting["a"],
                              json={})
    assert shortlisted.status_code == 200 and shortlisted.json["status"] == "shortlisted"
    confirmed = client.post(f"/api/v1/applications/{first}/confirm", headers=setting["a"],
                            json={})
    assert confirmed.json["status"] == "confirmed"
    bare = client.post(f"/api/v1/applications/{second}/reject", headers=setting["a"], json={})
    assert bare.status_code == 422 and bare.json["field"] == "reason"
    rejected = client.post(f"/api/v1/applications/{second}/reject", headers=setting["a"],
                           json={"reason": "Positions need 2 years' experience"})
    assert rejected.json["status"] == "rejected"

    texts_first = _texts(app, setting["phones"][0])  # villager 0 reads English
    assert len(texts_first) == 2 and "Electronics factory worker" in texts_first[1]
    [text_second] = _texts(app, setting["phones"][1])  # villager 1 reads Chinese
    assert "电子厂普工" in text_second and "2 years" in text_second


def test_a_decision_out_of_order_is_refused(client, setting):
    """Shortlisting a confirmed applicant is a 409 that changes nothing."""
    first = setting["applications"][0]
    client.post(f"/api/v1/applications/{first}/confirm", headers=setting["a"], json={})
    again = client.post(f"/api/v1/applications/{first}/shortlist", headers=setting["a"], json={})
    assert again.status_code == 409
    listing = client.get(f"/api/v1/postings/{setting['posting']}/applications",
                         headers=setting["a"]).json
    assert listing["items"][0]["status"] == "confirmed"


def test_twenty_concurrent_confirmations_confirm_exactly_the_positions(app):
    """20 agency requests race for 5 positions: 5 confirmed, 15 refused, the posting filled."""
    client = app.test_client()
    head = account(app, "a", "agency", agency_id=agency(app, "Wanxin", "LIC-001"))
    officer = account(app, "o", "officer", area="yongde")
    posting_id = published(app, client, head, officer, positions=5)
    ids = [applied(app, posting_id, _villager(app, n)) for n in range(20)]
    barrier, statuses = threading.Barrier(len(ids)), []

    def confirm(application_id):
        own_client = app.test_client()
        barrier.wait()
        statuses.append(own_client.post(f"/api/v1/applications/{application_id}/confirm",
                                        headers=head, json={}).status_code)

    threads = [threading.Thread(target=confirm, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * 5 + [409] * 15
    with services(app).sessions() as db:
        posting = db.get(Posting, posting_id)
        assert (posting.confirmed, posting.status) == (5, PostingStatus.FILLED)
        told = db.scalars(select(Message).where(Message.kind == "application")).all()
        assert len(told) == 5  # one SMS per confirmation, none for the refused


def test_withdrawing_a_confirmed_place_reopens_a_filled_posting(app, client, setting):
    """A villager who withdraws frees the place for someone else."""
    with services(app).sessions.begin() as db:
        db.get(Posting, setting["posting"]).positions = 1
    first, second, _ = setting["applications"]
    client.post(f"/api/v1/applications/{first}/confirm", headers=setting["a"], json={})
    assert client.post(f"/api/v1/applications/{second}/confirm", headers=setting["a"],
                       json={}).status_code == 409
    with services(app).sessions.begin() as db:
        contact = db.scalars(select(Contact).where(Contact.phone == setting["phones"][0])).one()
        applications.withdraw(db, contact.villager, setting["posting"])
    assert client.post(f"/api/v1/applications/{second}/confirm", headers=setting["a"],
                       json={}).status_code == 200
