"""Server-side sorting by column links (lib/sorting.py)."""

from django.db.models import F

from lib.sorting import ASCENDING, DESCENDING, Column, sorting

COLUMNS = (
    Column("name", "Name", "name", then=("pk",)),
    Column("due", "Due", "due_date", then=("name", "pk"), first=DESCENDING),
)
DEFAULT = ("name", ASCENDING)


def test_no_sort_asked_gives_the_default(rf):
    order = sorting(rf.get("/"), COLUMNS, default=DEFAULT)
    assert (order.key, order.direction) == DEFAULT
    assert order.order_by() == [F("name").asc(nulls_last=True), "pk"]


def test_an_unknown_column_gives_the_default_and_an_unknown_direction_the_columns_first(rf):
    assert (sorting(rf.get("/", {"sort": "password"}), COLUMNS, default=DEFAULT).key) == "name"
    order = sorting(rf.get("/", {"sort": "due", "order": "sideways"}), COLUMNS, default=DEFAULT)
    assert (order.key, order.direction) == ("due", DESCENDING)


def test_descending_turns_only_the_sorted_column_not_its_tie_breakers(rf):
    order = sorting(rf.get("/", {"sort": "due", "order": "desc"}), COLUMNS, default=DEFAULT)
    assert order.order_by() == [F("due_date").desc(nulls_last=True), "name", "pk"]


def test_headers_link_the_other_direction_keep_filters_and_start_again_at_page_one(rf):
    request = rf.get("/", {"area": "3", "page": "4", "sort": "name", "order": "asc"})
    headers = sorting(request, COLUMNS, default=DEFAULT).headers()
    assert headers["name"]["aria_sort"] == "ascending"
    assert headers["name"]["url"] == "?area=3&sort=name&order=desc"
    assert headers["name"]["action"] == "sort descending"
    assert headers["name"]["arrow"]
    assert headers["due"]["aria_sort"] == "none"
    assert headers["due"]["url"] == "?area=3&sort=due&order=desc"  # its first direction
    assert headers["due"]["arrow"] == ""
