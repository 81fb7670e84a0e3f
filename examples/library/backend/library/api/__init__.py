"""HTTP routes, one router per resource, all under /api/v1."""

from fastapi import APIRouter

from library.api import books, health, loans, stats

router = APIRouter(prefix="/api/v1")
for module in (health, books, loans, stats):
    router.include_router(module.router)
