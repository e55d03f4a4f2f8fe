from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from audits.returns import permissions as returns_permissions
from audits.rounds.permissions import can_see_child_details

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


@register.simple_tag
def return_controls(user, item):
    """What ``user`` may do with an audit tool or chronology beyond editing it, and where:
    assign it (its lead), mark it ready for the lead (an auditor), review it (a coordinator).

        {% return_controls user item as controls %}{% if controls.can_assign %}...
    """
    args = [returns_permissions.url_kind(item), item.pk]
    return {
        "can_assign": returns_permissions.can_assign(user, item),
        "can_mark_ready": returns_permissions.can_mark_ready(user, item),
        "can_review": returns_permissions.can_review(user, item),
        "is_member": returns_permissions.is_member(user, item),
        "assign_url": reverse("audits:return-assign", args=args),
        "ready_url": reverse("audits:return-ready", args=args),
        "review_url": reverse("audits:return-review", args=args),
    }


@register.simple_tag
def breadcrumbs(*pairs):
    """GOV.UK breadcrumbs from label, target pairs: a target is a URL name without arguments
    ("audits:round-list"), a path ("/briefings/") or an object with ``get_absolute_url``.

        {% breadcrumbs "Audit rounds" "audits:round-list" round.title round %}
    """
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes label, target pairs")
    items = []
    for label, target in zip(pairs[::2], pairs[1::2], strict=True):
        if hasattr(target, "get_absolute_url"):
            href = target.get_absolute_url()
        elif str(target).startswith("/"):
            href = str(target)
        else:
            href = reverse(target)
        items.append((href, label))
    links = format_html_join(
        "",
        '<li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link" href="{}">{}</a></li>',
        items,
    )
    return format_html(
        '<nav class="govuk-breadcrumbs" aria-label="Breadcrumb"><ol class="govuk-breadcrumbs__list">{}</ol></nav>',
        links,
    )


@register.simple_tag
def child_details_link(user, case):
    """The URL of the case's "Child's details" page when ``user`` may see them now
    (``can_see_child_details``), else "". The page is linked from the tool and chronology only."""
    if not can_see_child_details(user, case):
        return ""
    return reverse("audits:case-child-details", args=[case.round_id, case.number])
