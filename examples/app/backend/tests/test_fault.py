"""The injected-fault middleware the deploy watch tests ship in a release (app/fault.py)."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.fault import add_fault


def _app(tmp_path: Path, fault: dict | None) -> TestClient:
    app = FastAPI()

    @app.get("/ping")
    async def ping() -> dict[str, str]:
        return {"ok": "yes"}

    path = tmp_path / "fault.json"
    if fault is not None:
        path.write_text(json.dumps(fault))
    add_fault(app, path)
    return TestClient(app)


def test_no_fault_file_changes_nothing(tmp_path: Path) -> None:
    assert _app(tmp_path, None).get("/ping").status_code == 200


def test_error_rate_one_fails_every_request(tmp_path: Path) -> None:
    r = _app(tmp_path, {"errorRate": 1}).get("/ping")
    assert r.status_code == 500
    assert r.json() == {"detail": "injected fault"}


def test_delay_still_answers(tmp_path: Path) -> None:
    assert _app(tmp_path, {"delayRate": 1, "delaySeconds": 0.01}).get("/ping").status_code == 200


def test_match_query_faults_only_the_marked_requests(tmp_path: Path) -> None:
    client = _app(tmp_path, {"errorRate": 1, "matchQuery": "slow"})
    assert client.get("/ping").status_code == 200
    assert client.get("/ping?load=slow").status_code == 500
