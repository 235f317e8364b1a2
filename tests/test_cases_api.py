"""The cases API: listing and scoping, anonymity in the agency's view, assignment, guarded
status moves with an SMS to the villager each time, stale flagging."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openapi_spec_validator import validate
from sqlalchemy import select

from menus.budget import sms_segments
from smsgateway.followup.cases import is_stale, open_case
from smsgateway.models import Application, Case, CaseStatus, Contact, Message, User
from smsgateway.postings import applications
from smsgateway.services import services

from .api import account, applied, placement_setting, registered_villager


@pytest.fixture
def setting(app, client):
    """placement_setting, villager 0 (English) confirmed by agency A; an admin, an officer of
    Gengma (elsewhere). Cases: 0 for villager 0 (anonymous, agency A's), 1 for villager 1
    (Chinese, no placement)."""
    world = placement_setting(app, client)
    world["admin"] = account(app, "root", "admin")
    world["gengma"] = account(app, "g", "officer", area="gengma")
    with services(app).sessions.begin() as db:
        application = db.get(Application, world["applications"][0])
        applications.decide(db, application, "confirm", None, channel="console",
                            today=application.posting.deadline)
    world["cases"] = [_open(app, world["phones"][0], anonymous=True),
                      _open(app, world["phones"][1], anonymous=False)]
    return world


def _villager(db, phone):
    return db.scalars(select(Contact).where(Contact.phone == phone)).one().villager


def _open(app, phone, anonymous, category="wages_unpaid", text="No pay since May"):
    with services(app).sessions.begin() as db:
        return open_case(db, _villager(db, phone), category, text, anonymous, via="sms",
                         channel="console").id


def _ids(client, head, query=""):
    response = client.get(f"/api/v1/cases{query}", headers=head)
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


def _user_id(app, name):
    with services(app).sessions() as db:
        return db.scalars(select(User.id).where(User.name == name)).one()


def _case_texts(app, phone):
    with services(app).sessions() as db:
        return [m.body for m in db.scalars(select(Message).where(
            Message.phone == phone, Message.kind == "case").order_by(Message.id))]


def test_each_role_lists_only_the_cases_it_may_see(client, setting):
    """Admin and Yongde's officer: both; Gengma's officer: none; agency A: its placement's
    case only; agency B: none."""
    anonymous, plain = setting["cases"]
    assert sorted(_ids(client, setting["admin"])) == [anonymous, plain]
    assert sorted(_ids(client, setting["officer"])) == [anonymous, plain]
    assert _ids(client, setting["gengma"]) == []
    assert _ids(client, setting["a"]) == [anonymous]
    assert _ids(client, setting["b"]) == []


def test_a_case_outside_the_callers_scope_is_404(client, setting):
    """Gengma's officer, agency B, and agency A on a case with no agency: 404, as for a case
    that does not exist."""
    anonymous, plain = setting["cases"]
    for head, case in ((setting["gengma"], anonymous), (setting["b"], anonymous),
                       (setting["a"], plain), (setting["admin"], plain + 100)):
        response = client.get(f"/api/v1/cases/{case}", headers=head)
        assert response.status_code == 404 and response.json["error"] == "no such case"
    assert client.post(f"/api/v1/cases/{anonymous}/status", headers=setting["gengma"],
                       json={"status": "in_progress"}).status_code == 404


def test_an_anonymous_case_hides_the_villager_from_the_agency_but_not_the_officer(
        client, setting):
    """Agency A's view of the anonymous case has no villager (id, name, phone), no township,
    no application, and (3 applicants) no posting; the officer's view has them all."""
    case = setting["cases"][0]
    agency = client.get(f"/api/v1/cases/{case}", headers=setting["a"])
    listed = client.get("/api/v1/cases", headers=setting["a"]).json["items"][0]
    officer = client.get(f"/api/v1/cases/{case}", headers=setting["officer"]).json
    phone, name = setting["phones"][0], officer["villager"]["name"]
    for view in (agency.json, listed):
        assert view["villager"] is None and view["area"] is None
        assert view["application_id"] is None and view["anonymous"] is True
        assert view["posting_id"] is None and view["employer_id"] is None  # 3 applicants
    assert phone not in agency.get_data(as_text=True) and name not in agency.get_data(
        as_text=True)
    assert officer["villager"]["phone"] == phone and name == "村民0"
    assert officer["area"] == "yongde.dedang"
    assert officer["application_id"] == setting["applications"][0]


@pytest.mark.parametrize("applicants, posting_shown", [(4, False), (5, True)])
def test_an_anonymous_case_names_its_posting_to_the_agency_only_from_five_applicants(
        app, client, setting, applicants, posting_shown):
    """With fewer than 5 applicants the agency's own applicant list would narrow the
    reporter down: no posting_id (nor employer_id) in its view, in the list and the detail,
    API and console; from 5 on, what the problem is about is shown. The officer always
    sees it."""
    for n in range(3, applicants):
        applied(app, setting["posting"], registered_villager(app, n))
    case = setting["cases"][0]
    detail = client.get(f"/api/v1/cases/{case}", headers=setting["a"]).json
    listed = client.get("/api/v1/cases", headers=setting["a"]).json["items"][0]
    for view in (detail, listed):
        assert (view["posting_id"] is not None) is posting_shown
        assert (view["employer_id"] is not None) is posting_shown
        if posting_shown:
            assert view["posting_id"] == setting["posting"]
    officer = client.get(f"/api/v1/cases/{case}", headers=setting["officer"]).json
    assert officer["posting_id"] == setting["posting"] and officer["employer_id"] is not None


def test_an_anonymous_case_shows_the_agency_its_times_only_to_the_week(app, client, setting):
    """Every time of the agency's view (opened, touched, each event) is the Monday 00:00,
    programme time, of its week: nothing to match against an application's exact times.
    The officer sees the exact times."""
    case = setting["cases"][0]
    with services(app).sessions.begin() as db:  # opened on a Thursday afternoon, Lincang time
        row = db.get(Case, case)
        row.created_at = datetime(2026, 10, 15, 7, 23, 45, tzinfo=UTC)
        for event in row.events:
            event.at = datetime(2026, 10, 15, 7, 23, 45, tzinfo=UTC)
    assert client.post(f"/api/v1/cases/{case}/status", headers=setting["officer"],
                       json={"status": "in_progress"}).status_code == 200
    monday = datetime(2026, 10, 12, tzinfo=ZoneInfo("Asia/Shanghai"))
    agency = client.get(f"/api/v1/cases/{case}", headers=setting["a"]).json
    listed = client.get("/api/v1/cases", headers=setting["a"]).json["items"][0]
    for view in (agency, listed):
        assert datetime.fromisoformat(view["created_at"]) == monday
        touched = datetime.fromisoformat(view["touched_at"]).astimezone(ZoneInfo("Asia/Shanghai"))
        assert (touched.weekday(), touched.hour, touched.minute, touched.second) == (0, 0, 0, 0)
    assert datetime.fromisoformat(agency["events"][0]["at"]) == monday
    for event in agency["events"]:
        local = datetime.fromisoformat(event["at"]).astimezone(ZoneInfo("Asia/Shanghai"))
        assert (local.weekday(), local.hour, local.minute, local.second) == (0, 0, 0, 0)
    officer = client.get(f"/api/v1/cases/{case}", headers=setting["officer"]).json
    assert datetime.fromisoformat(officer["created_at"]) == \
        datetime(2026, 10, 15, 7, 23, 45, tzinfo=UTC)
    assert datetime.fromisoformat(officer["touched_at"]) != \
        datetime.fromisoformat(agency["touched_at"])


def test_the_consoles_case_pages_show_the_agency_an_anonymous_case_only_to_the_week(
        app, client, setting):
    """The console's case list and case page (the API's view of the case): the agency reads
    the Monday 00:00 of the week, never the exact time the officer reads."""
    from smsgateway.models import Agency

    from .console import console_account, sign_in

    case = setting["cases"][0]
    with services(app).sessions.begin() as db:
        row = db.get(Case, case)
        row.created_at = datetime(2026, 10, 15, 7, 23, 45, tzinfo=UTC)  # 15:23 in Lincang
        for event in row.events:
            event.at = row.created_at
        agency_id = db.scalars(select(Agency.id).where(Agency.licence_number == "LIC-001")).one()
    console_account(app, "a-console", "agency", agency_id=agency_id)
    console_account(app, "o-console", "officer", area="yongde")
    sign_in(client, "a-console")
    for path in ("/console/cases", f"/console/cases/{case}"):
        page = client.get(path).get_data(as_text=True)
        assert "2026-10-12 00:00" in page and "15:23" not in page, path
    sign_in(client, "o-console")
    assert "2026-10-15 15:23" in client.get(f"/console/cases/{case}").get_data(as_text=True)


def test_a_case_that_is_not_anonymous_shows_the_villager_to_its_agency(app, client, setting):
    """Villager 0's second, named report: agency A sees who it is."""
    case = _open(app, setting["phones"][0], anonymous=False, category="fees", text="800 yuan")
    view = client.get(f"/api/v1/cases/{case}", headers=setting["a"]).json
    assert view["villager"]["phone"] == setting["phones"][0]
    assert view["category"] == "fees" and view["events"][0]["action"] == "opened"


def test_agencies_may_not_assign_or_move_a_case(client, setting):
    """Read only: 403 for an agency, even on its own case; the case is unchanged."""
    case = setting["cases"][0]
    assert client.post(f"/api/v1/cases/{case}/status", headers=setting["a"],
                       json={"status": "closed"}).status_code == 403
    assert client.post(f"/api/v1/cases/{case}/assign", headers=setting["a"],
                       json={"user_id": 1}).status_code == 403
    assert client.get(f"/api/v1/cases/{case}", headers=setting["a"]).json["status"] == "open"


def test_guarded_moves_record_events_and_text_the_villager_each_time(app, client, setting):
    """open → resolved is refused (409); open → in_progress → resolved → in_progress (reopen)
    → closed are recorded with their notes; a closed case moves no more. Each move sends one
    SMS in the villager's language (English here), within 2 segments."""
    case, phone = setting["cases"][0], setting["phones"][0]
    url, head = f"/api/v1/cases/{case}/status", setting["officer"]
    before = len(_case_texts(app, phone))  # the case number, when it was opened
    skip = client.post(url, headers=head, json={"status": "resolved"})
    assert skip.status_code == 409 and skip.json["field"] == "status"
    moves = [("in_progress", None), ("resolved", "Employer paid 8000 yuan on 3 June"),
             ("in_progress", "Reopened: only half was paid"), ("closed", None)]
    for status, note in moves:
        response = client.post(url, headers=head, json={"status": status, "note": note})
        assert response.status_code == 200, response.json
        assert response.json["status"] == status and response.json["touched_at"]
    for status in ("in_progress", "closed", "open"):
        assert client.post(url, headers=head, json={"status": status}).status_code in (409, 422)
    detail = client.get(f"/api/v1/cases/{case}", headers=head).json
    assert [(e["action"], e["status"], e["note"]) for e in detail["events"]] == [
        ("opened", "open", None), *[("status", s, n) for s, n in moves]]
    assert detail["closed_at"] is not None
    texts = _case_texts(app, phone)[before:]
    assert texts == [
        f"Case {case}: an officer is now working on your report.",
        f"Case {case} is resolved. If the problem is not solved, reply PROBLEM. "
        "Note: Employer paid 8000 yuan on 3 June",
        f"Case {case}: an officer is now working on your report. "
        "Note: Reopened: only half was paid",
        f"Case {case} is closed.",
    ]
    assert all(sms_segments(text) <= 2 for text in texts)


def test_a_long_note_is_clipped_to_two_segments_in_chinese(app, client, setting):
    """Villager 1 reads Chinese: the status SMS is Chinese and a 500-character note is
    clipped so the whole stays within 2 segments; the event keeps the whole note."""
    case, phone = setting["cases"][1], setting["phones"][1]
    note = "已联系用人单位，" * 62
    response = client.post(f"/api/v1/cases/{case}/status", headers=setting["admin"],
                           json={"status": "in_progress", "note": note[:500]})
    assert response.status_code == 200
    assert response.json["events"][-1]["note"] == note[:500]
    text = _case_texts(app, phone)[-1]
    assert text.startswith(f"问题编号 {case}：工作人员正在处理。说明：已联系用人单位")
    assert sms_segments(text) == 2


def test_assign_to_an_officer_of_the_area_or_an_admin(app, client, setting):
    """The officer assigns to themself and an admin: each an event, the case touched; Gengma's
    officer, an agency account or an unknown user: 422; ?assigned_to= lists theirs."""
    case = setting["cases"][1]
    url, head = f"/api/v1/cases/{case}/assign", setting["officer"]
    officer, admin, gengma, agency = (_user_id(app, n) for n in ("o", "root", "g", "a"))
    for user_id in (gengma, agency, 9999):
        response = client.post(url, headers=head, json={"user_id": user_id})
        assert response.status_code == 422 and response.json["field"] == "user_id"
    assert client.get(f"/api/v1/cases/{case}", headers=head).json["touched_at"] is None
    first = client.post(url, headers=head, json={"user_id": officer}).json
    assert first["assigned_to"] == officer and first["touched_at"] is not None
    assert _ids(client, setting["admin"], f"?assigned_to={officer}") == [case]
    second = client.post(url, headers=setting["admin"], json={"user_id": admin}).json
    assert second["assigned_to"] == admin
    assert [e["action"] for e in second["events"]] == ["opened", "assigned", "assigned"]
    assert _ids(client, setting["admin"], f"?assigned_to={officer}") == []
    assert client.post(url, headers=head, json={"user_id": "x"}).status_code == 422


def test_filters_and_pagination(client, setting):
    """?status= and pages like postings; an unknown status or a bad flag is 400."""
    anonymous, plain = setting["cases"]
    client.post(f"/api/v1/cases/{plain}/status", headers=setting["officer"],
                json={"status": "in_progress"})
    assert _ids(client, setting["admin"], "?status=in_progress") == [plain]
    assert _ids(client, setting["admin"], "?status=open") == [anonymous]
    page = client.get("/api/v1/cases?per_page=1&page=2", headers=setting["admin"]).json
    assert (page["total"], page["page"], len(page["items"])) == (2, 2, 1)
    for query in ("?status=lost", "?stale=maybe", "?assigned_to=me"):
        assert client.get(f"/api/v1/cases{query}", headers=setting["admin"]).status_code == 400


def _age(app, case_id, created_days=None, touched_days=None):
    """Move a case's clock back: opened and last touched so many days ago."""
    now = datetime.now(UTC)
    with services(app).sessions.begin() as db:
        case = db.get(Case, case_id)
        if created_days is not None:
            case.created_at = now - timedelta(days=created_days)
        case.touched_at = None if touched_days is None else now - timedelta(days=touched_days)


def test_stale_cases_are_flagged_and_listed_oldest_untouched_first(app, client, setting):
    """CASE_STALE_DAYS is 3: opened 10 days ago and never touched, and touched 4 days ago,
    are stale (the older first); touched yesterday, or closed long ago, is not."""
    untouched, touched_long_ago = setting["cases"]
    recent = _open(app, setting["phones"][2], anonymous=False)
    closed = _open(app, setting["phones"][2], anonymous=False, category="other")
    client.post(f"/api/v1/cases/{closed}/status", headers=setting["officer"],
                json={"status": "closed"})
    _age(app, untouched, created_days=10)
    _age(app, touched_long_ago, created_days=20, touched_days=4)
    _age(app, recent, created_days=20, touched_days=1)
    _age(app, closed, created_days=30, touched_days=30)
    head = setting["admin"]
    assert _ids(client, head, "?stale=true") == [untouched, touched_long_ago]
    assert sorted(_ids(client, head, "?stale=false")) == sorted([recent, closed])
    flags = {item["id"]: item["stale"] for item in client.get(
        "/api/v1/cases", headers=head).json["items"]}
    assert flags == {untouched: True, touched_long_ago: True, recent: False, closed: False}
    assert client.get(f"/api/v1/cases/{untouched}", headers=head).json["stale"] is True


def test_stale_days_come_from_the_setting(app_factory):
    """CASE_STALE_DAYS from the environment-like settings; 3 by default."""
    from smsgateway.config import DEFAULTS

    assert DEFAULTS["CASE_STALE_DAYS"] == 3
    assert services(app_factory(CASE_STALE_DAYS=7)).settings["CASE_STALE_DAYS"] == 7


def test_is_stale_with_an_injected_now():
    """Exactly at the limit a case is stale; a moment before it is not; a resolved case never."""
    opened = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    case = Case(status=CaseStatus.OPEN, created_at=opened, touched_at=None)
    assert not is_stale(case, opened + timedelta(days=3) - timedelta(seconds=1), 3)
    assert is_stale(case, opened + timedelta(days=3), 3)
    case.touched_at = opened + timedelta(days=2)
    assert not is_stale(case, opened + timedelta(days=4), 3)
    assert is_stale(case, opened + timedelta(days=5), 3)
    case.status = CaseStatus.RESOLVED
    assert not is_stale(case, opened + timedelta(days=50), 3)


def test_the_openapi_document_validates_with_the_case_routes(client):
    """The document is still valid OpenAPI and lists the case routes."""
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    assert {"/cases", "/cases/{case_id}", "/cases/{case_id}/assign",
            "/cases/{case_id}/status"} <= set(document["paths"])
