"""Request and response schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=40)]
Year = Annotated[int, Field(ge=0, le=2100)]


class BookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Text
    author: Text
    year: Year
    tags: list[Tag] = Field(default_factory=list, max_length=20)


class BookPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Text | None = None
    author: Text | None = None
    year: Year | None = None
    tags: list[Tag] | None = Field(default=None, max_length=20)


class Book(BookIn):
    model_config = ConfigDict(extra="ignore")

    id: str

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Book:
        return cls(id=str(doc["_id"]), **{k: v for k, v in doc.items() if k != "_id"})


class LoanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    book_id: str
    borrower: Text


class Loan(BaseModel):
    id: str
    book_id: str
    borrower: str
    loaned_at: datetime
    returned_at: datetime | None = None

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Loan:
        return cls(
            id=str(doc["_id"]),
            book_id=str(doc["book_id"]),
            borrower=doc["borrower"],
            loaned_at=doc["loaned_at"],
            returned_at=doc.get("returned_at"),
        )


class AuthorStat(BaseModel):
    author: str
    books: int
    titles: list[str]
    first_year: int


class Health(BaseModel):
    status: str
    database: str
