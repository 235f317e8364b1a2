"""GET /healthz."""

from __future__ import annotations


def test_healthz_reports_database_and_redis_reachable(client):
    """Both dependencies up: 200 and 'ok' for each."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "redis": "ok"}


def test_healthz_is_503_when_redis_is_unreachable(app_factory):
    """A Redis nobody listens on makes the service unhealthy."""
    app = app_factory(REDIS_URL="redis://127.0.0.1:1/0")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["redis"] == "unreachable"
    assert response.json["database"] == "ok"
