"""Request / response schemas."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class BookCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    author: str = Field(min_length=1, max_length=200)


class Book(BaseModel):
    id: str
    title: str
    author: str

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Book:
        return cls(id=str(doc["_id"]), title=doc["title"], author=doc["author"])


class Health(BaseModel):
    status: str
    database: str
