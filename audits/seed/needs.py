"""The starting list of needs a case can be tagged with; administrators can add more."""

from django.utils.text import slugify

from audits.models import Need

NEEDS = [
    "Domestic abuse",
    "Parental mental health",
    "Parental substance misuse",
    "Neglect",
    "Child's emotional wellbeing and mental health",
    "Special educational needs and disabilities",
    "Criminal or sexual exploitation",
    "Missing from home or care",
    "Young carer",
    "Physical harm",
    "Sexual harm",
    "Housing and poverty",
    "Online safety",
]


def ensure_needs(**kwargs):
    """Add any missing need from the starting list (after every migrate, and after test flushes)."""
    existing = set(Need.objects.values_list("slug", flat=True))
    Need.objects.bulk_create(
        [Need(name=name, slug=slugify(name)[:50]) for name in NEEDS if slugify(name)[:50] not in existing]
    )
