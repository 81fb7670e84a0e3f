from fastapi.testclient import TestClient

from library.main import create_app
from library.settings import Settings


def test_health_pings_the_database(client: TestClient) -> None:
    resp = client.get("/api/v1/health")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok", "database": "ok"}


def test_health_is_503_when_the_database_is_unreachable() -> None:
    # Nothing listens on port 1: the real ping fails fast.
    settings = Settings(mongodb_uri="mongodb://127.0.0.1:1/library_unreachable", timeout_ms=300)
    with TestClient(create_app(settings)) as client:
        resp = client.get("/api/v1/health")
    assert resp.status_code == 503
    assert resp.json() == {"status": "error", "database": "unreachable"}


def test_cors_allows_any_origin(client: TestClient) -> None:
    resp = client.get("/api/v1/health", headers={"Origin": "http://localhost:3000"})
    assert resp.headers["access-control-allow-origin"] == "*"
