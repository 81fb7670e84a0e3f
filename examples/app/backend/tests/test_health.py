from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


def test_health_ok(client: TestClient) -> None:
    resp = client.get("/api/v1/health")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok", "database": "ok"}


def test_health_503_when_database_unreachable() -> None:
    # Port 1 on localhost is closed: the real ping must fail fast.
    settings = Settings(
        database_uri="mongodb://127.0.0.1:1/autoauthor_unreachable",
        server_selection_timeout_ms=300,
    )
    with TestClient(create_app(settings)) as c:
        resp = c.get("/api/v1/health")
    assert resp.status_code == 503
    assert resp.json() == {"status": "error", "database": "unreachable"}


def test_cors_allows_any_origin(client: TestClient) -> None:
    resp = client.options(
        "/api/v1/books",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
        },
    )
    assert resp.status_code == 200
    assert resp.headers["access-control-allow-origin"] == "*"

    resp = client.get("/api/v1/health", headers={"Origin": "http://example.com"})
    assert resp.headers["access-control-allow-origin"] == "*"
