import pytest

from app.config import (
    DEFAULT_DATABASE_URI,
    Settings,
    database_name_from_uri,
    get_settings,
)


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("mongodb://127.0.0.1:27017/autoauthor", "autoauthor"),
        ("mongodb://u:p@db:27017/books_db?authSource=admin", "books_db"),
        ("mongodb://db:27017/", "autoauthor"),
        ("mongodb://db:27017", "autoauthor"),
        ("mongodb+srv://cluster.example.net/prod?retryWrites=true", "prod"),
    ],
)
def test_database_name_from_uri(uri: str, expected: str) -> None:
    assert database_name_from_uri(uri) == expected


def test_settings_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URI", raising=False)
    monkeypatch.delenv("DATABASE_TIMEOUT_MS", raising=False)
    s = get_settings()
    assert s.database_uri == DEFAULT_DATABASE_URI == "mongodb://127.0.0.1:27017/autoauthor"
    assert s.database_name == "autoauthor"
    assert s.server_selection_timeout_ms == 2000


def test_settings_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URI", "mongodb://mongo:27017/other")
    monkeypatch.setenv("DATABASE_TIMEOUT_MS", "500")
    s = Settings.from_env()
    assert s.database_uri == "mongodb://mongo:27017/other"
    assert s.database_name == "other"
    assert s.server_selection_timeout_ms == 500


def test_module_level_app_uses_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from app.main import app

    monkeypatch.setenv("DATABASE_URI", "mongodb://127.0.0.1:1/envdb")
    monkeypatch.setenv("DATABASE_TIMEOUT_MS", "200")
    with TestClient(app) as c:
        assert c.app.state.db.settings.database_name == "envdb"
        assert c.get("/api/v1/health").status_code == 503


def test_python_dash_m_entry_point_exists() -> None:
    import app.__main__ as entry

    assert callable(entry.main)
