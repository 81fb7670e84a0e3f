"""Runtime configuration, read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_DATABASE_URI = "mongodb://127.0.0.1:27017/autoauthor"
DEFAULT_DATABASE_NAME = "autoauthor"
DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 2000


def database_name_from_uri(uri: str, default: str = DEFAULT_DATABASE_NAME) -> str:
    """Return the database name from the URI path (``mongodb://host/<name>?opts``)."""
    path = urlsplit(uri).path.lstrip("/")
    return path or default


@dataclass(frozen=True)
class Settings:
    database_uri: str = DEFAULT_DATABASE_URI
    server_selection_timeout_ms: int = DEFAULT_SERVER_SELECTION_TIMEOUT_MS

    @property
    def database_name(self) -> str:
        return database_name_from_uri(self.database_uri)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_uri=os.environ.get("DATABASE_URI") or DEFAULT_DATABASE_URI,
            server_selection_timeout_ms=int(
                os.environ.get("DATABASE_TIMEOUT_MS") or DEFAULT_SERVER_SELECTION_TIMEOUT_MS
            ),
        )


def get_settings() -> Settings:
    return Settings.from_env()
