"""AutoAuthor example backend: a small FastAPI + MongoDB books API."""
