from notes import NoteStore


def test_add_numbers_notes_and_dedupes_tags():
    store = NoteStore()
    assert store.add("a", ["x", "x", "w"]) == {"id": 1, "title": "a", "tags": ["w", "x"]}
    assert store.add("b", [])["id"] == 2


def test_tagged_finds_only_matching_notes():
    store = NoteStore()
    store.add("a", ["work"])
    store.add("b", ["home"])
    assert [n["title"] for n in store.tagged("work")] == ["a"]
