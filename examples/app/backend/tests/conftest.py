"""Shared fixtures.

Integration tests run against a REAL MongoDB wire-protocol server given by
``DATABASE_URI`` (default ``mongodb://127.0.0.1:27017/autoauthor_test``).
Each session uses its own uniquely-named database, dropped at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
from fastapi.testclient import TestClient
from pymongo import MongoClient

from app.config import Settings, database_name_from_uri
from app.main import create_app

DEFAULT_TEST_URI = "mongodb://127.0.0.1:27017/autoauthor_test"


def _with_database(uri: str, name: str) -> str:
    parts = urlsplit(uri)
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="session")
def test_settings() -> Iterator[Settings]:
    base_uri = os.environ.get("DATABASE_URI") or DEFAULT_TEST_URI
    base_name = database_name_from_uri(base_uri, default="autoauthor_test")
    db_name = f"{base_name}_{uuid.uuid4().hex[:12]}"
    settings = Settings(database_uri=_with_database(base_uri, db_name))
    yield settings
    admin = MongoClient(settings.database_uri, serverSelectionTimeoutMS=2000)
    try:
        admin.drop_database(db_name)
    finally:
        admin.close()


@pytest.fixture(scope="session")
def client(test_settings: Settings) -> Iterator[TestClient]:
    app = create_app(test_settings)
    with TestClient(app) as c:  # runs the lifespan (creates/closes the Mongo client)
        yield c


@pytest.fixture()
def clean_books(client: TestClient) -> Iterator[TestClient]:
    """A client whose books collection starts (and ends) empty."""
    _delete_all(client)
    yield client
    _delete_all(client)


def _delete_all(client: TestClient) -> None:
    for book in client.get("/api/v1/books").json():
        client.delete(f"/api/v1/books/{book['id']}")
