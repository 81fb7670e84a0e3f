"""Fixtures for tests against a REAL MongoDB server, given by ``TEST_MONGO_URI``.

Each session works in its own database ``<name>_<random>`` (name = the URI's path), dropped at
the end; each test starts and ends with empty ``books`` and ``loans`` collections.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
from fastapi.testclient import TestClient
from pymongo import MongoClient
from pymongo.database import Database

from library.database import BOOKS, LOANS
from library.main import create_app
from library.settings import Settings, database_name


@pytest.fixture(scope="session")
def test_settings() -> Iterator[Settings]:
    base_uri = os.environ.get("TEST_MONGO_URI", "").strip()
    if not base_uri:
        pytest.fail(
            "TEST_MONGO_URI is not set: these tests need a MongoDB server, e.g. "
            'TEST_MONGO_URI=mongodb://127.0.0.1:27017/library_test uv run pytest -m "not e2e"',
            pytrace=False,
        )
    name = f"{database_name(base_uri, 'library_test')}_{uuid.uuid4().hex[:12]}"
    uri = urlunsplit(urlsplit(base_uri)._replace(path="/" + name))
    yield Settings(mongodb_uri=uri)
    with MongoClient(uri, serverSelectionTimeoutMS=2000) as admin:
        admin.drop_database(name)


@pytest.fixture(scope="session")
def mongo(test_settings: Settings) -> Iterator[Database]:
    """A direct (synchronous) handle on the test database, to seed and inspect it."""
    with MongoClient(test_settings.mongodb_uri, serverSelectionTimeoutMS=2000) as client:
        yield client[test_settings.database_name]


@pytest.fixture(scope="session")
def app_client(test_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(test_settings)) as client:  # runs the lifespan
        yield client


@pytest.fixture()
def client(app_client: TestClient, mongo: Database) -> Iterator[TestClient]:
    """The app's client, with this test's collections emptied before and after."""
    _clean(mongo)
    yield app_client
    _clean(mongo)


def _clean(mongo: Database) -> None:
    for name in (BOOKS, LOANS):
        mongo[name].delete_many({})
