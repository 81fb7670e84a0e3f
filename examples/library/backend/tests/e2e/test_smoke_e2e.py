"""Smoke test against a deployed API: ``API_URL=https://api.example.com uv run pytest -m e2e``.

Deselected by the fast pipeline with ``-m "not e2e"``.
"""

from __future__ import annotations

import os

import httpx
import pytest

pytestmark = pytest.mark.e2e


def test_deployed_api_is_healthy_and_serves_author_stats() -> None:
    base_url = os.environ.get("API_URL", "").strip().rstrip("/")
    if not base_url:
        pytest.fail("API_URL is not set: e.g. API_URL=http://127.0.0.1:8000 uv run pytest -m e2e", pytrace=False)
    with httpx.Client(base_url=base_url, timeout=10.0) as api:
        assert api.get("/api/v1/health").json() == {"status": "ok", "database": "ok"}
        assert api.get("/api/v1/stats/authors").status_code == 200
