"""Loans: lend a book to a borrower, return it; one open loan per book."""

from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Response, status
from pymongo import ReturnDocument

from library.api.deps import Db
from library.database import object_id
from library.models import Loan, LoanIn

router = APIRouter(prefix="/loans", tags=["loans"])
NOT_FOUND = "Loan not found"


@router.get("", response_model=list[Loan])
async def list_loans(db: Db, active: bool | None = None) -> list[Loan]:
    query = {} if active is None else {"returned_at": None} if active else {"returned_at": {"$ne": None}}
    return [Loan.from_doc(doc) async for doc in db.loans.find(query).sort("_id", 1)]


@router.post("", response_model=Loan, status_code=status.HTTP_201_CREATED)
async def lend(payload: LoanIn, db: Db) -> Loan:
    book_oid = object_id(payload.book_id)
    if book_oid is None or await db.books.find_one({"_id": book_oid}) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Book not found")
    if await db.loans.find_one({"book_id": book_oid, "returned_at": None}) is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, "Book is already on loan")
    doc = {
        "book_id": book_oid,
        "borrower": payload.borrower,
        "loaned_at": _now(),
        "returned_at": None,
    }
    result = await db.loans.insert_one(doc)
    return Loan.from_doc({**doc, "_id": result.inserted_id})


@router.get("/{loan_id}", response_model=Loan)
async def get_loan(loan_id: str, db: Db) -> Loan:
    oid = object_id(loan_id)
    doc = await db.loans.find_one({"_id": oid}) if oid else None
    if doc is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    return Loan.from_doc(doc)


@router.post("/{loan_id}/return", response_model=Loan)
async def give_back(loan_id: str, db: Db) -> Loan:
    oid = object_id(loan_id)
    if oid is None or await db.loans.find_one({"_id": oid}) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    doc = await db.loans.find_one_and_update(
        {"_id": oid, "returned_at": None},
        {"$set": {"returned_at": _now()}},
        return_document=ReturnDocument.AFTER,
    )
    if doc is None:
        raise HTTPException(status.HTTP_409_CONFLICT, "Loan is already returned")
    return Loan.from_doc(doc)


@router.delete("/{loan_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_loan(loan_id: str, db: Db) -> Response:
    oid = object_id(loan_id)
    if oid is None or (await db.loans.delete_one({"_id": oid})).deleted_count == 0:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _now() -> datetime:
    """Naive UTC, truncated to the millisecond MongoDB stores: the answer equals a later read."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000, tzinfo=None)
