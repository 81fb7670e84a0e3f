"""Async smoke test with motor, as FastAPI apps use it."""
import os

from motor.motor_asyncio import AsyncIOMotorClient
from pymongo import ReturnDocument

MONGO_URL = os.environ.get("MONGO_URL", "mongodb://127.0.0.1:27017/")


async def test_motor_smoke():
    client = AsyncIOMotorClient(MONGO_URL, serverSelectionTimeoutMS=5000, directConnection=True)
    db = client["compat_motor_smoke"]
    try:
        await client.drop_database(db.name)
        await db.books.insert_many([{"_id": i, "owner": "u%d" % (i % 2), "pages": i * 10} for i in range(1, 7)])
        assert await db.books.count_documents({"owner": "u1"}) == 3
        docs = await db.books.find({"pages": {"$gt": 20}}).sort("pages", -1).limit(2).to_list(None)
        assert [d["_id"] for d in docs] == [6, 5]
        agg = await db.books.aggregate([
            {"$group": {"_id": "$owner", "pages": {"$sum": "$pages"}, "n": {"$sum": 1}}},
            {"$sort": {"_id": 1}},
        ]).to_list(None)
        assert [(d["_id"], d["pages"]) for d in agg] == [("u0", 120), ("u1", 90)]
        after = await db.books.find_one_and_update({"_id": 1}, {"$inc": {"pages": 5}},
                                                   return_document=ReturnDocument.AFTER)
        assert after["pages"] == 15
        async with await client.start_session() as s:
            assert (await db.books.find_one({"_id": 2}, session=s))["pages"] == 20
    finally:
        await client.drop_database(db.name)
        client.close()
