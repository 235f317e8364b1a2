"""Annual targets per area: set (and set again), listed, and scoped to the officer's area."""

from __future__ import annotations

from .api import account


def test_an_officer_sets_and_replaces_targets_in_their_area(app, client):
    """PUT twice for Yongde 2026 keeps one target with the latest figures; a township of
    Yongde may have its own; the list filters by year and area."""
    officer = account(app, "o", "officer", area="yongde")
    first = client.put("/api/v1/targets", headers=officer,
                       json={"area": "yongde", "year": 2026, "trained": 900, "placed": 700})
    assert first.status_code == 200 and first.json["placed"] == 700
    again = client.put("/api/v1/targets", headers=officer,
                       json={"area": "yongde", "year": 2026, "trained": 1000, "placed": 800})
    assert (again.json["trained"], again.json["placed"]) == (1000, 800)
    client.put("/api/v1/targets", headers=officer,
               json={"area": "yongde.dedang", "year": 2026, "trained": 90, "placed": 60})
    client.put("/api/v1/targets", headers=officer,
               json={"area": "yongde", "year": 2025, "trained": 500, "placed": 400})
    listing = client.get("/api/v1/targets?year=2026", headers=officer).json
    assert [(t["area"], t["trained"]) for t in listing["items"]] == [
        ("yongde", 1000), ("yongde.dedang", 90)]
    assert listing["total"] == 2
    one = client.get("/api/v1/targets?area=yongde", headers=officer).json["items"]
    assert [(t["year"], t["placed"]) for t in one] == [(2026, 800), (2025, 400)]


def test_targets_outside_the_officers_area_are_404_and_unseen(app, client):
    """Yongde's officer cannot set the city's or Fengqing's targets, nor see them; the admin
    can do both; bad figures are 422."""
    officer = account(app, "o", "officer", area="yongde")
    admin = account(app, "a", "admin")
    for area in ("lincang", "fengqing", "nowhere"):
        response = client.put("/api/v1/targets", headers=officer,
                              json={"area": area, "year": 2026, "trained": 1, "placed": 1})
        assert (response.status_code, response.json["field"]) == (404, "area")
    assert client.put("/api/v1/targets", headers=admin, json={
        "area": "lincang", "year": 2026, "trained": 14000, "placed": 12000}).status_code == 200
    assert client.get("/api/v1/targets", headers=officer).json["total"] == 0
    assert client.get("/api/v1/targets", headers=admin).json["items"][0]["area"] == "lincang"
    negative = client.put("/api/v1/targets", headers=admin,
                          json={"area": "lincang", "year": 2026, "trained": -1, "placed": 1})
    assert (negative.status_code, negative.json["field"]) == (422, "trained")
    assert client.get("/api/v1/targets?year=soon", headers=admin).status_code == 400
