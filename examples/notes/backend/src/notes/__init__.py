"""Notes: keep short notes and find them by tag."""

from notes.store import NoteStore

__all__ = ["NoteStore"]
