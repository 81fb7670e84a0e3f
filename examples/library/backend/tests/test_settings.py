import pytest

from library.settings import DEFAULT_MONGODB_URI, Settings, database_name


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MONGODB_URI", "DATABASE_URL", "MONGODB_TIMEOUT_MS"):
        monkeypatch.delenv(name, raising=False)


def test_mongodb_uri_wins_over_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONGODB_URI", "mongodb://db:27017/primary")
    monkeypatch.setenv("DATABASE_URL", "mongodb://db:27017/fallback")
    assert Settings.from_env().mongodb_uri == "mongodb://db:27017/primary"


def test_database_url_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mongodb://db:27017/fallback")
    assert Settings.from_env().database_name == "fallback"


def test_defaults_without_env() -> None:
    settings = Settings.from_env()
    assert settings.mongodb_uri == DEFAULT_MONGODB_URI
    assert settings.timeout_ms == 2000


def test_timeout_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONGODB_TIMEOUT_MS", "500")
    assert Settings.from_env().timeout_ms == 500


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("mongodb://h:1/books?retryWrites=false", "books"),
        ("mongodb://h:1/", "library"),
        ("mongodb://h:1", "library"),
    ],
)
def test_database_name_is_the_uri_path(uri: str, expected: str) -> None:
    assert database_name(uri) == expected
