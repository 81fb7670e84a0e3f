"""Library backend: books, loans and per-author stats over FastAPI + MongoDB."""
