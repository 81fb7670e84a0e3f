"""FastAPI application: ``uvicorn library.main:app`` (or ``python -m library``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from library.api import router
from library.database import Database
from library.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; settings default to the environment (MONGODB_URI, else DATABASE_URL)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # AsyncMongoClient must be created inside the running event loop.
        db = Database(settings or Settings.from_env())
        app.state.db = db
        try:
            yield
        finally:
            await db.close()

    app = FastAPI(title="Library", version="0.1.0", lifespan=lifespan)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"])
    app.include_router(router)
    return app


app = create_app()
