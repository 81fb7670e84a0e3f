import pytest
from fastapi.testclient import TestClient

BOOKS = "/api/v1/books"


def test_list_empty(clean_books: TestClient) -> None:
    resp = clean_books.get(BOOKS)
    assert resp.status_code == 200
    assert resp.json() == []


def test_create_get_list_delete_round_trip(clean_books: TestClient) -> None:
    c = clean_books
    resp = c.post(BOOKS, json={"title": "Dune", "author": "Frank Herbert"})
    assert resp.status_code == 201
    created = resp.json()
    assert set(created) == {"id", "title", "author"}
    assert created["title"] == "Dune"
    assert created["author"] == "Frank Herbert"

    resp = c.get(f"{BOOKS}/{created['id']}")
    assert resp.status_code == 200
    assert resp.json() == created

    resp = c.get(BOOKS)
    assert resp.status_code == 200
    assert resp.json() == [created]

    resp = c.delete(f"{BOOKS}/{created['id']}")
    assert resp.status_code == 204
    assert resp.content == b""

    assert c.get(f"{BOOKS}/{created['id']}").status_code == 404
    assert c.delete(f"{BOOKS}/{created['id']}").status_code == 404
    assert c.get(BOOKS).json() == []


def test_list_returns_books_in_insertion_order(clean_books: TestClient) -> None:
    titles = ["A", "B", "C"]
    ids = [
        clean_books.post(BOOKS, json={"title": t, "author": "X"}).json()["id"] for t in titles
    ]
    listed = clean_books.get(BOOKS).json()
    assert [b["id"] for b in listed] == ids
    assert [b["title"] for b in listed] == titles


def test_data_is_really_persisted(clean_books: TestClient, test_settings) -> None:
    from bson import ObjectId
    from pymongo import MongoClient

    created = clean_books.post(BOOKS, json={"title": "T", "author": "A"}).json()
    mongo = MongoClient(test_settings.database_uri, serverSelectionTimeoutMS=2000)
    try:
        doc = mongo[test_settings.database_name]["books"].find_one(
            {"_id": ObjectId(created["id"])}
        )
    finally:
        mongo.close()
    assert doc is not None
    assert (doc["title"], doc["author"]) == ("T", "A")


def test_create_strips_whitespace(clean_books: TestClient) -> None:
    resp = clean_books.post(BOOKS, json={"title": "  Emma ", "author": " Jane Austen"})
    assert resp.status_code == 201
    assert resp.json()["title"] == "Emma"
    assert resp.json()["author"] == "Jane Austen"


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"title": "Only title"},
        {"author": "Only author"},
        {"title": "", "author": "A"},
        {"title": "   ", "author": "A"},
        {"title": 123, "author": "A"},
        {"title": "x" * 201, "author": "A"},
        {"title": "T", "author": "A", "extra": 1},
    ],
)
def test_create_validation_422(clean_books: TestClient, payload: dict) -> None:
    resp = clean_books.post(BOOKS, json=payload)
    assert resp.status_code == 422
    assert clean_books.get(BOOKS).json() == []


def test_create_rejects_non_json(client: TestClient) -> None:
    resp = client.post(BOOKS, content=b"not json", headers={"Content-Type": "application/json"})
    assert resp.status_code == 422


@pytest.mark.parametrize("book_id", ["000000000000000000000000", "not-an-objectid", "123"])
def test_get_missing_or_bad_id_404(client: TestClient, book_id: str) -> None:
    resp = client.get(f"{BOOKS}/{book_id}")
    assert resp.status_code == 404
    assert resp.json() == {"detail": "Book not found"}


@pytest.mark.parametrize("book_id", ["000000000000000000000000", "not-an-objectid"])
def test_delete_missing_or_bad_id_404(client: TestClient, book_id: str) -> None:
    resp = client.delete(f"{BOOKS}/{book_id}")
    assert resp.status_code == 404
