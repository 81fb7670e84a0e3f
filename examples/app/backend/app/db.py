"""MongoDB access (pymongo's native asyncio API)."""

from __future__ import annotations

from typing import Any

from bson import ObjectId
from bson.errors import InvalidId
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from app.config import Settings

BOOKS_COLLECTION = "books"


class Database:
    """Owns one AsyncMongoClient; created at app startup, closed at shutdown."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client: AsyncMongoClient = AsyncMongoClient(
            settings.database_uri,
            serverSelectionTimeoutMS=settings.server_selection_timeout_ms,
            connectTimeoutMS=settings.server_selection_timeout_ms,
        )
        self.db: AsyncDatabase = self.client[settings.database_name]

    @property
    def books(self) -> AsyncCollection:
        return self.db[BOOKS_COLLECTION]

    async def ping(self) -> bool:
        """Run a real ``ping`` command; False if the server is unreachable."""
        try:
            await self.client.admin.command("ping")
        except PyMongoError:
            return False
        return True

    async def close(self) -> None:
        await self.client.close()

    # --- books -------------------------------------------------------------

    async def list_books(self) -> list[dict[str, Any]]:
        cursor = self.books.find({}).sort("_id", 1)
        return [doc async for doc in cursor]

    async def create_book(self, data: dict[str, Any]) -> dict[str, Any]:
        doc = dict(data)
        result = await self.books.insert_one(doc)
        doc["_id"] = result.inserted_id
        return doc

    async def get_book(self, book_id: str) -> dict[str, Any] | None:
        oid = parse_object_id(book_id)
        if oid is None:
            return None
        return await self.books.find_one({"_id": oid})

    async def delete_book(self, book_id: str) -> bool:
        oid = parse_object_id(book_id)
        if oid is None:
            return False
        result = await self.books.delete_one({"_id": oid})
        return result.deleted_count == 1


def parse_object_id(value: str) -> ObjectId | None:
    try:
        return ObjectId(value)
    except (InvalidId, TypeError):
        return None
