"""Tables sorted on the server by column links (the GOV.UK / MOJ sortable table, without
JavaScript): ``?sort=<column>&order=asc|desc``, and ``aria-sort`` on the sorted column's header
(templates/includes/_sortable_header.html).

A page lists its sortable columns; anything else in the URL falls back to the page's default
order, so an edited address never fails or sorts by a field nobody offered."""

from dataclasses import dataclass
from operator import attrgetter

from django.db.models import F

ASCENDING, DESCENDING = "asc", "desc"
ARIA = {ASCENDING: "ascending", DESCENDING: "descending"}
# Shown beside the sorted column's label (hidden from screen readers, which read aria-sort).
ARROWS = {ASCENDING: "\u25b2", DESCENDING: "\u25bc"}


@dataclass(frozen=True)
class Column:
    """A sortable column: its key in the URL, its header, the expression it sorts by, and the
    tie-breakers that keep equal rows in a fixed order (they do not turn with the direction)."""

    key: str
    label: str
    by: object  # a field name or an expression
    then: tuple = ()
    numeric: bool = False
    first: str = ASCENDING  # the direction of a first click on this column
    # Sorted in Python by the attribute ``by`` of each row (a count worked out after the query,
    # cheaper than in it), with ``then`` as field paths ("-launch_date", "area__name").
    in_python: bool = False

    def order_by(self, direction: str) -> list:
        if self.in_python:
            return [*self.then]
        expression = F(self.by) if isinstance(self.by, str) else self.by
        primary = expression.desc(nulls_last=True) if direction == DESCENDING else expression.asc(nulls_last=True)
        return [primary, *self.then]

    def sort(self, rows: list, direction: str) -> list:
        """``rows`` (already in ``then``'s order, from ``order_by``) by ``by``, empty last in
        both directions as in the database; Python's sort is stable, so ties keep ``then``."""
        if not self.in_python:
            return rows
        value = attrgetter(self.by)
        present = [row for row in rows if value(row) is not None]
        missing = [row for row in rows if value(row) is None]
        return sorted(present, key=value, reverse=direction == DESCENDING) + missing


@dataclass(frozen=True)
class Sorting:
    """The order a page was asked for: which column, which direction, and the column headers
    (label, link, ``aria-sort``) that switch it."""

    columns: tuple[Column, ...]
    key: str
    direction: str
    query: object  # the request's QueryDict: the links keep its filters

    def order_by(self) -> list:
        return self.column.order_by(self.direction)

    def sort(self, rows: list) -> list:
        """Rows fetched with ``order_by()``, sorted by a column sorted in Python (else as given)."""
        return self.column.sort(rows, self.direction)

    @property
    def column(self) -> Column:
        return next(column for column in self.columns if column.key == self.key)

    def current(self) -> dict:
        """The order in words, and as the URL gives it (for a filter form's hidden fields)."""
        return {"key": self.key, "order": self.direction, "label": self.column.label, "direction": ARIA[self.direction]}

    def headers(self) -> dict:
        """Each column's header, by key: ``label``, ``url`` (this column, in the direction a
        click should give), ``action`` (what the link does, for screen readers), ``aria_sort``
        (ascending, descending, or none), ``arrow`` (on the sorted column) and ``numeric``."""
        headers = {}
        for column in self.columns:
            sorted_here = column.key == self.key
            if sorted_here:
                next_direction = ASCENDING if self.direction == DESCENDING else DESCENDING
            else:
                next_direction = column.first
            query = self.query.copy()
            query.pop("page", None)  # a new order starts at the first page
            query["sort"], query["order"] = column.key, next_direction
            headers[column.key] = {
                "label": column.label,
                "url": f"?{query.urlencode()}",
                "action": f"sort {ARIA[next_direction]}",
                "aria_sort": ARIA[self.direction] if sorted_here else "none",
                "arrow": ARROWS[self.direction] if sorted_here else "",
                "numeric": column.numeric,
            }
        return headers


def sorting(request, columns, *, default: tuple[str, str]) -> Sorting:
    """The sorting the request asks for, among ``columns``; ``default`` (key, direction) when it
    asks for none, or for a column or direction that is not offered."""
    columns = tuple(columns)
    keys = {column.key for column in columns}
    key = request.GET.get("sort")
    direction = request.GET.get("order")
    if key not in keys:
        key, direction = default
    elif direction not in ARIA:
        direction = next(column.first for column in columns if column.key == key)
    return Sorting(columns=columns, key=key, direction=direction, query=request.GET)
