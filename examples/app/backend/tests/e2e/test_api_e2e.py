"""End-to-end tests against a deployed API.

Run with:  API_URL=https://backend.example.com uv run --frozen pytest -m e2e
They are deselected in the fast pipeline with ``-m "not e2e"``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import httpx
import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def api() -> Iterator[httpx.Client]:
    base_url = os.environ.get("API_URL", "").strip()
    if not base_url:
        pytest.fail(
            "API_URL is not set: e2e tests need the base URL of a deployed backend, "
            "e.g. API_URL=http://127.0.0.1:8000 uv run --frozen pytest -m e2e",
            pytrace=False,
        )
    with httpx.Client(base_url=base_url.rstrip("/"), timeout=10.0) as client:
        yield client


def _new_book(api: httpx.Client) -> dict:
    payload = {"title": f"e2e-{uuid.uuid4().hex[:8]}", "author": "CI Pipeline"}
    resp = api.post("/api/v1/books", json=payload)
    assert resp.status_code == 201, resp.text
    book = resp.json()
    assert book["title"] == payload["title"]
    assert book["author"] == payload["author"]
    assert book["id"]
    return book


def test_health_is_ok(api: httpx.Client) -> None:
    resp = api.get("/api/v1/health")
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"status": "ok", "database": "ok"}


def test_create_get_delete_round_trip(api: httpx.Client) -> None:
    book = _new_book(api)
    url = f"/api/v1/books/{book['id']}"
    try:
        resp = api.get(url)
        assert resp.status_code == 200, resp.text
        assert resp.json() == book
    finally:
        resp = api.delete(url)
    assert resp.status_code == 204, resp.text
    assert api.get(url).status_code == 404


def test_list_contains_created_book(api: httpx.Client) -> None:
    book = _new_book(api)
    try:
        resp = api.get("/api/v1/books")
        assert resp.status_code == 200, resp.text
        assert book in resp.json()
    finally:
        api.delete(f"/api/v1/books/{book['id']}")
