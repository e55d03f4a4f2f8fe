"""The GOV.UK pagination component for any paginated list (templates/includes/_pagination.html)."""


def pagination(request, page) -> dict | None:
    """The component's items: page numbers with gaps, each link keeping the page's filters. None
    when everything fits on one page (the component is then left out)."""
    if page.paginator.num_pages <= 1:
        return None
    query = request.GET.copy()
    query.pop("page", None)

    def url(number):
        query["page"] = number
        return f"?{query.urlencode()}"

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
