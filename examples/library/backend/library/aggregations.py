"""Aggregation pipelines, built as plain data so they can be unit-tested without a server."""

from __future__ import annotations

from typing import Any


def authors_pipeline(min_books: int = 1, tag: str | None = None) -> list[dict[str, Any]]:
    """Books per author, with their titles (oldest first) and the year of the earliest one."""
    match: dict[str, Any] = {"author": {"$type": "string"}, "year": {"$type": "number"}}
    if tag:
        match["tags"] = tag.strip().lower()
    return [
        {"$match": match},
        # $first below takes the earliest book because the group sees them in this order.
        {"$sort": {"year": 1, "title": 1}},
        {
            "$group": {
                "_id": "$author",
                "books": {"$sum": 1},
                "titles": {"$push": "$title"},
                "first_year": {"$first": "$year"},
            }
        },
        {"$match": {"books": {"$gte": min_books}}},
        {"$sort": {"books": -1, "_id": 1}},
        {"$project": {"_id": 0, "author": "$_id", "books": 1, "titles": 1, "first_year": 1}},
    ]
