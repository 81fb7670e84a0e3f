"""An in-memory note store, the stand-in a real backend would put a database behind."""


class NoteStore:
    def __init__(self) -> None:
        self._notes: list[dict] = []

    def add(self, title: str, tags: list[str]) -> dict:
        note = {"id": len(self._notes) + 1, "title": title, "tags": sorted(set(tags))}
        self._notes.append(note)
        return note

    def tagged(self, tag: str) -> list[dict]:
        return [n for n in self._notes if tag in n["tags"]]
