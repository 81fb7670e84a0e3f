"""Fixtures for the MongoDB compatibility suite.

The server under test is given by MONGO_URL (default mongodb://127.0.0.1:27017/).
Every test gets its own fresh database, dropped afterwards, so tests are independent.
"""
import os
import re

import pytest
from pymongo import MongoClient

MONGO_URL = os.environ.get("MONGO_URL", "mongodb://127.0.0.1:27017/")


@pytest.fixture(scope="session")
def client():
    c = MongoClient(MONGO_URL, serverSelectionTimeoutMS=5000, directConnection=True)
    c.admin.command("ping")
    yield c
    c.close()


@pytest.fixture
def db(client, request):
    name = "compat_" + re.sub(r"[^A-Za-z0-9]", "_", request.node.name)[:50]
    client.drop_database(name)
    yield client[name]
    try:
        client.drop_database(name)
    except Exception:
        pass
