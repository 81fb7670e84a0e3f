import pytest
from fastapi.testclient import TestClient

BOOKS = "/api/v1/books"
LOANS = "/api/v1/loans"


@pytest.fixture()
def book_id(client: TestClient) -> str:
    book = {"title": "The Dispossessed", "author": "Ursula K. Le Guin", "year": 1974}
    return client.post(BOOKS, json=book).json()["id"]


def test_lend_then_return(client: TestClient, book_id: str) -> None:
    resp = client.post(LOANS, json={"book_id": book_id, "borrower": " Ada "})
    assert resp.status_code == 201
    loan = resp.json()
    assert (loan["book_id"], loan["borrower"], loan["returned_at"]) == (book_id, "Ada", None)
    assert client.get(f"{LOANS}/{loan['id']}").json() == loan

    returned = client.post(f"{LOANS}/{loan['id']}/return")
    assert returned.status_code == 200
    assert returned.json()["returned_at"] is not None
    assert client.post(f"{LOANS}/{loan['id']}/return").status_code == 409


def test_a_book_on_loan_cannot_be_lent_again(client: TestClient, book_id: str) -> None:
    first = client.post(LOANS, json={"book_id": book_id, "borrower": "Ada"}).json()
    again = client.post(LOANS, json={"book_id": book_id, "borrower": "Bob"})
    assert again.status_code == 409
    assert again.json() == {"detail": "Book is already on loan"}
    client.post(f"{LOANS}/{first['id']}/return")
    assert client.post(LOANS, json={"book_id": book_id, "borrower": "Bob"}).status_code == 201


def test_list_filters_active_and_returned(client: TestClient, book_id: str) -> None:
    old = client.post(LOANS, json={"book_id": book_id, "borrower": "Ada"}).json()
    client.post(f"{LOANS}/{old['id']}/return")
    new = client.post(LOANS, json={"book_id": book_id, "borrower": "Bob"}).json()
    assert [loan["id"] for loan in client.get(LOANS).json()] == [old["id"], new["id"]]
    assert [loan["id"] for loan in client.get(LOANS, params={"active": True}).json()] == [new["id"]]
    assert [loan["id"] for loan in client.get(LOANS, params={"active": False}).json()] == [old["id"]]


@pytest.mark.parametrize("missing", ["000000000000000000000000", "nope"])
def test_lending_an_unknown_book_is_404(client: TestClient, missing: str) -> None:
    resp = client.post(LOANS, json={"book_id": missing, "borrower": "Ada"})
    assert resp.status_code == 404
    assert resp.json() == {"detail": "Book not found"}


@pytest.mark.parametrize("loan_id", ["000000000000000000000000", "nope"])
def test_unknown_loan_is_404(client: TestClient, loan_id: str) -> None:
    assert client.get(f"{LOANS}/{loan_id}").status_code == 404
    assert client.post(f"{LOANS}/{loan_id}/return").status_code == 404
    assert client.delete(f"{LOANS}/{loan_id}").status_code == 404


def test_delete_loan(client: TestClient, book_id: str) -> None:
    loan = client.post(LOANS, json={"book_id": book_id, "borrower": "Ada"}).json()
    assert client.delete(f"{LOANS}/{loan['id']}").status_code == 204
    assert client.get(LOANS).json() == []


def test_deleting_a_book_deletes_its_loans(client: TestClient, book_id: str) -> None:
    client.post(LOANS, json={"book_id": book_id, "borrower": "Ada"})
    client.delete(f"{BOOKS}/{book_id}")
    assert client.get(LOANS).json() == []
