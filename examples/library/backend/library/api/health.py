"""GET /health: the API is up and MongoDB answers a ping."""

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse

from library.api.deps import Db
from library.models import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
async def health(db: Db) -> JSONResponse:
    if await db.ping():
        return JSONResponse({"status": "ok", "database": "ok"})
    return JSONResponse(
        {"status": "error", "database": "unreachable"},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
    )
