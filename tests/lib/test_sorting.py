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


def test_a_column_sorted_in_python_keeps_the_tie_breakers_order_and_puts_empty_last_both_ways(rf):
    from types import SimpleNamespace

    columns = (*COLUMNS, Column("share", "Share", "share", then=("name", "pk"), numeric=True, in_python=True))
    # As the database gave them, in the tie-breakers' order.
    rows = [SimpleNamespace(name=name, share=share) for name, share in [("a", 5), ("b", None), ("c", 9), ("d", 5)]]
    up = sorting(rf.get("/", {"sort": "share", "order": "asc"}), columns, default=DEFAULT)
    assert up.order_by() == ["name", "pk"]  # the database orders by the tie-breakers only
    assert [row.name for row in up.sort(rows)] == ["a", "d", "c", "b"]
    down = sorting(rf.get("/", {"sort": "share", "order": "desc"}), columns, default=DEFAULT)
    assert [row.name for row in down.sort(rows)] == ["c", "a", "d", "b"]
    assert sorting(rf.get("/"), columns, default=DEFAULT).sort(rows) is rows  # a database column: as given
