"""Cohorts and the worker who came home (a check-in answered 3; issue 13 item 1's defects):
a member at home shows as home and no longer counts in the team a leader reports for; a
team whose leader came home gets no rounds and no chase, says it has no leader at work, and
takes a new leader as usual; a chase is recorded only when it was sent. And the moment the
workers left is one moment: the cohort's `departed_at` is the placements' (check-ins and
stability count from it), not when the officer marked the departure."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from smsgateway.followup import cohorts
from smsgateway.models import Application, CheckIn, TeamReport, Villager
from smsgateway.services import services

from .console import console_account, sign_in
from .departing import (
    LOCAL,
    confirmed_setting,
    create_departure,
    local_day,
    messages,
    sms_in,
    team_of_two,
)


def _comes_home(app, client, phone: str) -> None:
    """The villager answers 3 to a check-in: home."""
    now = datetime.now(UTC)
    with services(app).sessions.begin() as session:
        application = session.scalars(select(Application).join(Villager).where(
            Villager.contact.has(phone=phone))).one()
        session.add(CheckIn(application=application, number=1, due_at=now, sent_at=now,
                            last_sent_at=now))
    assert sms_in(client, phone, "3") is not None
    with services(app).sessions() as session:
        assert session.scalars(select(Application.returned_at).join(Villager).where(
            Villager.contact.has(phone=phone))).one() is not None


def _local(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL).astimezone(UTC)


def test_a_member_who_came_home_shows_as_home_and_leaves_the_team_size(app_factory):
    app, client, setting, departure, ids, _ = team_of_two(app_factory)
    leader, member = setting["phones"][:2]
    _comes_home(app, client, member)

    cohort = client.get(f"/api/v1/departures/{departure}/cohort", headers=setting["officer"]).json
    assert {m["villager_phone"]: m["status"] for m in cohort["members"]} == {
        leader: "departed", member: "home"}
    console_account(app, "li", "officer", area="yongde")
    sign_in(client, "li")
    for language, home in (("zh", "已回家"), ("en", "came home")):
        with client.session_transaction() as session:
            session["lang"] = language
        page = client.get(f"/console/departures/{departure}/cohort").get_data(as_text=True)
        assert page.count(home) == 1, (language, home)

    with services(app).sessions() as session:
        [lead] = cohorts.teams_led(session, ids[leader])
    assert lead.size == 1  # the leader alone is still at work
    reply = sms_in(client, leader, "TEAM 3 2 pay late")
    assert reply is not None and reply.startswith("Team 3 has 1 people"), reply


def test_a_team_whose_leader_came_home_gets_no_rounds_until_a_new_leader_is_named(
        app_factory, db):
    app, client, setting, departure, ids, first = team_of_two(app_factory)
    leader, member = setting["phones"][:2]
    _comes_home(app, client, leader)
    svc = services(app)

    for when in (_local(first, 10, 5), _local(first + timedelta(days=2), 10, 6),
                 _local(first + timedelta(days=4), 10, 7)):
        with svc.sessions.begin() as session:
            assert cohorts.run(session, when, svc.settings)[  # no round, no chase, no list
                "asked"] == 0
    assert messages(db, kind="team-report") == []
    assert db.scalars(select(TeamReport)).all() == []
    cohort = client.get(f"/api/v1/departures/{departure}/cohort", headers=setting["officer"]).json
    assert (cohort["teams_without_leader"], cohort["not_answered"]) == ([3], [])
    console_account(app, "li", "officer", area="yongde")
    sign_in(client, "li")
    for language, words in (("zh", "第3组组长已回家"), ("en", "Team 3's leader came home")):
        with client.session_transaction() as session:
            session["lang"] = language
        page = client.get(f"/console/departures/{departure}/cohort").get_data(as_text=True)
        assert words in html.unescape(page), (language, words)
    assert client.get("/api/v1/cohorts/missed-reports",
                      headers=setting["officer"]).json["total"] == 0

    # The leader at home cannot be named again (422, nothing changes); the officer names the
    # member team leader: the next run asks them the latest round.
    again = client.post(f"/api/v1/departures/{departure}/cohort/leaders",
                        headers=setting["officer"],
                        json={"role": "team_leader", "villager_id": ids[leader], "team": 3})
    assert again.status_code == 422 and "came home" in str(again.json), again.json
    assert client.get(f"/api/v1/departures/{departure}/cohort", headers=setting["officer"]
                      ).json["teams_without_leader"] == [3]
    named = client.post(f"/api/v1/departures/{departure}/cohort/leaders",
                        headers=setting["officer"],
                        json={"role": "team_leader", "villager_id": ids[member], "team": 3})
    assert named.status_code == 200 and named.json["teams_without_leader"] == []
    with svc.sessions.begin() as session:
        assert cohorts.run(session, _local(first + timedelta(days=4), 11), svc.settings)[
            "asked"] == 1
    [(phone, body)] = messages(db, kind="team-report")
    assert phone == member and "班组 3" in body


def test_a_round_whose_leader_came_home_is_listed_without_a_chase_never_sent(app_factory, db):
    app, client, setting, departure, ids, first = team_of_two(app_factory)
    leader = setting["phones"][0]
    svc = services(app)
    with svc.sessions.begin() as session:
        assert cohorts.run(session, _local(first, 10, 5), svc.settings)["asked"] == 1
    _comes_home(app, client, leader)  # asked, then home before answering

    with svc.sessions.begin() as session:
        cohorts.run(session, _local(first + timedelta(days=2), 10, 6), svc.settings)
    assert len(messages(db, kind="team-report")) == 1  # the ask only: no chase was sent
    [missed] = client.get("/api/v1/cohorts/missed-reports",
                          headers=setting["officer"]).json["items"]
    assert (missed["team"], missed["round"], missed["chased_at"], missed["leader_at_work"]) == (
        3, 1, None, False)
    assert missed["missed_at"] is not None
    cohort = client.get(f"/api/v1/departures/{departure}/cohort", headers=setting["officer"]).json
    assert cohort["teams_without_leader"] == [3]
    assert [(r["round"], r["chased_at"]) for r in cohort["not_answered"]] == [(1, None)]


def test_a_round_whose_leader_opted_out_is_listed_at_once_not_after_a_chase(app_factory, db):
    """The leader texted STOP: the round's ask cannot be sent, so nobody waits two days for
    an answer to it; the round is listed for the officer the moment it was due."""
    app, client, setting, departure, ids, first = team_of_two(app_factory)
    leader = setting["phones"][0]
    assert sms_in(client, leader, "STOP") is not None
    svc = services(app)
    with svc.sessions.begin() as session:
        assert cohorts.run(session, _local(first, 10, 5), svc.settings)["asked"] == 0
    assert messages(db, kind="team-report") == []
    [missed] = client.get("/api/v1/cohorts/missed-reports",
                          headers=setting["officer"]).json["items"]
    assert (missed["team"], missed["round"], missed["chased_at"], missed["missed_at"]) == (
        3, 1, None, _local(first, 10, 5).strftime("%Y-%m-%dT%H:%M:%SZ"))
    with svc.sessions.begin() as session:  # two days on: no chase is tried, nothing changes
        cohorts.run(session, _local(first + timedelta(days=2), 10, 6), svc.settings)
    assert messages(db, kind="team-report") == []
    assert client.get("/api/v1/cohorts/missed-reports", headers=setting["officer"]
                      ).json["items"] == [missed]


def test_the_cohorts_departed_at_is_when_the_workers_left_not_when_it_was_marked(app_factory):
    """Marked two hours after the bus left: the cohort, the placements (from which the
    arrival check-in and the stability figures count) all say the bus's time."""
    app = app_factory()
    client = app.test_client()
    setting = confirmed_setting(app, client)
    leaves_at = local_day(1, 9)
    departure = create_departure(client, setting, leaves_at).json["id"]
    with time_machine.travel(leaves_at + timedelta(hours=2), tick=False):
        assert client.post(f"/api/v1/departures/{departure}/depart",
                           headers=setting["officer"]).status_code == 200
        cohort = client.get(f"/api/v1/departures/{departure}/cohort",
                            headers=setting["officer"]).json
    left = leaves_at.astimezone(UTC)
    assert cohort["departed_at"] == left.strftime("%Y-%m-%dT%H:%M:%SZ")
    with services(app).sessions() as session:
        placed = session.scalars(select(Application.departed_at).where(
            Application.id.in_(setting["applications"][:2]))).all()
    assert {p.replace(tzinfo=UTC) if p.tzinfo is None else p for p in placed} == {left}
