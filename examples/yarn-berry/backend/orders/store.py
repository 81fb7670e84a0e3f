"""Orders kept in MongoDB, at the database MONGODB_URI names."""

import os

from pymongo import MongoClient
from pymongo.database import Database


def database() -> Database:
    """The database MONGODB_URI names (a local server's `orders` when unset)."""
    uri = os.getenv("MONGODB_URI", "mongodb://127.0.0.1:27017/orders")
    return MongoClient(uri, serverSelectionTimeoutMS=5000).get_default_database()


def place(db: Database, customer: str, cents: int) -> None:
    """Record an order."""
    db.orders.insert_one({"customer": customer, "cents": cents})


def spent(db: Database, customer: str) -> int:
    """What a customer has spent, in cents."""
    return sum(o["cents"] for o in db.orders.find({"customer": customer}))
