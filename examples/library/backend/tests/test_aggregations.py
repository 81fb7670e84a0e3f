from library.aggregations import authors_pipeline


def test_stages_sort_before_group_so_first_is_the_earliest_year() -> None:
    stages = [next(iter(stage)) for stage in authors_pipeline()]
    assert stages == ["$match", "$sort", "$group", "$match", "$sort", "$project"]
    assert authors_pipeline()[1] == {"$sort": {"year": 1, "title": 1}}


def test_tag_is_matched_lowercase() -> None:
    assert authors_pipeline(tag=" SciFi ")[0]["$match"]["tags"] == "scifi"


def test_min_books_filters_groups() -> None:
    assert authors_pipeline(min_books=3)[3] == {"$match": {"books": {"$gte": 3}}}
