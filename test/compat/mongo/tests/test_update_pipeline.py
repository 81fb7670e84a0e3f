"""Updates with an aggregation pipeline (MongoDB 4.2+): `update_one(filter, [{"$set": ...}])`.

Backends use them to append to an array that may be missing, fill defaults, or
rebuild a document from its own fields. Each test asserts the stored documents
and the counts PyMongo reports.
"""
import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from bson import ObjectId
from pymongo import InsertOne, ReturnDocument, UpdateOne
from pymongo.errors import OperationFailure, WriteError


def by_id(coll):
    return {d["_id"]: d for d in coll.find()}


# ---------------------------------------------------------------- update_one / update_many
def test_update_one_pipeline_concat_arrays_if_null(db):
    db.books.insert_many([{"_id": 1, "tags": ["a"]}, {"_id": 2, "title": "t"}])
    push = [{"$set": {"tags": {"$concatArrays": [{"$ifNull": ["$tags", []]}, ["new"]]}}}]
    r = db.books.update_one({"_id": 2}, push)
    assert (r.matched_count, r.modified_count, r.upserted_id) == (1, 1, None)
    r = db.books.update_one({"_id": 1}, push)
    assert (r.matched_count, r.modified_count) == (1, 1)
    assert by_id(db.books) == {1: {"_id": 1, "tags": ["a", "new"]}, 2: {"_id": 2, "title": "t", "tags": ["new"]}}


def test_update_many_pipeline_set_then_unset(db):
    db.books.insert_many([
        {"_id": 1, "title": "Rust", "genre": "tech", "pages": 300, "draft": True},
        {"_id": 2, "title": "Bread", "genre": "home", "pages": 90, "draft": True},
        {"_id": 3, "title": "Go", "genre": "tech", "pages": 200},
    ])
    r = db.books.update_many({"genre": "tech"}, [
        {"$set": {"label": {"$concat": ["$title", " (", "$genre", ")"]}, "double": {"$multiply": ["$pages", 2]}}},
        {"$unset": ["draft", "genre"]},
    ])
    assert (r.matched_count, r.modified_count) == (2, 2)
    assert by_id(db.books) == {
        1: {"_id": 1, "title": "Rust", "pages": 300, "label": "Rust (tech)", "double": 600},
        2: {"_id": 2, "title": "Bread", "genre": "home", "pages": 90, "draft": True},
        3: {"_id": 3, "title": "Go", "pages": 200, "label": "Go (tech)", "double": 400},
    }


def test_update_many_pipeline_counts_only_changed_documents(db):
    db.t.insert_many([{"_id": 1, "n": 5}, {"_id": 2, "n": 5, "state": "done"}, {"_id": 3, "n": 1}])
    r = db.t.update_many({"n": 5}, [{"$set": {"state": "done"}}])
    assert (r.matched_count, r.modified_count) == (2, 1)
    assert by_id(db.t)[1] == {"_id": 1, "n": 5, "state": "done"}


def test_update_pipeline_cond_both_forms(db):
    db.books.insert_many([{"_id": 1, "pages": 300}, {"_id": 2, "pages": 90}])
    db.books.update_many({}, [{"$set": {
        "size": {"$cond": {"if": {"$gte": ["$pages", 200]}, "then": "long", "else": "short"}},
        "even": {"$cond": [{"$eq": [{"$mod": ["$pages", 2]}, 0]}, True, False]},
    }}])
    assert by_id(db.books) == {1: {"_id": 1, "pages": 300, "size": "long", "even": True},
                               2: {"_id": 2, "pages": 90, "size": "short", "even": True}}


def test_update_pipeline_merge_objects_fills_defaults(db):
    db.users.insert_many([{"_id": 1, "settings": {"theme": "dark"}}, {"_id": 2}])
    defaults = {"theme": "light", "lang": "en"}
    db.users.update_many({}, [{"$set": {"settings": {"$mergeObjects": [defaults, "$settings"]}}}])
    assert by_id(db.users) == {1: {"_id": 1, "settings": {"theme": "dark", "lang": "en"}},
                               2: {"_id": 2, "settings": {"theme": "light", "lang": "en"}}}


def test_update_pipeline_add_fields_literal_and_field_paths(db):
    db.t.insert_one({"_id": 1, "name": "Ada", "profile": {"theme": "light", "lang": "en"}, "price": "$5"})
    db.t.update_one({"_id": 1}, [{"$addFields": {
        "copy": "$name",
        "nested": "$profile.lang",
        "raw": {"$literal": "$name"},
        "profile": {"theme": "dark"},
        "box": {"$literal": {"a": "$name"}},
        "status": "active",
        "price2": "$price",
    }}])
    assert db.t.find_one() == {"_id": 1, "name": "Ada", "profile": {"theme": "dark", "lang": "en"}, "price": "$5",
                               "copy": "Ada", "nested": "en", "raw": "$name", "box": {"a": "$name"},
                               "status": "active", "price2": "$5"}


def test_update_pipeline_expression_result_replaces_an_embedded_document(db):
    # An object literal in $set merges into the embedded document; an expression's object replaces it.
    db.t.insert_one({"_id": 1, "profile": {"theme": "light", "lang": "en"}, "old": {"x": 1, "y": 2}})
    db.t.update_one({"_id": 1}, [{"$set": {"profile": {"$literal": {"theme": "dark"}},
                                           "old": {"$cond": [True, {"x": 9}, "$old"]}}}])
    assert db.t.find_one() == {"_id": 1, "profile": {"theme": "dark"}, "old": {"x": 9}}


def test_update_pipeline_evaluates_array_and_object_literals(db):
    # Appending a history entry built from the document's own fields: the elements of an array literal are
    # expressions, a missing field becomes null in an array and is left out of an object.
    db.t.insert_one({"_id": 1, "status": "draft", "a": 1, "history": []})
    db.t.update_one({"_id": 1}, [{"$set": {
        "history": {"$concatArrays": ["$history", [{"from": "$status", "to": "review", "note": "$nope",
                                                     "pair": ["$a", "$nope"]}]]},
        "pair": ["$a", "$nope", {"$add": ["$a", 1]}, "lit"],
        "status": "review",
    }}])
    assert db.t.find_one() == {"_id": 1, "status": "review", "a": 1,
                               "history": [{"from": "draft", "to": "review", "pair": [1, None]}],
                               "pair": [1, None, 2, "lit"]}


def test_update_pipeline_replace_with_root_and_unset(db):
    db.t.insert_one({"_id": 1, "title": "a", "n": 1, "patch": {"title": "b", "extra": True}})
    r = db.t.update_one({"_id": 1}, [{"$replaceWith": {"$mergeObjects": ["$$ROOT", "$patch"]}}, {"$unset": "patch"}])
    assert r.modified_count == 1
    assert db.t.find_one() == {"_id": 1, "title": "b", "n": 1, "extra": True}


def test_update_pipeline_project_and_replace_root(db):
    db.t.insert_many([{"_id": 1, "name": "a", "junk": 1, "payload": {"x": 1}},
                      {"_id": 2, "name": "b", "payload": {"x": 2, "y": 3}}])
    db.t.update_one({"_id": 1}, [{"$project": {"name": 1, "payload": 1}}])
    db.t.update_one({"_id": 2}, [{"$replaceRoot": {"newRoot": {"$mergeObjects": [{"_id": "$_id"}, "$payload"]}}}])
    assert by_id(db.t) == {1: {"_id": 1, "name": "a", "payload": {"x": 1}}, 2: {"_id": 2, "x": 2, "y": 3}}


def test_update_pipeline_now_is_one_time_per_statement(db):
    db.t.insert_many([{"_id": i} for i in range(1, 6)])
    before = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    db.t.update_many({}, [{"$set": {"updated_at": "$$NOW", "raw": {"$literal": "$$NOW"}, "seen": ["$$NOW"]}}])
    after = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    docs = list(db.t.find())
    stamps = {d["updated_at"] for d in docs}
    assert len(stamps) == 1
    stamp = stamps.pop()
    assert isinstance(stamp, dt.datetime)
    assert before - dt.timedelta(milliseconds=1) <= stamp <= after
    assert {d["raw"] for d in docs} == {"$$NOW"}
    assert all(d["seen"] == [stamp] for d in docs)
    assert db.t.count_documents({"updated_at": stamp}) == 5  # stored at BSON's millisecond precision


# ---------------------------------------------------------------- upserts
def test_update_one_pipeline_upsert_seeds_from_the_filter(db):
    inc = [{"$set": {"count": {"$add": [{"$ifNull": ["$count", 0]}, 1]}}}]
    r = db.counters.update_one({"_id": "x", "kind": "k"}, inc, upsert=True)
    assert (r.matched_count, r.modified_count, r.upserted_id) == (0, 0, "x")
    r = db.counters.update_one({"_id": "x", "kind": "k"}, inc, upsert=True)
    assert (r.matched_count, r.modified_count, r.upserted_id) == (1, 1, None)
    assert db.counters.find_one({"_id": "x"}) == {"_id": "x", "kind": "k", "count": 2}
    r = db.counters.update_one({"kind": "other", "n": {"$gt": 3}}, inc, upsert=True)
    assert isinstance(r.upserted_id, ObjectId)
    assert db.counters.find_one({"_id": r.upserted_id}) == {"_id": r.upserted_id, "kind": "other", "count": 1}


def test_update_many_pipeline_without_match_and_upsert_changes_nothing(db):
    db.t.insert_one({"_id": 1})
    r = db.t.update_many({"missing": True}, [{"$set": {"x": 1}}])
    assert (r.matched_count, r.modified_count, r.upserted_id) == (0, 0, None)
    assert list(db.t.find()) == [{"_id": 1}]


# ---------------------------------------------------------------- find_one_and_update
def test_find_one_and_update_pipeline_before_and_after(db):
    db.books.insert_one({"_id": 1, "chapters": ["c1"], "version": 1})
    step = [{"$set": {"chapters": {"$concatArrays": ["$chapters", ["c2"]]}, "version": {"$add": ["$version", 1]}}}]
    before = db.books.find_one_and_update({"_id": 1}, step)
    assert before == {"_id": 1, "chapters": ["c1"], "version": 1}
    after = db.books.find_one_and_update({"_id": 1}, step, return_document=ReturnDocument.AFTER)
    assert after == {"_id": 1, "chapters": ["c1", "c2", "c2"], "version": 3}
    assert db.books.find_one_and_update({"_id": 99}, step) is None
    assert db.books.count_documents({}) == 1


def test_find_one_and_update_pipeline_upsert(db):
    step = [{"$set": {"seq": {"$add": [{"$ifNull": ["$seq", 0]}, 1]}}}]
    assert db.counters.find_one_and_update({"_id": "a"}, step, upsert=True) is None
    new = db.counters.find_one_and_update({"_id": "b"}, step, upsert=True, return_document=ReturnDocument.AFTER)
    assert new == {"_id": "b", "seq": 1}
    again = db.counters.find_one_and_update({"_id": "b"}, step, upsert=True, return_document=ReturnDocument.AFTER)
    assert again == {"_id": "b", "seq": 2}
    assert by_id(db.counters) == {"a": {"_id": "a", "seq": 1}, "b": {"_id": "b", "seq": 2}}


def test_find_one_and_update_pipeline_sort_and_projection(db):
    db.q.insert_many([{"_id": i, "state": "queued", "prio": i, "secret": "x"} for i in range(1, 4)])
    job = db.q.find_one_and_update({"state": "queued"}, [{"$set": {"state": "taken", "was": "$state"}}],
                                   sort=[("prio", -1)], projection={"secret": 0},
                                   return_document=ReturnDocument.AFTER)
    assert job == {"_id": 3, "state": "taken", "prio": 3, "was": "queued"}
    assert sorted(d["_id"] for d in db.q.find({"state": "queued"})) == [1, 2]


# ---------------------------------------------------------------- bulk writes and errors
def test_bulk_write_mixes_pipeline_and_operator_updates(db):
    db.b.insert_many([{"_id": 1, "v": 1}, {"_id": 2, "v": 2}])
    res = db.b.bulk_write([
        UpdateOne({"_id": 1}, [{"$set": {"v": {"$multiply": ["$v", 10]}}}]),
        InsertOne({"_id": 3, "v": 3}),
        UpdateOne({"_id": 2}, {"$inc": {"v": 100}}),
        UpdateOne({"_id": 4}, [{"$set": {"v": {"$ifNull": ["$v", 40]}}}], upsert=True),
        UpdateOne({"_id": 3}, [{"$set": {"v": 3}}]),
    ])
    assert (res.inserted_count, res.matched_count, res.modified_count) == (1, 3, 2)
    assert res.upserted_ids == {3: 4}
    assert {d["_id"]: d["v"] for d in db.b.find()} == {1: 10, 2: 102, 3: 3, 4: 40}


def test_update_pipeline_rejects_a_stage_not_allowed_in_updates(db):
    db.t.insert_one({"_id": 1, "x": 1})
    with pytest.raises(WriteError) as e:
        db.t.update_one({"_id": 1}, [{"$match": {"x": 1}}, {"$set": {"x": 2}}])
    assert e.value.code == 72 and "$match is not allowed to be used within an update" in str(e.value)
    with pytest.raises(OperationFailure) as e:
        db.t.find_one_and_update({"_id": 1}, [{"$group": {"_id": None}}])
    assert e.value.code == 72
    assert db.t.find_one() == {"_id": 1, "x": 1}


def test_update_pipeline_cannot_change_the_id(db):
    db.t.insert_one({"_id": 1, "x": 1})
    with pytest.raises(WriteError) as e:
        db.t.update_one({"_id": 1}, [{"$set": {"_id": 2}}])
    assert e.value.code == 66
    assert list(db.t.find()) == [{"_id": 1, "x": 1}]


def test_concurrent_pipeline_increments_lose_nothing(client, db):
    # A read-modify-write counter: each update reads the value it replaces, so two clients must not interleave.
    db.c.insert_one({"_id": "n", "v": 0, "log": []})
    inc = [{"$set": {"v": {"$add": ["$v", 1]}, "log": {"$concatArrays": ["$log", [{"$add": ["$v", 1]}]]}}}]

    def work(_):
        for _ in range(40):
            client[db.name].c.update_one({"_id": "n"}, inc)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(8)))
    doc = db.c.find_one()
    assert doc["v"] == 320 and doc["log"] == list(range(1, 321))
