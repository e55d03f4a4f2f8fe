from django import template
from django.utils.html import format_html

register = template.Library()

_STATUS_COLOURS = {
    "planning": "govuk-tag--grey",
    "open": "govuk-tag--blue",
    "meeting": "govuk-tag--purple",
    "learning": "govuk-tag--turquoise",
    "published": "govuk-tag--green",
    "closed": "govuk-tag--grey",
}


@register.simple_tag
def round_status_tag(audit_round):
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        _STATUS_COLOURS.get(audit_round.status, ""),
        audit_round.get_status_display(),
    )


@register.inclusion_tag("includes/_next_milestone.html")
def next_milestone(milestone):
    return {"milestone": milestone}


_WORK_COLOURS = {
    "not_started": "govuk-tag--grey",
    "draft": "govuk-tag--light-blue",
    "submitted": "govuk-tag--blue",
    "returned": "govuk-tag--orange",
    "accepted": "govuk-tag--green",
}


@register.simple_tag
def work_status_tag(item):
    """The status of an audit tool or chronology as a GOV.UK tag."""
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', _WORK_COLOURS.get(item.status, ""), item.get_status_display()
    )
