"""Carts kept in MongoDB, at the database MONGODB_URL names."""

import os

from pymongo import MongoClient
from pymongo.database import Database


def database() -> Database:
    """The database MONGODB_URL names (a local server's `shop` when unset)."""
    url = os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017/shop")
    return MongoClient(url, serverSelectionTimeoutMS=5000).get_default_database()


def add_line(db: Database, cart: str, cents: int, qty: int) -> None:
    """Add a line to a cart."""
    db.lines.insert_one({"cart": cart, "cents": cents, "qty": qty})


def total(db: Database, cart: str) -> int:
    """A cart's total in cents."""
    return sum(line["cents"] * line["qty"] for line in db.lines.find({"cart": cart}))
