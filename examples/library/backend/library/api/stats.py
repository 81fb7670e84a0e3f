"""GET /stats/authors: the per-author aggregation ($match, $sort, $group, $project)."""

from fastapi import APIRouter, Query

from library.aggregations import authors_pipeline
from library.api.deps import Db
from library.models import AuthorStat

router = APIRouter(prefix="/stats", tags=["stats"])


@router.get("/authors", response_model=list[AuthorStat])
async def author_stats(
    db: Db,
    min_books: int = Query(default=1, ge=1),
    tag: str | None = Query(default=None, max_length=40),
) -> list[AuthorStat]:
    cursor = await db.books.aggregate(authors_pipeline(min_books, tag))
    return [AuthorStat(**row) async for row in cursor]
