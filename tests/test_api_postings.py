"""The postings API: who may create, see, vet and close; the checklist; the OpenAPI document."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from menus.budget import is_gsm
from smsgateway.kernel.provinces import cities, provinces

from .api import account, agency, employer, posting_body


@pytest.fixture
def world(app):
    """Two agencies with a user each, officers of Yongde and Gengma, an admin, an employer."""
    a, b = agency(app, "Wanxin Labour Service", "LIC-001"), agency(app, "Hanxian Agency", "LIC-002")
    return {
        "agency_a": a, "agency_b": b, "employer": employer(app),
        "a": account(app, "a-staff", "agency", agency_id=a),
        "b": account(app, "b-staff", "agency", agency_id=b),
        "yongde": account(app, "officer-yongde", "officer", area="yongde"),
        "gengma": account(app, "officer-gengma", "officer", area="gengma"),
        "city": account(app, "officer-city", "officer", area="lincang"),
        "admin": account(app, "admin", "admin"),
    }


def _create(client, world, who="a", **changes):
    response = client.post("/api/v1/postings", headers=world[who],
                           json=posting_body(world["employer"], **changes))
    assert response.status_code == 201, response.json
    return response.json


def test_agency_creates_a_posting_that_awaits_vetting(client, world):
    """Created by an agency for itself: pending_vetting, destination worked out, no code yet."""
    posting = _create(client, world)
    assert posting["status"] == "pending_vetting"
    assert posting["destination"] == "outside_province"
    assert posting["agency_id"] == world["agency_a"] and posting["verification_code"] is None


@pytest.mark.parametrize("city, province, category", [
    ("临沧", "云南", "within_city"), ("Lincang", "Yunnan", "within_city"),
    ("昆明", "云南省", "in_province"), ("Shenzhen", "Guangdong", "outside_province"),
])
def test_destination_category_against_the_home_city_and_province(client, world, city,
                                                                 province, category):
    """Within the city, elsewhere in Yunnan, or outside the province."""
    posting = _create(client, world, destination_city=city, destination_province=province)
    assert posting["destination"] == category


@pytest.mark.parametrize("typed, stored", [
    ("广东省", "Guangdong"), ("广东", "Guangdong"), ("guangdong", "Guangdong"),
    ("  Guangdong ", "Guangdong"), ("内蒙古", "Inner Mongolia"), ("内蒙古自治区", "Inner Mongolia"),
    ("广西壮族自治区", "Guangxi"), ("北京", "Beijing"), ("上海市", "Shanghai"),
    ("香港", "Hong Kong"), ("Macau", "Macao"), ("台湾省", "Taiwan"), ("Shaanxi", "Shaanxi"),
    ("山西", "Shanxi"),
])
def test_a_province_is_stored_in_its_one_canonical_form(client, world, typed, stored):
    """Chinese or English, with or without 省/市/自治区: one canonical (English) form, so
    the report sums one line per province."""
    city = cities(stored)[0]["zh"]  # the city must be one of the province's
    assert _create(client, world, destination_province=typed,
                   destination_city=city)["destination_province"] == stored


@pytest.mark.parametrize("province, typed, stored", [
    ("广东", "东莞", "Dongguan"), ("Guangdong", "东莞市", "Dongguan"),
    ("广东", "dongguan", "Dongguan"), ("云南", "德宏", "Dehong"),
    ("云南", "德宏傣族景颇族自治州", "Dehong"), ("陕西", "西安", "Xi'an"),
    ("新疆", "喀什地区", "Kashgar"), ("北京", "北京", "Beijing"),
    ("香港", "Hong Kong", "Hong Kong"),
])
def test_a_city_is_stored_as_its_english_name_from_the_gazetteer(client, world, province,
                                                                 typed, stored):
    """The destination city, typed in Chinese or English, is stored as the gazetteer's
    English name (GSM-7, for English texts)."""
    created = _create(client, world, destination_province=province, destination_city=typed)
    assert created["destination_city"] == stored


@pytest.mark.parametrize("province, typed", [
    ("广东", "昆明"), ("Yunnan", "Dongguan"), ("广东", "东莞镇"), ("广东", "=HYPERLINK(1)"),
    ("北京", "上海"),
])
def test_a_city_not_of_its_province_is_refused_and_nothing_stored(client, world, province,
                                                                  typed):
    """A city that is not one of the province's prefecture-level cities: 422 on the city."""
    response = client.post("/api/v1/postings", headers=world["a"],
                           json=posting_body(world["employer"], destination_province=province,
                                             destination_city=typed))
    assert response.status_code == 422 and response.json["field"] == "destination_city"
    assert "city of" in response.json["error"]
    listed = client.get("/api/v1/postings", headers=world["a"]).json
    assert listed["total"] == 0


def test_the_gazetteer_holds_every_prefecture_level_division_in_both_languages():
    """333 prefecture-level divisions, each in its province, with a GSM-7 English name."""
    prefecture_level = [c for p in provinces() for c in cities(p["en"])
                        if c["kind"] in ("city", "prefecture", "autonomous_prefecture", "league")]
    assert len(prefecture_level) == 333
    for province in provinces():
        names = [c["en"] for c in cities(province["en"])]
        assert names and len(names) == len(set(names)), province["en"]
        assert all(is_gsm(name) for name in names)


@pytest.mark.parametrize("typed", ["=HYPERLINK(\"http://x\")", "Guangdong Province Dongguan",
                                   "东莞", "Canton", "Yunan", "California", "省"])
def test_a_province_that_is_not_one_of_chinas_34_is_refused_and_nothing_stored(client, world,
                                                                               typed):
    response = client.post("/api/v1/postings", headers=world["a"],
                           json=posting_body(world["employer"], destination_province=typed))
    assert (response.status_code, response.json["field"]) == (422, "destination_province")
    assert "province" in response.json["error"]
    assert client.get("/api/v1/postings", headers=world["admin"]).json["total"] == 0


def test_the_gazetteer_holds_chinas_34_provincial_level_divisions():
    """23 provinces (Taiwan included), 5 autonomous regions, 4 municipalities, 2 SARs; no
    name names two of them."""
    from collections import Counter

    from smsgateway.kernel.provinces import canonical_province, provinces

    assert len(provinces()) == 34
    assert Counter(p["kind"] for p in provinces()) == {
        "province": 23, "autonomous_region": 5, "municipality": 4, "sar": 2}
    for p in provinces():
        for name in (p["zh"], p["en"], p["short"], *p["aliases"]):
            assert canonical_province(name) == p["en"], name


def test_officer_publishes_with_a_recorded_checklist_and_a_code(client, world):
    """Vetting records each check; publishing assigns a short code."""
    posting = _create(client, world)
    response = client.post(f"/api/v1/postings/{posting['id']}/vet", headers=world["yongde"],
                           json={"decision": "publish"})
    assert response.status_code == 200, response.json
    assert response.json["status"] == "published"
    assert response.json["checklist"] == {"agency_licensed": True, "wage_at_least_minimum": True,
                                          "no_worker_fee": True, "contract_terms_stated": True,
                                          "english_texts_gsm7": True}
    code = response.json["verification_code"]
    assert len(code) == 6 and code.isalnum() and code.isupper()


def test_officer_cannot_vet_outside_their_area(client, world):
    """Gengma's officer neither sees nor vets Yongde's posting."""
    posting = _create(client, world)
    response = client.post(f"/api/v1/postings/{posting['id']}/vet", headers=world["gengma"],
                           json={"decision": "publish"})
    assert response.status_code == 404
    assert client.get(f"/api/v1/postings/{posting['id']}",
                      headers=world["gengma"]).status_code == 404
    assert client.get(f"/api/v1/postings/{posting['id']}",
                      headers=world["yongde"]).json["status"] == "pending_vetting"


def test_city_officer_sees_and_vets_every_county(client, world):
    """An officer of the city is over every county."""
    posting = _create(client, world)
    response = client.post(f"/api/v1/postings/{posting['id']}/vet", headers=world["city"],
                           json={"decision": "publish"})
    assert response.status_code == 200 and response.json["status"] == "published"


@pytest.mark.parametrize("changes, failing", [
    ({"worker_fee": 300}, "no_worker_fee"),
    ({"wage_min": 1200, "wage_max": 1500}, "wage_at_least_minimum"),
])
def test_posting_that_fails_the_checklist_cannot_be_published(client, world, changes, failing):
    """A fee charged to the worker, or a wage below the minimum: 422 naming the check."""
    posting = _create(client, world, **changes)
    response = client.post(f"/api/v1/postings/{posting['id']}/vet", headers=world["yongde"],
                           json={"decision": "publish"})
    assert response.status_code == 422
    assert failing in response.json["error"] and response.json["field"] == "checklist"
    again = client.get(f"/api/v1/postings/{posting['id']}", headers=world["yongde"]).json
    assert again["status"] == "pending_vetting" and again["verification_code"] is None


@pytest.mark.parametrize("licence", [{"suspended": True}, {"expires": "past"}])
def test_unlicensed_or_suspended_agency_cannot_be_published(app, client, world, licence):
    """The agency's licence expired, or the agency is suspended: not publishable."""
    from datetime import date
    expires = date(2020, 1, 1) if licence.get("expires") else date(2030, 1, 1)
    agency_id = agency(app, "Shady Agency", "LIC-999", expires=expires,
                       suspended=licence.get("suspended", False))
    response = client.post("/api/v1/postings", headers=world["yongde"],
                           json=posting_body(world["employer"], agency_id=agency_id))
    posting = response.json
    vetted = client.post(f"/api/v1/postings/{posting['id']}/vet", headers=world["yongde"],
                         json={"decision": "publish"})
    assert vetted.status_code == 422 and "agency_licensed" in vetted.json["error"]


def test_rejection_needs_reasons_and_keeps_them(client, world):
    """Rejecting without a reason is refused; with reasons they are kept on the posting."""
    posting = _create(client, world)
    url = f"/api/v1/postings/{posting['id']}/vet"
    bare = client.post(url, headers=world["yongde"], json={"decision": "reject"})
    assert bare.status_code == 422 and bare.json["field"] == "reasons"
    rejected = client.post(url, headers=world["yongde"],
                           json={"decision": "reject", "reasons": ["Employer not reachable"]})
    assert rejected.json["status"] == "rejected"
    assert rejected.json["rejection_reasons"] == ["Employer not reachable"]


def test_agency_sees_only_its_own_postings(client, world):
    """B lists none of A's postings and gets 404 for one of them."""
    posting = _create(client, world)
    listing = client.get("/api/v1/postings", headers=world["b"]).json
    assert listing == {"items": [], "total": 0, "page": 1, "per_page": 20}
    assert client.get(f"/api/v1/postings/{posting['id']}", headers=world["b"]).status_code == 404
    assert client.get("/api/v1/postings", headers=world["a"]).json["total"] == 1


def test_agency_cannot_post_for_another_agency_or_vet(client, world):
    """An agency posts only for itself (another agency is 404, as a missing one) and never
    vets."""
    response = client.post("/api/v1/postings", headers=world["a"],
                           json=posting_body(world["employer"], agency_id=world["agency_b"]))
    assert response.status_code == 404 and response.json["field"] == "agency_id"
    posting = _create(client, world)
    vet = client.post(f"/api/v1/postings/{posting['id']}/vet", headers=world["a"],
                      json={"decision": "publish"})
    assert vet.status_code == 403


@pytest.mark.parametrize("changes, field", [
    ({"trade": "astronaut"}, "trade"),
    ({"wage_min": 6000, "wage_max": 5000}, None),
    ({"positions": 0}, "positions"),
    ({"surprise": 1}, "surprise"),
    ({"area": "atlantis"}, "area"),
])
def test_invalid_posting_is_a_json_error_naming_the_field(client, world, changes, field):
    """Bad input: 422 with a message and the offending field (an unknown area: 404, as an
    area outside an officer's own); nothing created."""
    response = client.post("/api/v1/postings", headers=world["a"],
                           json=posting_body(world["employer"], **changes))
    assert response.status_code == (404 if field == "area" else 422)
    assert response.json["error"] and response.json["field"] == field
    assert client.get("/api/v1/postings", headers=world["admin"]).json["total"] == 0


def test_requests_without_a_valid_token_are_401(client):
    """No token or an unknown one: 401 in JSON."""
    assert client.get("/api/v1/postings").status_code == 401
    response = client.get("/api/v1/postings", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401 and response.json["field"] == "Authorization"


def test_list_paginates(client, world):
    """per_page and page slice the list; total counts all."""
    for _ in range(3):
        _create(client, world)
    first = client.get("/api/v1/postings?per_page=2", headers=world["admin"]).json
    second = client.get("/api/v1/postings?per_page=2&page=2", headers=world["admin"]).json
    assert (first["total"], len(first["items"]), len(second["items"])) == (3, 2, 1)
    assert client.get("/api/v1/postings?per_page=500",
                      headers=world["admin"]).status_code == 400


def test_openapi_document_validates_and_lists_only_real_routes(app, client):
    """The document is valid OpenAPI, and every path and method in it is a real route."""
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    rules = {(rule.rule.replace("<int:", "{").replace(">", "}"), method.lower())
             for rule in app.url_map.iter_rules() for method in rule.methods}
    for path, operations in document["paths"].items():
        for method in operations:
            assert ("/api/v1" + path, method) in rules, (path, method)
    assert {"/postings", "/postings/{posting_id}/vet", "/applications/{application_id}/confirm",
            "/postings/{posting_id}/applications"} <= set(document["paths"])
    listed = {p["name"] for p in document["paths"]["/postings"]["get"]["parameters"]}
    assert listed == {"page", "per_page", "status"}  # the filters the view takes


def test_a_draft_is_submitted_then_vetted(client, world):
    """draft → pending_vetting by submit; vetting a draft is refused; a second submit too."""
    posting = _create(client, world, draft=True)
    assert posting["status"] == "draft"
    url = f"/api/v1/postings/{posting['id']}"
    assert client.post(f"{url}/vet", headers=world["yongde"],
                       json={"decision": "publish"}).status_code == 409
    assert client.post(f"{url}/submit", headers=world["a"]).json["status"] == "pending_vetting"
    assert client.post(f"{url}/submit", headers=world["a"]).status_code == 409
    assert client.post(f"{url}/vet", headers=world["yongde"],
                       json={"decision": "publish"}).json["status"] == "published"


def test_suspending_an_agency_hides_its_published_postings(app, client, world):
    """After suspension its job is gone from JOBS, VERIFY calls it closed, nobody is confirmed."""
    from .sign import twilio_post, twilio_sms

    posting = _create(client, world)
    code = client.post(f"/api/v1/postings/{posting['id']}/vet", headers=world["yongde"],
                       json={"decision": "publish"}).json["verification_code"]
    suspended = client.post(f"/api/v1/agencies/{world['agency_a']}/suspend",
                            headers=world["admin"], json={"suspended": True})
    assert suspended.status_code == 200 and suspended.json["suspended"] is True
    reply = twilio_post(client, "/sms/twilio", twilio_sms("SMv", "+8613911112222",
                                                          f"VERIFY {code}")).get_data(as_text=True)
    assert code in reply and "closed" in reply
    jobs = twilio_post(client, "/sms/twilio", twilio_sms("SMj", "+8613911112222", "JOBS"))
    assert "Electronics" not in jobs.get_data(as_text=True)


@pytest.mark.parametrize("changes, field", [
    ({"title_en": "电子厂 worker"}, "title_en"),
    ({"title_en": "Electronics worker ★ Dongguan"}, "title_en"),
])
def test_a_posting_whose_english_texts_leave_gsm7_cannot_be_published(client, world, changes,
                                                                      field):
    """An English title with a Chinese (or other non-GSM-7) character would send every English
    alert as UCS-2: vetting refuses to publish, naming the check and the field."""
    posting = _create(client, world, **changes)
    response = client.post(f"/api/v1/postings/{posting['id']}/vet", headers=world["yongde"],
                           json={"decision": "publish"})
    assert response.status_code == 422 and response.json["field"] == "checklist"
    assert "english_texts_gsm7" in response.json["error"] and field in response.json["error"]
    again = client.get(f"/api/v1/postings/{posting['id']}", headers=world["yongde"]).json
    assert again["status"] == "pending_vetting" and again["verification_code"] is None


def test_employer_and_agency_get_an_english_name_pinyin_when_none_is_given(client, world):
    """name_en is kept as given; left out, the API shows the pinyin English texts use."""
    given = client.post("/api/v1/employers", headers=world["admin"], json={
        "name": "昆明滇池酒店", "name_en": "Dianchi Hotel", "city": "Kunming",
        "province": "Yunnan"})
    assert given.status_code == 201 and given.json["name_en"] == "Dianchi Hotel"
    pinyin = client.post("/api/v1/agencies", headers=world["admin"], json={
        "name": "万鑫劳务服务公司", "licence_number": "LIC-900", "licence_expires": "2030-01-01"})
    assert pinyin.status_code == 201 and pinyin.json["name_en"] == "Wanxin Laowu Fuwu Gongsi"


@pytest.mark.parametrize("path, body", [
    ("/api/v1/employers", {"name": "华荣", "name_en": "华荣 Electronics", "city": "Dongguan",
                           "province": "Guangdong"}),
    ("/api/v1/agencies", {"name": "万鑫", "name_en": "Wanxin ★", "licence_number": "LIC-901",
                          "licence_expires": "2030-01-01"}),
])
def test_an_english_name_outside_gsm7_is_refused(client, world, path, body):
    """An English name with a Chinese (or other non-GSM-7) character: 422 on name_en."""
    response = client.post(path, headers=world["admin"], json=body)
    assert response.status_code == 422 and response.json["field"] == "name_en"
