"""Labour-service files: assisted registration by an officer, and a township's CSV imported
with a dry run, all-or-nothing, and no duplicates on a second import."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from menus.budget import sms_segments
from smsgateway.models import Message, Villager

from .api import account

YEAR = date.today().year

# A township file as a clerk keeps it: Chinese headers, names of places and skills.
CLEAN = """电话,姓名,性别,出生年份,乡镇,技能,愿意出省,语言
13900000001,李明,男,1990,德党镇,建筑;工厂普工,是,
13900000002,Wang Fang,female,1995,yongde.yongkang,,no,en
+8613900000003,岩温,1,1988,Mengban Township,,,
"""

BAD = f"""phone,name,sex,birth_year,township,skills
13900000011,张三,男,1990,德党镇,
12345,李四,男,1990,德党镇,
13900000013,,女,1990,德党镇,
13900000014,王五,x,{YEAR - 70},德党镇,
13900000015,赵六,男,1990,No Such Town,
13900000016,钱七,男,1990,凤山镇,
13900000011,孙八,女,1992,德党镇,
13900000018,周九,女,1992,德党镇,juggling
"""


def _count(db, model):
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


def _import(client, who, text, dry_run):
    return client.post("/api/v1/villagers/import", headers=who,
                       json={"csv": text, "dry_run": dry_run, "consent": True})


def test_assisted_registration_records_consent_and_texts_the_villager(app, client, db):
    """An officer of Yongde registers a villager: 201 with the record, the officer and the
    time of consent kept, and one SMS in the villager's language telling them (and STOP)."""
    officer = account(app, "o", "officer", area="yongde")
    response = client.post("/api/v1/villagers", headers=officer, json={
        "phone": "139 0000 0101", "name": "李明", "sex": "男", "birth_year": 1990,
        "township": "德党镇", "skills": ["construction"], "consent": True})
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["phone"], body["township"], body["county"], body["skills"]) == (
        "+8613900000101", "yongde.dedang", "yongde", ["construction"])
    assert body["registered_via"] == "officer" and body["consent_recorded_at"]
    assert body["registered_by_id"] is not None
    [text] = db.scalars(select(Message.body).where(Message.phone == "+8613900000101"))
    assert text.startswith("李明，工作人员已为您在临沧务工服务登记") and "退订" in text
    assert sms_segments(text) == 1
    again = client.post("/api/v1/villagers", headers=officer, json={
        "phone": "13900000101", "name": "李明", "sex": "m", "birth_year": 1990,
        "township": "yongde.dedang", "consent": True})
    assert again.status_code == 409 and again.json["field"] == "phone"


def test_assisted_registration_refuses_without_consent_or_outside_the_area(app, client, db):
    """No consent: 422 on `consent`; a township outside the officer's county: 404 on
    `township`, as an unknown one; a bad year of birth: 422 naming it. Nothing is stored."""
    officer = account(app, "o", "officer", area="yongde")
    body = {"phone": "13900000102", "name": "李明", "sex": "m", "birth_year": 1990,
            "township": "yongde.dedang", "consent": False}
    refused = client.post("/api/v1/villagers", headers=officer, json=body)
    assert (refused.status_code, refused.json["field"]) == (422, "consent")
    outside = client.post("/api/v1/villagers", headers=officer,
                          json={**body, "consent": True, "township": "fengqing.fengshan"})
    assert (outside.status_code, outside.json["field"]) == (404, "township")
    old = client.post("/api/v1/villagers", headers=officer,
                      json={**body, "consent": True, "birth_year": YEAR - 70})
    assert (old.status_code, old.json["field"]) == (422, "birth_year")
    assert _count(db, Villager) == 0 and _count(db, Message) == 0


def test_a_clean_file_dry_run_then_import_then_again_changes_nothing(app, client, db):
    """Dry run: three `create` rows, nothing written. Real run: three villagers, each told by
    SMS. The same file again: three `unchanged`, no new villager or SMS. One changed row:
    one `update`, and the empty cells keep what was there."""
    officer = account(app, "o", "officer", area="yongde")
    dry = _import(client, officer, CLEAN, dry_run=True).json
    assert (dry["applied"], dry["counts"]) == (False, {"create": 3, "update": 0,
                                                       "unchanged": 0, "refuse": 0})
    assert [r["line"] for r in dry["rows"]] == [2, 3, 4]
    assert _count(db, Villager) == 0
    real = _import(client, officer, CLEAN, dry_run=False).json
    assert real["applied"] and real["counts"]["create"] == 3
    assert _count(db, Villager) == 3 and _count(db, Message) == 3
    english = db.scalars(select(Message.body).where(Message.phone == "+8613900000002")).one()
    assert english.startswith("Wang Fang, an officer has registered you")
    again = _import(client, officer, CLEAN, dry_run=False).json
    assert again["counts"] == {"create": 0, "update": 0, "unchanged": 3, "refuse": 0}
    assert _count(db, Villager) == 3 and _count(db, Message) == 3
    changed = CLEAN.replace("13900000001,李明,男,1990", "13900000001,李明,男,1991")
    changed = changed.replace("no,en", ",")  # left empty: English and "no" stay
    result = _import(client, officer, changed, dry_run=False).json
    assert result["counts"] == {"create": 0, "update": 1, "unchanged": 2, "refuse": 0}
    db.expire_all()
    villagers = {v.contact.phone: v for v in db.scalars(select(Villager))}
    assert villagers["+8613900000001"].birth_year == 1991
    assert sorted(s.skill_code for s in villagers["+8613900000001"].skills) == [
        "construction", "factory"]
    wang = villagers["+8613900000002"]
    assert (wang.contact.language, wang.outside_province) == ("en", False)
    assert _count(db, Message) == 3  # an update is not a new registration


def test_a_file_with_bad_rows_is_refused_whole_with_every_reason(app, client, db):
    """Each bad row is refused with its reasons (line numbers as in the file); the real run
    writes nothing, not even the good row, and says so."""
    officer = account(app, "o", "officer", area="yongde")
    report = _import(client, officer, BAD, dry_run=False).json
    assert report["applied"] is False
    rows = {r["line"]: r for r in report["rows"]}
    assert rows[2]["action"] == "create"
    assert "phone number" in rows[3]["reasons"][0]
    assert rows[4]["reasons"] == ["name is missing"]
    assert [r.split(":")[0] for r in rows[5]["reasons"]] == ["sex", "birth_year"]
    assert "unknown township" in rows[6]["reasons"][0]
    assert rows[7]["reasons"] == ["township is outside your area"]
    assert rows[8]["reasons"] == ["phone repeats line 2"]
    assert "unknown skill 'juggling'" in rows[9]["reasons"][0]
    assert report["counts"] == {"create": 1, "update": 0, "unchanged": 0, "refuse": 7}
    assert _count(db, Villager) == 0 and _count(db, Message) == 0


def test_a_file_without_its_columns_or_consent_is_refused(app, client, db):
    """A header without `township`: 422 naming it; consent false: 422; an admin may import
    anywhere (a Fengqing row is no longer outside the area)."""
    officer = account(app, "o", "officer", area="yongde")
    missing = _import(client, officer, "phone,name,sex,birth_year\n1,2,3,4\n", dry_run=True)
    assert missing.status_code == 422 and "township" in missing.json["error"]
    no_consent = client.post("/api/v1/villagers/import", headers=officer,
                             json={"csv": CLEAN, "dry_run": True, "consent": False})
    assert no_consent.status_code == 422
    admin = account(app, "a", "admin")
    report = _import(client, admin, BAD, dry_run=True).json
    assert report["rows"][5]["action"] == "create"  # line 7: 凤山镇, Fengqing
