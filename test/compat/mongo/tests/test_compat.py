"""What Auto-Author-shaped FastAPI backends ask of MongoDB (pymongo, sync).

One test per feature; each asserts on results, so a server that accepts an
option but ignores it fails the test.
"""
import datetime as dt
import time

import pytest
from bson import ObjectId
from pymongo import (ASCENDING, DESCENDING, TEXT, DeleteMany, DeleteOne, InsertOne,
                     ReplaceOne, ReturnDocument, UpdateMany, UpdateOne)
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure
from pymongo.read_concern import ReadConcern
from pymongo.write_concern import WriteConcern


# ---------------------------------------------------------------- fixtures of data
def seed_books(db):
    users = [
        {"_id": "u1", "name": "Ada", "plan": "pro"},
        {"_id": "u2", "name": "Bob", "plan": "free"},
        {"_id": "u3", "name": "Cy", "plan": "free"},
    ]
    books = [
        {"_id": 1, "owner_id": "u1", "title": "Rust in Anger", "genre": "tech", "pages": 300, "tags": ["rust", "systems"]},
        {"_id": 2, "owner_id": "u1", "title": "Gardening Basics", "genre": "home", "pages": 120, "tags": ["garden"]},
        {"_id": 3, "owner_id": "u2", "title": "Python Patterns", "genre": "tech", "pages": 250, "tags": ["python", "patterns"]},
        {"_id": 4, "owner_id": "u2", "title": "Baking Bread", "genre": "home", "pages": 90, "tags": []},
        {"_id": 5, "owner_id": "u3", "title": "Go Concurrency", "genre": "tech", "pages": 200, "tags": ["go"]},
    ]
    db.users.insert_many(users)
    db.books.insert_many(books)
    return users, books


# ---------------------------------------------------------------- basics
def test_ping(client):
    assert client.admin.command("ping")["ok"] == 1
    assert "version" in client.admin.command("buildInfo")


def test_hello_command(client):
    hello = client.admin.command("hello")
    assert hello.get("isWritablePrimary") is True or hello.get("ismaster") is True
    assert hello["maxWireVersion"] >= 8


def test_insert_and_find(db):
    r = db.items.insert_one({"name": "a", "n": 1, "nested": {"x": 1}})
    assert isinstance(r.inserted_id, ObjectId)
    rs = db.items.insert_many([{"name": "b", "n": 2}, {"name": "c", "n": 3}])
    assert len(rs.inserted_ids) == 2
    doc = db.items.find_one({"_id": r.inserted_id})
    assert doc["name"] == "a" and doc["nested"] == {"x": 1}
    got = sorted(d["name"] for d in db.items.find({"n": {"$gte": 2}}))
    assert got == ["b", "c"]
    proj = db.items.find_one({"name": "a"}, {"_id": 0, "n": 1})
    assert proj == {"n": 1}
    assert sorted(d["name"] for d in db.items.find({"name": {"$in": ["a", "c"]}})) == ["a", "c"]


def test_datetime_and_objectid_roundtrip(db):
    now = dt.datetime(2026, 1, 2, 3, 4, 5, 123000)
    oid = ObjectId()
    db.t.insert_one({"_id": oid, "created_at": now, "ref": ObjectId("0123456789abcdef01234567")})
    doc = db.t.find_one({"created_at": {"$gte": now - dt.timedelta(seconds=1), "$lt": now + dt.timedelta(seconds=1)}})
    assert doc["_id"] == oid
    assert doc["created_at"] == now
    assert doc["ref"] == ObjectId("0123456789abcdef01234567")


def test_nested_field_query_and_exists(db):
    # Optimistic-lock pattern: match on a dotted path, or on its absence.
    db.books.insert_many([
        {"_id": 1, "toc": {"version": 3, "chapters": [{"id": "c1"}]}},
        {"_id": 2, "toc": {"chapters": []}},
    ])
    r = db.books.update_one({"_id": 1, "toc.version": 3}, {"$set": {"toc.version": 4}})
    assert r.matched_count == 1 and r.modified_count == 1
    r = db.books.update_one({"_id": 1, "toc.version": 3}, {"$set": {"toc.version": 5}})
    assert r.matched_count == 0 and r.modified_count == 0
    r = db.books.update_one({"_id": 2, "toc.version": {"$exists": False}}, {"$set": {"toc.version": 1}})
    assert r.modified_count == 1
    assert db.books.find_one({"toc.chapters.id": "c1"})["_id"] == 1
    assert db.books.find_one({"_id": 2})["toc"]["version"] == 1


def test_update_operators(db):
    db.c.insert_one({"_id": 1, "n": 1, "tags": ["a"], "gone": True})
    r = db.c.update_one({"_id": 1}, {"$inc": {"n": 2}, "$set": {"s": "x"}, "$unset": {"gone": ""},
                                     "$push": {"tags": "b"}, "$addToSet": {"set": "z"}})
    assert r.matched_count == 1 and r.modified_count == 1
    db.c.update_one({"_id": 1}, {"$addToSet": {"set": "z"}, "$pull": {"tags": "a"}})
    doc = db.c.find_one({"_id": 1})
    assert doc == {"_id": 1, "n": 3, "tags": ["b"], "s": "x", "set": ["z"]}
    r = db.c.update_one({"_id": 2}, {"$set": {"n": 10}, "$setOnInsert": {"created": True}}, upsert=True)
    assert r.upserted_id == 2
    assert db.c.find_one({"_id": 2}) == {"_id": 2, "n": 10, "created": True}
    db.c.insert_many([{"_id": 3, "g": "x"}, {"_id": 4, "g": "x"}])
    r = db.c.update_many({"g": "x"}, {"$set": {"flag": 1}})
    assert r.matched_count == 2 and r.modified_count == 2
    r = db.c.replace_one({"_id": 3}, {"replaced": True})
    assert r.modified_count == 1
    assert db.c.find_one({"_id": 3}) == {"_id": 3, "replaced": True}


def test_delete(db):
    db.c.insert_many([{"k": i % 3} for i in range(9)])
    assert db.c.delete_one({"k": 0}).deleted_count == 1
    assert db.c.delete_many({"k": 1}).deleted_count == 3
    assert db.c.count_documents({}) == 5
    assert db.c.find_one_and_delete({"k": 2}, sort=[("_id", ASCENDING)])["k"] == 2
    assert db.c.count_documents({"k": 2}) == 2


def test_count_documents(db):
    seed_books(db)
    assert db.books.count_documents({}) == 5
    assert db.books.count_documents({"genre": "tech"}) == 3
    assert db.books.count_documents({"genre": "tech"}, skip=1, limit=1) == 1
    assert db.books.count_documents({"pages": {"$gt": 1000}}) == 0
    assert db.books.estimated_document_count() == 5


def test_distinct(db):
    seed_books(db)
    assert sorted(db.books.distinct("genre")) == ["home", "tech"]
    assert sorted(db.books.distinct("owner_id", {"genre": "home"})) == ["u1", "u2"]
    assert sorted(db.books.distinct("tags")) == ["garden", "go", "patterns", "python", "rust", "systems"]


def test_sort_skip_limit(db):
    seed_books(db)
    ids = [d["_id"] for d in db.books.find({}, sort=[("pages", DESCENDING)]).skip(1).limit(2)]
    assert ids == [3, 5]
    ids = [d["_id"] for d in db.books.find().sort([("genre", ASCENDING), ("pages", ASCENDING)])]
    assert ids == [4, 2, 5, 3, 1]


def test_regex_find(db):
    seed_books(db)
    got = sorted(d["_id"] for d in db.books.find({"title": {"$regex": "^b", "$options": "i"}}))
    assert got == [4]


# ---------------------------------------------------------------- aggregation
def test_agg_match_sort_project(db):
    seed_books(db)
    out = list(db.books.aggregate([
        {"$match": {"genre": "tech"}},
        {"$sort": {"pages": -1}},
        {"$project": {"_id": 0, "title": 1, "pages": 1, "owner": "$owner_id"}},
    ]))
    assert out == [
        {"title": "Rust in Anger", "pages": 300, "owner": "u1"},
        {"title": "Python Patterns", "pages": 250, "owner": "u2"},
        {"title": "Go Concurrency", "pages": 200, "owner": "u3"},
    ]
    excl = list(db.books.aggregate([{"$match": {"_id": 4}}, {"$project": {"tags": 0, "genre": 0}}]))
    assert excl == [{"_id": 4, "owner_id": "u2", "title": "Baking Bread", "pages": 90}]


def test_agg_expressions(db):
    # Expression operators inside $project/$addFields ($gt, $cond, $concat, $size, $ifNull).
    seed_books(db)
    out = list(db.books.aggregate([
        {"$match": {"genre": "tech"}},
        {"$sort": {"_id": 1}},
        {"$project": {"_id": 0, "long": {"$gt": ["$pages", 220]},
                      "label": {"$concat": ["$genre", ":", "$title"]},
                      "ntags": {"$size": {"$ifNull": ["$tags", []]}},
                      "size": {"$cond": [{"$gte": ["$pages", 250]}, "big", "small"]}}},
    ]))
    assert out == [
        {"long": True, "label": "tech:Rust in Anger", "ntags": 2, "size": "big"},
        {"long": True, "label": "tech:Python Patterns", "ntags": 2, "size": "big"},
        {"long": False, "label": "tech:Go Concurrency", "ntags": 1, "size": "small"},
    ]


def test_agg_group_first_push_sum(db):
    seed_books(db)
    out = list(db.books.aggregate([
        {"$sort": {"pages": -1}},
        {"$group": {"_id": "$owner_id", "biggest": {"$first": "$title"},
                    "titles": {"$push": "$title"}, "pages": {"$sum": "$pages"}, "n": {"$sum": 1}}},
        {"$sort": {"_id": 1}},
    ]))
    assert out == [
        {"_id": "u1", "biggest": "Rust in Anger", "titles": ["Rust in Anger", "Gardening Basics"], "pages": 420, "n": 2},
        {"_id": "u2", "biggest": "Python Patterns", "titles": ["Python Patterns", "Baking Bread"], "pages": 340, "n": 2},
        {"_id": "u3", "biggest": "Go Concurrency", "titles": ["Go Concurrency"], "pages": 200, "n": 1},
    ]


def test_agg_lookup(db):
    seed_books(db)
    out = list(db.users.aggregate([
        {"$lookup": {"from": "books", "localField": "_id", "foreignField": "owner_id", "as": "books"}},
        {"$sort": {"_id": 1}},
    ]))
    assert [u["_id"] for u in out] == ["u1", "u2", "u3"]
    assert sorted(b["_id"] for b in out[0]["books"]) == [1, 2]
    assert [b["_id"] for b in out[2]["books"]] == [5]


def test_agg_lookup_pipeline(db):
    seed_books(db)
    out = list(db.users.aggregate([
        {"$lookup": {"from": "books", "let": {"uid": "$_id"}, "as": "tech",
                     "pipeline": [{"$match": {"$expr": {"$and": [{"$eq": ["$owner_id", "$$uid"]},
                                                                   {"$eq": ["$genre", "tech"]}]}}},
                                  {"$project": {"_id": 1}}]}},
        {"$sort": {"_id": 1}},
    ]))
    assert [u["tech"] for u in out] == [[{"_id": 1}], [{"_id": 3}], [{"_id": 5}]]


def test_agg_unwind(db):
    seed_books(db)
    out = list(db.books.aggregate([
        {"$unwind": "$tags"},
        {"$group": {"_id": "$tags", "n": {"$sum": 1}}},
        {"$sort": {"_id": 1}},
    ]))
    assert [(d["_id"], d["n"]) for d in out] == [("garden", 1), ("go", 1), ("patterns", 1),
                                                 ("python", 1), ("rust", 1), ("systems", 1)]
    assert len(list(db.books.aggregate([{"$unwind": "$tags"}]))) == 6  # book 4 (no tags) drops out


def test_agg_unwind_preserve_empty(db):
    seed_books(db)
    kept = list(db.books.aggregate([
        {"$match": {"_id": {"$in": [3, 4]}}},
        {"$unwind": {"path": "$tags", "preserveNullAndEmptyArrays": True}},
        {"$sort": {"_id": 1, "tags": 1}},
    ]))
    assert [(d["_id"], d.get("tags")) for d in kept] == [(3, "patterns"), (3, "python"), (4, None)]


def test_agg_dashboard_pipeline(db):
    # The shape of a typical "books per user with stats" endpoint.
    seed_books(db)
    out = list(db.books.aggregate([
        {"$match": {"pages": {"$gte": 100}}},
        {"$lookup": {"from": "users", "localField": "owner_id", "foreignField": "_id", "as": "owner"}},
        {"$unwind": "$owner"},
        {"$group": {"_id": "$owner.plan", "books": {"$sum": 1}, "owners": {"$addToSet": "$owner.name"},
                    "avg_pages": {"$avg": "$pages"}}},
        {"$sort": {"_id": 1}},
        {"$project": {"plan": "$_id", "_id": 0, "books": 1, "avg_pages": 1, "owners": {"$size": "$owners"}}},
    ]))
    assert out == [
        {"books": 2, "avg_pages": 225.0, "owners": 2, "plan": "free"},
        {"books": 2, "avg_pages": 210.0, "owners": 1, "plan": "pro"},
    ]


def test_agg_count_skip_limit_addfields_facet(db):
    seed_books(db)
    out = list(db.books.aggregate([
        {"$match": {"genre": "tech"}},
        {"$facet": {
            "total": [{"$count": "n"}],
            "page": [{"$sort": {"_id": 1}}, {"$skip": 1}, {"$limit": 1},
                     {"$addFields": {"double": {"$multiply": ["$pages", 2]}}}],
        }},
    ]))
    assert out[0]["total"] == [{"n": 3}]
    assert [(d["_id"], d["double"]) for d in out[0]["page"]] == [(3, 500)]


# ---------------------------------------------------------------- indexes
def _index(coll, name):
    return next((i for i in coll.list_indexes() if i["name"] == name), None)


def test_unique_index_duplicate_key(db):
    name = db.users.create_index([("email", ASCENDING)], unique=True)
    assert _index(db.users, name).get("unique") is True
    db.users.insert_one({"email": "a@x.io"})
    with pytest.raises(DuplicateKeyError) as e:
        db.users.insert_one({"email": "a@x.io"})
    assert e.value.code == 11000
    with pytest.raises(DuplicateKeyError):
        db.users.update_one({"email": "b@x.io"}, {"$set": {"email": "a@x.io"}}, upsert=True)
    assert db.users.count_documents({"email": "a@x.io"}) == 1


def test_compound_index_and_list_indexes(db):
    name = db.logs.create_index([("user_id", ASCENDING), ("timestamp", DESCENDING)], name="user_ts_idx", background=True)
    assert name == "user_ts_idx"
    idx = _index(db.logs, "user_ts_idx")
    assert list(idx["key"].items()) == [("user_id", 1), ("timestamp", -1)]
    assert "_id_" in db.logs.index_information()
    db.logs.drop_index("user_ts_idx")
    assert _index(db.logs, "user_ts_idx") is None


def test_partial_index(db):
    # Non-unique partial index (the Auto-Author "tab state" shape): accepted, listed with its filter, usable.
    pfe = {"access_type": "tab_state"}
    db.logs.create_index([("user_id", ASCENDING), ("book_id", ASCENDING), ("access_type", ASCENDING)],
                         name="user_book_access_type_idx", partialFilterExpression=pfe)
    idx = _index(db.logs, "user_book_access_type_idx")
    assert idx is not None and idx.get("partialFilterExpression") == pfe
    db.logs.insert_many([{"user_id": 1, "book_id": 1, "access_type": t, "ts": i}
                         for i, t in enumerate(["view", "tab_state", "tab_state", "view"])])
    got = [d["ts"] for d in db.logs.find({"user_id": 1, "book_id": 1, "access_type": "tab_state"}).sort("ts", -1).limit(1)]
    assert got == [2]


def test_partial_unique_index(db):
    pfe = {"access_type": "tab_state"}
    db.logs.create_index([("user_id", ASCENDING), ("book_id", ASCENDING)], name="tab_state_uniq",
                         unique=True, partialFilterExpression=pfe)
    idx = _index(db.logs, "tab_state_uniq")
    assert idx is not None and idx.get("partialFilterExpression") == pfe
    # Outside the filter: duplicates are fine.
    db.logs.insert_many([{"user_id": 1, "book_id": 1, "access_type": "view"},
                         {"user_id": 1, "book_id": 1, "access_type": "view"}])
    # Inside the filter: the unique constraint applies.
    db.logs.insert_one({"user_id": 1, "book_id": 1, "access_type": "tab_state"})
    with pytest.raises(DuplicateKeyError):
        db.logs.insert_one({"user_id": 1, "book_id": 1, "access_type": "tab_state"})
    assert db.logs.count_documents({}) == 3


def test_ttl_index_option(db):
    name = db.sessions.create_index([("created_at", ASCENDING)], expireAfterSeconds=3600)
    idx = _index(db.sessions, name)
    assert idx is not None and idx.get("expireAfterSeconds") == 3600
    # Fresh documents stay.
    db.sessions.insert_one({"created_at": dt.datetime.now(dt.timezone.utc)})
    assert db.sessions.count_documents({}) == 1


def test_collmod_ttl(db):
    # collMod changes an index's TTL (used by migrations).
    name = db.sessions.create_index([("created_at", ASCENDING)], expireAfterSeconds=3600)
    db.command("collMod", "sessions", index={"keyPattern": {"created_at": 1}, "expireAfterSeconds": 60})
    assert _index(db.sessions, name).get("expireAfterSeconds") == 60


def test_ttl_index_expires(db):
    # mongod's TTL monitor runs every 60 s; allow up to 75 s.
    db.tmp.create_index([("created_at", ASCENDING)], expireAfterSeconds=0)
    old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
    db.tmp.insert_many([{"created_at": old}, {"created_at": old + dt.timedelta(days=2), "keep": True}])
    deadline = time.monotonic() + 75
    while time.monotonic() < deadline and db.tmp.count_documents({}) > 1:
        time.sleep(1)
    assert [d.get("keep") for d in db.tmp.find()] == [True]


def test_text_search(db):
    db.chapters.insert_many([
        {"_id": 1, "title": "Dragons of the north", "body": "A tale of dragons and ice"},
        {"_id": 2, "title": "Cooking", "body": "Recipes for bread"},
        {"_id": 3, "title": "Ice", "body": "Glaciers and ice sheets"},
    ])
    db.chapters.create_index([("title", TEXT), ("body", TEXT)], name="chapters_text")
    assert _index(db.chapters, "chapters_text") is not None
    ids = sorted(d["_id"] for d in db.chapters.find({"$text": {"$search": "ice"}}))
    assert ids == [1, 3]
    assert sorted(d["_id"] for d in db.chapters.find({"$text": {"$search": "bread glaciers"}})) == [2, 3]
    assert db.chapters.count_documents({"$text": {"$search": "ICE"}, "_id": {"$gt": 1}}) == 1
    assert list(db.chapters.find({"$text": {"$search": "zebra"}})) == []


def test_text_search_score(db):
    db.chapters.insert_many([
        {"_id": 1, "title": "Ice", "body": "ice ice ice, all about ice"},
        {"_id": 2, "title": "Cooking", "body": "Recipes for bread, served on ice"},
        {"_id": 3, "title": "Dragons", "body": "No frozen water here"},
    ])
    db.chapters.create_index([("title", TEXT), ("body", TEXT)])
    ranked = list(db.chapters.find({"$text": {"$search": "ice"}},
                                   {"score": {"$meta": "textScore"}}).sort([("score", {"$meta": "textScore"})]))
    assert [d["_id"] for d in ranked] == [1, 2]
    assert ranked[0]["score"] > ranked[1]["score"] > 0


# ---------------------------------------------------------------- sessions, transactions
def test_sessions_and_end_sessions(client, db):
    with client.start_session() as s:
        db.c.insert_one({"x": 1}, session=s)
        assert db.c.find_one({"x": 1}, session=s)["x"] == 1
        lsid = s.session_id
    res = client.admin.command("endSessions", [lsid])
    assert res["ok"] == 1
    started = client.admin.command("startSession")
    assert "id" in started
    assert client.admin.command("endSessions", [started["id"]])["ok"] == 1


def test_causal_consistency_session(client, db):
    with client.start_session(causal_consistency=True) as s:
        db.c.insert_one({"_id": 1}, session=s)
        assert db.c.find_one({"_id": 1}, session=s) == {"_id": 1}


# Transactions need a replica set on real MongoDB: `mongo:7` run as a standalone (as the Dagger
# service is) answers "Transaction numbers are only allowed on a replica set member or mongos".
@pytest.mark.replset
def test_transaction_commit(client, db):
    db.create_collection("acct")
    db.create_collection("audit")
    db.acct.insert_many([{"_id": "a", "bal": 100}, {"_id": "b", "bal": 0}])
    with client.start_session() as s:
        def tx(sess):
            db.acct.update_one({"_id": "a"}, {"$inc": {"bal": -30}}, session=sess)
            db.acct.update_one({"_id": "b"}, {"$inc": {"bal": 30}}, session=sess)
            db.audit.insert_one({"moved": 30}, session=sess)
        s.with_transaction(tx, read_concern=ReadConcern("snapshot"), write_concern=WriteConcern("majority"))
    assert {d["_id"]: d["bal"] for d in db.acct.find()} == {"a": 70, "b": 30}
    assert db.audit.count_documents({}) == 1


@pytest.mark.replset
def test_transaction_abort(client, db):
    db.create_collection("acct")
    db.acct.insert_one({"_id": "a", "bal": 100})
    with client.start_session() as s:
        s.start_transaction()
        db.acct.update_one({"_id": "a"}, {"$inc": {"bal": -50}}, session=s)
        db.acct.insert_one({"_id": "c", "bal": 1}, session=s)
        # Not visible outside the transaction before commit.
        assert db.acct.find_one({"_id": "c"}) is None
        s.abort_transaction()
    assert db.acct.find_one({"_id": "a"})["bal"] == 100
    assert db.acct.find_one({"_id": "c"}) is None


# ---------------------------------------------------------------- find-and-modify, bulk
def test_find_one_and_update_return_after(db):
    db.counters.insert_one({"_id": "book", "seq": 1})
    before = db.counters.find_one_and_update({"_id": "book"}, {"$inc": {"seq": 1}})
    assert before["seq"] == 1
    after = db.counters.find_one_and_update({"_id": "book"}, {"$inc": {"seq": 1}},
                                            return_document=ReturnDocument.AFTER)
    assert after["seq"] == 3
    new = db.counters.find_one_and_update({"_id": "chapter"}, {"$inc": {"seq": 1}}, upsert=True,
                                          return_document=ReturnDocument.AFTER)
    assert new == {"_id": "chapter", "seq": 1}
    assert db.counters.find_one_and_update({"_id": "none"}, {"$set": {"x": 1}}) is None
    rep = db.counters.find_one_and_replace({"_id": "book"}, {"seq": 100}, return_document=ReturnDocument.AFTER)
    assert rep == {"_id": "book", "seq": 100}


def test_find_one_and_update_projection_sort(db):
    db.q.insert_many([{"_id": i, "state": "queued", "prio": i, "secret": "x"} for i in range(1, 4)])
    job = db.q.find_one_and_update({"state": "queued"}, {"$set": {"state": "taken"}}, sort=[("prio", DESCENDING)],
                                   projection={"secret": 0}, return_document=ReturnDocument.AFTER)
    assert job == {"_id": 3, "state": "taken", "prio": 3}


def test_bulk_write_mixed_ordered(db):
    db.b.insert_many([{"_id": i, "v": i} for i in range(1, 5)])
    res = db.b.bulk_write([
        InsertOne({"_id": 10, "v": 10}),
        UpdateOne({"_id": 1}, {"$set": {"v": 100}}),
        UpdateMany({"v": {"$in": [2, 3]}}, {"$inc": {"v": 1000}}),
        ReplaceOne({"_id": 4}, {"v": -4}),
        DeleteOne({"_id": 10}),
        UpdateOne({"_id": 20}, {"$set": {"v": 20}}, upsert=True),
        DeleteMany({"v": {"$gt": 1000}}),
    ], ordered=True)
    assert res.inserted_count == 1
    assert res.matched_count == 4 and res.modified_count == 4
    assert res.deleted_count == 3
    assert res.upserted_count == 1 and res.upserted_ids == {5: 20}
    assert {d["_id"]: d["v"] for d in db.b.find()} == {1: 100, 4: -4, 20: 20}


def test_bulk_write_ordered_stops_at_error(db):
    db.b.insert_one({"_id": 1})
    with pytest.raises(BulkWriteError) as e:
        db.b.bulk_write([InsertOne({"_id": 2}), InsertOne({"_id": 1}), InsertOne({"_id": 3})], ordered=True)
    det = e.value.details
    assert det["nInserted"] == 1
    assert [w["index"] for w in det["writeErrors"]] == [1] and det["writeErrors"][0]["code"] == 11000
    assert sorted(d["_id"] for d in db.b.find()) == [1, 2]


def test_bulk_write_unordered_continues(db):
    db.b.insert_one({"_id": 1})
    with pytest.raises(BulkWriteError) as e:
        db.b.bulk_write([InsertOne({"_id": 2}), InsertOne({"_id": 1}), InsertOne({"_id": 3}),
                         UpdateOne({"_id": 3}, {"$set": {"x": 1}})], ordered=False)
    det = e.value.details
    assert det["nInserted"] == 2 and det["nModified"] == 1
    assert [w["index"] for w in det["writeErrors"]] == [1]
    assert sorted(d["_id"] for d in db.b.find()) == [1, 2, 3]


def test_collection_management(db):
    db.create_collection("alpha")
    db.beta.insert_one({"x": 1})
    assert {"alpha", "beta"} <= set(db.list_collection_names())
    db.beta.rename("gamma")
    assert "gamma" in db.list_collection_names() and "beta" not in db.list_collection_names()
    db.alpha.drop()
    assert "alpha" not in db.list_collection_names()
