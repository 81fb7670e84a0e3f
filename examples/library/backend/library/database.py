"""MongoDB access through pymongo's asyncio client."""

from __future__ import annotations

from bson import ObjectId
from bson.errors import InvalidId
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import PyMongoError

from library.settings import Settings

BOOKS = "books"
LOANS = "loans"


class Database:
    """Owns one AsyncMongoClient: created in the app's lifespan, closed at shutdown."""

    def __init__(self, settings: Settings) -> None:
        self.client: AsyncMongoClient = AsyncMongoClient(
            settings.mongodb_uri,
            serverSelectionTimeoutMS=settings.timeout_ms,
            connectTimeoutMS=settings.timeout_ms,
        )
        self.db = self.client[settings.database_name]

    @property
    def books(self) -> AsyncCollection:
        return self.db[BOOKS]

    @property
    def loans(self) -> AsyncCollection:
        return self.db[LOANS]

    async def ping(self) -> bool:
        """Run a real ``ping``; False when the server cannot be reached."""
        try:
            await self.client.admin.command("ping")
        except PyMongoError:
            return False
        return True

    async def close(self) -> None:
        await self.client.close()


def object_id(value: str) -> ObjectId | None:
    """The ObjectId spelled by ``value``, or None for a malformed id (answered as 404)."""
    try:
        return ObjectId(value)
    except (InvalidId, TypeError):
        return None
