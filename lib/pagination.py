"""The GOV.UK pagination component for any paginated list (templates/includes/_pagination.html):
numbered pages for a Django ``Page``, or Previous and Next alone for a ``Window`` of a list too
big to count (the access log)."""

from dataclasses import dataclass

# No list has this many pages: a larger number (an edited URL) asks for the last page instead of
# an offset the database cannot hold.
MAX_PAGE = 1_000_000


def page_number(value) -> int:
    """The page asked for in the URL: a positive whole number (at most MAX_PAGE), else 1."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def _page_url(request):
    query = request.GET.copy()
    query.pop("page", None)

    def url(number):
        query["page"] = number
        return f"?{query.urlencode()}"

    return url


def pagination(request, page) -> dict | None:
    """The component's items: page numbers with gaps, each link keeping the page's filters. None
    when everything fits on one page (the component is then left out)."""
    if page.paginator.num_pages <= 1:
        return None
    url = _page_url(request)
    items = [
        {
            "ellipsis": number == page.paginator.ELLIPSIS,
            "number": number,
            "url": url(number) if number != page.paginator.ELLIPSIS else "",
            "current": number == page.number,
        }
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    return {
        "items": items,
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
    }


@dataclass
class Window:
    """One page of a list read without counting it: the rows, the page's number and whether
    another page follows (known by reading one row more than a page holds)."""

    object_list: list
    number: int
    per_page: int
    has_next: bool

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.object_list) - 1 if self.object_list else 0


def window(queryset, number, per_page: int) -> Window:
    """Page ``number`` (as in the URL) of an ordered queryset, in one query of at most
    ``per_page + 1`` rows and no COUNT."""
    number = page_number(number)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return Window(rows[:per_page], number, per_page, has_next=len(rows) > per_page)


def window_pagination(request, page: Window) -> dict | None:
    """The component for a ``Window``: Previous and Next only (no page numbers, as the list is
    not counted), each keeping the filters. None when there is neither."""
    if not page.has_previous and not page.has_next:
        return None
    url = _page_url(request)
    return {
        "items": [],
        "previous": url(page.number - 1) if page.has_previous else "",
        "next": url(page.number + 1) if page.has_next else "",
    }
