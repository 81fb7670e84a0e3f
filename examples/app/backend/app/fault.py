"""Injected faults for the deploy watch tests: off unless the release carries a fault.json.

A test ships a release whose backend dir holds fault.json, e.g.
{"errorRate": 0.1} (10 % of requests answer 500) or {"delayRate": 0.2, "delaySeconds": 6}.
With "matchQuery": "slow", only requests whose query string contains "slow" are faulted, so a
test can slow its own load down while the deploy's health checks pass.
A real release never has the file, so this costs one stat at start-up.
"""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

FAULT_FILE = Path(__file__).resolve().parent.parent / "fault.json"


def add_fault(app: FastAPI, path: Path = FAULT_FILE) -> None:
    """Add the fault middleware when the release carries fault.json."""
    if not path.is_file():
        return
    fault = json.loads(path.read_text())
    error_rate = float(fault.get("errorRate", 0))
    delay_rate = float(fault.get("delayRate", 0))
    delay = float(fault.get("delaySeconds", 0))
    match = str(fault.get("matchQuery", ""))

    @app.middleware("http")
    async def inject(request: Request, call_next):  # type: ignore[no-untyped-def]
        if match not in request.url.query:
            return await call_next(request)
        if random.random() < error_rate:
            return JSONResponse({"detail": "injected fault"}, status_code=500)
        if random.random() < delay_rate:
            await asyncio.sleep(delay)
        return await call_next(request)
