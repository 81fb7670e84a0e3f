"""Settings from the environment: MONGODB_URI, else DATABASE_URL (as on Heroku-style hosts)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_MONGODB_URI = "mongodb://127.0.0.1:27017/library"
DEFAULT_DATABASE_NAME = "library"
DEFAULT_TIMEOUT_MS = 2000


def database_name(uri: str, default: str = DEFAULT_DATABASE_NAME) -> str:
    """The database is the URI's path (``mongodb://host/<name>?opts``), else ``default``."""
    return urlsplit(uri).path.lstrip("/") or default


@dataclass(frozen=True)
class Settings:
    mongodb_uri: str = DEFAULT_MONGODB_URI
    timeout_ms: int = DEFAULT_TIMEOUT_MS

    @property
    def database_name(self) -> str:
        return database_name(self.mongodb_uri)

    @classmethod
    def from_env(cls) -> Settings:
        uri = os.environ.get("MONGODB_URI") or os.environ.get("DATABASE_URL") or DEFAULT_MONGODB_URI
        timeout = os.environ.get("MONGODB_TIMEOUT_MS") or DEFAULT_TIMEOUT_MS
        return cls(mongodb_uri=uri, timeout_ms=int(timeout))
