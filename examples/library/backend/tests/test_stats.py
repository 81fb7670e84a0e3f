"""GET /api/v1/stats/authors runs a real aggregation pipeline on the server."""

from fastapi.testclient import TestClient

BOOKS = "/api/v1/books"
STATS = "/api/v1/stats/authors"

SHELF = [
    ("The Dispossessed", "Ursula K. Le Guin", 1974, ["scifi"]),
    ("A Wizard of Earthsea", "Ursula K. Le Guin", 1968, ["fantasy"]),
    ("The Left Hand of Darkness", "Ursula K. Le Guin", 1969, ["scifi"]),
    ("Dune Messiah", "Frank Herbert", 1969, ["scifi"]),
    ("Dune", "Frank Herbert", 1965, ["scifi"]),
    ("Emma", "Jane Austen", 1815, ["romance"]),
]


def _shelve(client: TestClient) -> None:
    for title, author, year, tags in SHELF:
        resp = client.post(BOOKS, json={"title": title, "author": author, "year": year, "tags": tags})
        assert resp.status_code == 201, resp.text


def test_no_books_no_authors(client: TestClient) -> None:
    resp = client.get(STATS)
    assert resp.status_code == 200, resp.text
    assert resp.json() == []


def test_authors_by_book_count_with_titles_oldest_first(client: TestClient) -> None:
    _shelve(client)
    resp = client.get(STATS)
    assert resp.status_code == 200, resp.text
    assert resp.json() == [
        {
            "author": "Ursula K. Le Guin",
            "books": 3,
            "titles": ["A Wizard of Earthsea", "The Left Hand of Darkness", "The Dispossessed"],
            "first_year": 1968,
        },
        {"author": "Frank Herbert", "books": 2, "titles": ["Dune", "Dune Messiah"], "first_year": 1965},
        {"author": "Jane Austen", "books": 1, "titles": ["Emma"], "first_year": 1815},
    ]


def test_min_books_and_tag_narrow_the_groups(client: TestClient) -> None:
    _shelve(client)
    rows = client.get(STATS, params={"min_books": 2, "tag": "scifi"}).json()
    assert [(r["author"], r["books"], r["first_year"]) for r in rows] == [
        ("Frank Herbert", 2, 1965),
        ("Ursula K. Le Guin", 2, 1969),
    ]


def test_min_books_below_one_is_422(client: TestClient) -> None:
    assert client.get(STATS, params={"min_books": 0}).status_code == 422
