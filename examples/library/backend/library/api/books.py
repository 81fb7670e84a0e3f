"""CRUD for /books."""

from fastapi import APIRouter, HTTPException, Query, Response, status
from pymongo import ReturnDocument

from library.api.deps import Db
from library.database import object_id
from library.models import Book, BookIn, BookPatch

router = APIRouter(prefix="/books", tags=["books"])
NOT_FOUND = "Book not found"


@router.get("", response_model=list[Book])
async def list_books(db: Db, tag: str | None = Query(default=None, max_length=40)) -> list[Book]:
    query = {"tags": tag.strip().lower()} if tag else {}
    return [Book.from_doc(doc) async for doc in db.books.find(query).sort("_id", 1)]


@router.post("", response_model=Book, status_code=status.HTTP_201_CREATED)
async def create_book(payload: BookIn, db: Db) -> Book:
    doc = payload.model_dump()
    result = await db.books.insert_one(doc)
    return Book.from_doc({**doc, "_id": result.inserted_id})


@router.get("/{book_id}", response_model=Book)
async def get_book(book_id: str, db: Db) -> Book:
    oid = object_id(book_id)
    doc = await db.books.find_one({"_id": oid}) if oid else None
    if doc is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    return Book.from_doc(doc)


@router.patch("/{book_id}", response_model=Book)
async def update_book(book_id: str, payload: BookPatch, db: Db) -> Book:
    oid = object_id(book_id)
    changes = payload.model_dump(exclude_none=True)
    if oid and not changes:
        return await get_book(book_id, db)
    doc = (
        await db.books.find_one_and_update(
            {"_id": oid}, {"$set": changes}, return_document=ReturnDocument.AFTER
        )
        if oid
        else None
    )
    if doc is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    return Book.from_doc(doc)


@router.delete("/{book_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_book(book_id: str, db: Db) -> Response:
    oid = object_id(book_id)
    if oid is None or (await db.books.delete_one({"_id": oid})).deleted_count == 0:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    await db.loans.delete_many({"book_id": oid})
    return Response(status_code=status.HTTP_204_NO_CONTENT)
