"""FastAPI application.

Run with:  uvicorn app.main:app --host 0.0.0.0 --port 8000
(or:       python -m app)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response, status
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from app.config import Settings, get_settings
from app.db import Database
from app.fault import add_fault
from app.models import Book, BookCreate, Health

router = APIRouter(prefix="/api/v1")


def get_db(request: Request) -> Database:
    return request.app.state.db


@router.get("/health", response_model=Health)
async def health(request: Request) -> JSONResponse:
    if await get_db(request).ping():
        return JSONResponse({"status": "ok", "database": "ok"})
    return JSONResponse(
        {"status": "error", "database": "unreachable"},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
    )


@router.get("/books", response_model=list[Book])
async def list_books(request: Request) -> list[Book]:
    return [Book.from_doc(d) for d in await get_db(request).list_books()]


@router.post("/books", response_model=Book, status_code=status.HTTP_201_CREATED)
async def create_book(payload: BookCreate, request: Request) -> Book:
    doc = await get_db(request).create_book(payload.model_dump())
    return Book.from_doc(doc)


@router.get("/books/{book_id}", response_model=Book)
async def get_book(book_id: str, request: Request) -> Book:
    doc = await get_db(request).get_book(book_id)
    if doc is None:
        raise HTTPException(status_code=404, detail="Book not found")
    return Book.from_doc(doc)


@router.delete("/books/{book_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_book(book_id: str, request: Request) -> Response:
    if not await get_db(request).delete_book(book_id):
        raise HTTPException(status_code=404, detail="Book not found")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; settings default to the environment (DATABASE_URI)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The client is created inside the running event loop (required by
        # pymongo's AsyncMongoClient) and closed on shutdown.
        db = Database(settings or get_settings())
        app.state.db = db
        try:
            yield
        finally:
            await db.close()

    app = FastAPI(title="AutoAuthor backend", version="0.1.0", lifespan=lifespan)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["*"],
        allow_headers=["*"],
    )
    app.include_router(router)
    add_fault(app)
    return app


app = create_app()
