"""Charts drawn on the server as inline SVG, so they need no JavaScript.

Each chart is one image to assistive technology (``role="img"``, labelled by its ``<title>`` and
a ``<desc>`` stating every figure) and never relies on colour alone: each bar is labelled with
its count and what it counts, and findings are hatched as well as coloured. The table beside a
chart holds the same data."""

from django.utils.html import format_html, format_html_join

WIDTH = 480
LABEL_GAP = 8
BAR_HEIGHT = 22
GROUP_HEIGHT = 84
BAR_AREA = 300
STRENGTH_FILL = "#1d70b8"  # GOV.UK blue
FINDING_FILL = "#6f3c00"  # dark brown: with white hatching both keep 3:1 against white


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def theme_bars_text(rows) -> str:
    """The chart's figures as a sentence, for its text alternative."""
    if not rows:
        return "No strengths or findings have been tagged with a practice theme yet."
    parts = [f"{row.name}: {_plural(row.strengths, 'strength')} and {_plural(row.findings, 'finding')}" for row in rows]
    return "Strengths and findings per practice theme. " + "; ".join(parts) + "."


def theme_bars(rows, *, title: str, chart_id: str = "themes-chart") -> str:
    """A horizontal bar chart: per theme, a bar for its strengths and a hatched bar for its
    findings, each labelled with its count. ``rows`` have name, strengths and findings."""
    largest = max([max(row.strengths, row.findings) for row in rows] or [1]) or 1
    height = max(len(rows), 1) * GROUP_HEIGHT + 16

    def bar(y, count, word, fill):
        length = round(BAR_AREA * count / largest)
        return format_html(
            '<rect x="0" y="{}" width="{}" height="{}" fill="{}" stroke="#0b0c0c" stroke-width="1"></rect>'
            '<text x="{}" y="{}" class="app-chart__label">{}</text>',
            y,
            length,
            BAR_HEIGHT,
            fill,
            length + LABEL_GAP,
            y + BAR_HEIGHT - 6,
            _plural(count, word),
        )

    groups = []
    for index, row in enumerate(rows):
        top = index * GROUP_HEIGHT + 8
        groups.append(
            format_html(
                '<g><text x="0" y="{}" class="app-chart__theme">{}</text>{}{}</g>',
                top + 14,
                row.name,
                bar(top + 22, row.strengths, "strength", STRENGTH_FILL),
                bar(top + 22 + BAR_HEIGHT + 4, row.findings, "finding", f"url(#{chart_id}-hatch)"),
            )
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" viewBox="0 0 {} {}" width="100%" '
        'aria-labelledby="{}-title {}-desc" focusable="false">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<defs><pattern id="{}-hatch" patternUnits="userSpaceOnUse" width="8" height="8" '
        'patternTransform="rotate(45)"><rect width="8" height="8" fill="{}"></rect>'
        '<line x1="0" y1="0" x2="0" y2="8" stroke="#ffffff" stroke-width="3"></line></pattern></defs>'
        "{}</svg>",
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        theme_bars_text(rows),
        chart_id,
        FINDING_FILL,
        format_html_join("", "{}", ((group,) for group in groups)),
    )


# Small multiples: one theme's strengths and findings per year --------------------------------------

TREND_SLOT = 56  # the width of one year: a strength bar and a finding bar side by side
TREND_BAR = 20
TREND_PLOT = 90  # the height of the tallest bar
TREND_TOP = 22  # room for the count above the tallest bar
TREND_BOTTOM = 26  # room for the year below the bars


def theme_trend_text(row) -> str:
    """One theme's figures by year as a sentence, for its chart's text alternative. ``row`` has
    ``name`` and ``by_year``: (year, strengths, findings) for each year shown."""
    parts = [
        f"{year}: {_plural(strengths, 'strength')} and {_plural(findings, 'finding')}"
        for year, strengths, findings in row.by_year
    ]
    if not parts:
        return f"{row.name}: no strengths or findings."
    return f"{row.name}, by year. " + "; ".join(parts) + "."


def theme_trend(row, *, largest: int, chart_id: str) -> str:
    """A small column chart of one theme: per year, a bar for its strengths and a hatched bar for
    its findings, each with its count above it and the year below. Every theme's chart shares
    the scale ``largest`` (the largest count of any), so that the small multiples compare."""
    largest = max(largest, 1)
    width = max(len(row.by_year), 1) * TREND_SLOT
    height = TREND_TOP + TREND_PLOT + TREND_BOTTOM
    baseline = TREND_TOP + TREND_PLOT

    def bar(x, count, fill):
        length = round(TREND_PLOT * count / largest)
        return format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#0b0c0c" stroke-width="1"></rect>'
            '<text x="{}" y="{}" text-anchor="middle" class="app-chart__count">{}</text>',
            x,
            baseline - length,
            TREND_BAR,
            length,
            fill,
            x + TREND_BAR // 2,
            baseline - length - 5,
            count,
        )

    slots = []
    for index, (year, strengths, findings) in enumerate(row.by_year):
        left = index * TREND_SLOT + (TREND_SLOT - 2 * TREND_BAR - 4) // 2
        slots.append(
            format_html(
                '<g>{}{}<text x="{}" y="{}" text-anchor="middle" class="app-chart__count">{}</text></g>',
                bar(left, strengths, STRENGTH_FILL),
                bar(left + TREND_BAR + 4, findings, f"url(#{chart_id}-hatch)"),
                index * TREND_SLOT + TREND_SLOT // 2,
                height - 6,
                year,
            )
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart app-chart--trend" role="img" viewBox="0 0 {} {}" '
        'width="{}" aria-labelledby="{}-title {}-desc" focusable="false">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<defs><pattern id="{}-hatch" patternUnits="userSpaceOnUse" width="8" height="8" '
        'patternTransform="rotate(45)"><rect width="8" height="8" fill="{}"></rect>'
        '<line x1="0" y1="0" x2="0" y2="8" stroke="#ffffff" stroke-width="3"></line></pattern></defs>'
        '<line x1="0" y1="{}" x2="{}" y2="{}" stroke="#0b0c0c" stroke-width="1"></line>'
        "{}</svg>",
        width,
        height,
        width,
        chart_id,
        chart_id,
        chart_id,
        f"Strengths and findings tagged {row.name}, by year",
        chart_id,
        theme_trend_text(row),
        chart_id,
        FINDING_FILL,
        baseline,
        width,
        baseline,
        format_html_join("", "{}", ((slot,) for slot in slots)),
    )


def theme_trends(rows, *, chart_id: str = "trend") -> list[tuple[object, str, str]]:
    """Each theme row with its small chart and the chart's text: (row, svg, text), on one scale."""
    largest = max([max(strengths, findings) for row in rows for _, strengths, findings in row.by_year] or [1])
    return [
        (row, theme_trend(row, largest=largest, chart_id=f"{chart_id}-{index}"), theme_trend_text(row))
        for index, row in enumerate(rows, start=1)
    ]
