from django.db import migrations
from django.utils.text import slugify

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


def add_needs(apps, schema_editor):
    Need = apps.get_model("audits", "Need")
    for name in NEEDS:
        Need.objects.get_or_create(slug=slugify(name)[:50], defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_initial")]
    operations = [migrations.RunPython(add_needs, migrations.RunPython.noop)]
