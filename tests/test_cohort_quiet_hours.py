"""Cohorts' periodic job: nothing is asked in the quiet hours (a team report round falling
due, the family's question about an unanswered arrival wait for the morning; the arrival is
noticed at once all the same), and a noticed arrival tops the officers' follow-up list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from smsgateway.followup import cohorts
from smsgateway.models import Application, ArrivalNotice, CheckIn, Message, TeamReport
from smsgateway.services import services
from smsgateway.villagers import family

from .departing import LOCAL, confirmed_setting, create_departure, local_day, sms_in, team_of_two


def _kinds(db, kind):
    db.expire_all()
    return [(m.phone, m.body) for m in db.scalars(select(Message).where(Message.kind == kind))]


def test_rounds_and_family_questions_wait_for_the_end_of_the_quiet_hours(app_factory, db):
    app, client, setting, departure, ids, first = team_of_two(app_factory, QUIET_HOURS="21-8")
    leader = setting["phones"][0]
    svc = services(app)
    settings = svc.settings
    sent = datetime.now(UTC)
    with svc.sessions.begin() as session:
        application = session.scalars(select(Application).where(
            Application.id == setting["applications"][1])).one()
        family.name(session, application.villager, "+8613912345678", "console", "zh")
        session.add(CheckIn(application=application, number=0, due_at=sent, sent_at=sent,
                            last_sent_at=sent))

    # 23:00 on the day the round fell due (at 10:00), two days after the check-in: quiet.
    night = datetime.combine(first, datetime.min.time(), LOCAL) + timedelta(hours=23)
    with svc.sessions.begin() as session:
        done = cohorts.run(session, night.astimezone(UTC), settings)
    assert (done["asked"], done["families_asked"], done["arrivals_noticed"]) == (0, 0, 1)
    assert _kinds(db, "team-report") == [] and db.scalars(select(TeamReport)).all() == []
    [notice] = db.scalars(select(ArrivalNotice)).all()
    assert notice.noticed_at is not None and notice.family_asked_at is None
    assert len([b for p, b in _kinds(db, "family") if p == "+8613912345678"]) == 1  # named

    # 08:01 the next morning: the round is asked, the family too, once each.
    morning = night + timedelta(hours=9, minutes=1)
    for _ in range(2):
        with svc.sessions.begin() as session:
            cohorts.run(session, morning.astimezone(UTC), settings)
    [(phone, body)] = _kinds(db, "team-report")
    assert phone == leader and "TEAM 3 OK" in body
    asked = [body for phone, body in _kinds(db, "family") if phone == "+8613912345678"]
    assert len(asked) == 2 and "回复 1 有，2 没有" in asked[-1]  # named, then asked
    [report] = db.scalars(select(TeamReport)).all()
    assert (report.round, report.team_number) == (1, 3)


def test_an_arrival_noticed_goes_above_older_flagged_check_ins(app_factory, db):
    """The follow-up list: an unanswered arrival nobody answered for comes first, before a
    check-in flagged days earlier; once the family says they heard, it falls back in line
    (still listed while the worker's own check-in is flagged)."""
    app = app_factory()
    client = app.test_client()
    setting = confirmed_setting(app, client)
    departure = create_departure(client, setting, local_day(1, 9)).json["id"]
    assert client.post(f"/api/v1/departures/{departure}/depart",
                       headers=setting["officer"]).status_code == 200
    older, newer = setting["applications"][:2]
    now = datetime.now(UTC)
    svc = services(app)
    with svc.sessions.begin() as session:
        flagged = CheckIn(application_id=older, number=1, due_at=now - timedelta(days=20),
                          sent_at=now - timedelta(days=20), last_sent_at=now, reminders=2,
                          flagged_at=now - timedelta(days=10))
        arrival = CheckIn(application_id=newer, number=0, due_at=now - timedelta(days=2),
                          sent_at=now - timedelta(days=2), last_sent_at=now)
        session.add_all([flagged, arrival])
        session.flush()
        family.name(session, session.get(Application, newer).villager, "+8613912345678",
                    "console", "zh")
    with svc.sessions.begin() as session:
        assert cohorts.run(session, now, svc.settings)["families_asked"] == 1

    def listed():
        items = client.get("/api/v1/checkins/follow-up", headers=setting["officer"]).json
        return [(i["application_id"], i["arrival_noticed_at"] is not None, i["heard_via"])
                for i in items["items"]]

    assert listed() == [(newer, True, None), (older, False, None)]
    assert "收到" in sms_in(client, "+8613912345678", "1")
    assert listed() == [(older, False, None)]  # heard from, and not flagged: off the list
