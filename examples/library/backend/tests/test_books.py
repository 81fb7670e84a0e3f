import pytest
from bson import ObjectId
from fastapi.testclient import TestClient
from pymongo.database import Database

BOOKS = "/api/v1/books"
DUNE = {"title": "Dune", "author": "Frank Herbert", "year": 1965, "tags": ["scifi"]}


def test_list_is_empty_at_first(client: TestClient) -> None:
    resp = client.get(BOOKS)
    assert resp.status_code == 200
    assert resp.json() == []


def test_create_get_list_delete_round_trip(client: TestClient) -> None:
    created = client.post(BOOKS, json=DUNE)
    assert created.status_code == 201
    book = created.json()
    assert book == {**DUNE, "id": book["id"]}

    assert client.get(f"{BOOKS}/{book['id']}").json() == book
    assert client.get(BOOKS).json() == [book]

    resp = client.delete(f"{BOOKS}/{book['id']}")
    assert resp.status_code == 204
    assert client.get(f"{BOOKS}/{book['id']}").status_code == 404
    assert client.delete(f"{BOOKS}/{book['id']}").status_code == 404


def test_create_stores_the_book_in_mongodb(client: TestClient, mongo: Database) -> None:
    book = client.post(BOOKS, json={**DUNE, "tags": [" SciFi ", "Classic"]}).json()
    doc = mongo["books"].find_one({"_id": ObjectId(book["id"])})
    assert doc is not None
    assert (doc["title"], doc["year"], doc["tags"]) == ("Dune", 1965, ["scifi", "classic"])


def test_tags_default_to_empty(client: TestClient) -> None:
    book = client.post(BOOKS, json={"title": "Emma", "author": "Jane Austen", "year": 1815}).json()
    assert book["tags"] == []


def test_list_filters_by_tag(client: TestClient) -> None:
    client.post(BOOKS, json=DUNE)
    client.post(BOOKS, json={"title": "Emma", "author": "Jane Austen", "year": 1815, "tags": ["romance"]})
    assert [b["title"] for b in client.get(BOOKS, params={"tag": "SCIFI"}).json()] == ["Dune"]


def test_patch_changes_only_the_given_fields(client: TestClient) -> None:
    book = client.post(BOOKS, json=DUNE).json()
    resp = client.patch(f"{BOOKS}/{book['id']}", json={"year": 1966, "tags": ["classic"]})
    assert resp.status_code == 200
    assert resp.json() == {**book, "year": 1966, "tags": ["classic"]}
    assert client.get(f"{BOOKS}/{book['id']}").json() == resp.json()


def test_empty_patch_returns_the_book_unchanged(client: TestClient) -> None:
    book = client.post(BOOKS, json=DUNE).json()
    assert client.patch(f"{BOOKS}/{book['id']}", json={}).json() == book


@pytest.mark.parametrize("book_id", ["000000000000000000000000", "not-an-objectid"])
def test_unknown_or_malformed_id_is_404(client: TestClient, book_id: str) -> None:
    assert client.get(f"{BOOKS}/{book_id}").json() == {"detail": "Book not found"}
    assert client.patch(f"{BOOKS}/{book_id}", json={"year": 2000}).status_code == 404
    assert client.delete(f"{BOOKS}/{book_id}").status_code == 404


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"title": "T", "author": "A"},
        {"title": " ", "author": "A", "year": 2000},
        {"title": "T", "author": "A", "year": 3000},
        {"title": "T", "author": "A", "year": 2000, "tags": [""]},
        {"title": "T", "author": "A", "year": 2000, "isbn": "x"},
    ],
)
def test_invalid_book_is_422_and_not_stored(client: TestClient, payload: dict) -> None:
    assert client.post(BOOKS, json=payload).status_code == 422
    assert client.get(BOOKS).json() == []
