"""Learning: practice themes, and the strengths, findings and key messages that meetings and the
round's learning record, with a key message's reflective questions and links."""

from django.contrib.postgres.search import SearchVectorExact
from django.db import models
from simple_history.models import HistoricalRecords

from lib.models import TrackedModel


class PracticeTheme(models.Model):
    """A practice theme (voice of the child, information sharing, ...) that tags learning."""

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True, help_text="Inactive themes are kept on old learning only.")

    class Meta:
        ordering = ["name"]
        permissions = [("manage_themes", "Can add and change practice themes")]

    def __str__(self):
        return self.name


class SearchVectorField(models.Field):
    """A full-text search vector: ``tsvector`` on PostgreSQL (``field=SearchQuery(...)`` is
    ``@@``), an unused text column elsewhere (other databases search with ``icontains``). Not
    django.contrib.postgres's field, which needs that app installed on every database."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


SearchVectorField.register_lookup(SearchVectorExact)


class LearningPointQuerySet(models.QuerySet):
    def published(self):
        """Learning that a published briefing printed: what readers outside the coordinators see."""
        return self.filter(pk__in=models.Subquery(self.model.published_in.through.objects.values("learningpoint_id")))


class LearningPointManager(models.Manager.from_queryset(LearningPointQuerySet)):
    def get_queryset(self):
        # The search vector is read only inside the library's search query, never into Python.
        return super().get_queryset().defer("search_vector")


class LearningPoint(TrackedModel):
    """A strength, finding or other piece of learning, with the themes and agencies it concerns.

    One model for every kind, so that briefings and the learning library read one family.
    ``case`` is the case whose meeting record it was written on (none: written for the round);
    ``evidence_cases`` are every case it cites, that case included (none: the round as a whole).
    Text fields hold the source of the small Markdown subset ``lib.richtext`` renders."""

    class Kind(models.TextChoices):
        STRENGTH = "strength", "Strength"
        FINDING = "finding", "Finding"
        KEY_MESSAGE = "key_message", "Key message"
        RECOMMENDATION = "recommendation", "Recommendation"
        GOOD_PRACTICE = "good_practice", "Good practice"

    round = models.ForeignKey("audits.AuditRound", on_delete=models.PROTECT, related_name="learning_points")
    case = models.ForeignKey(
        "audits.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="learning_points"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    heading = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    themes = models.ManyToManyField(PracticeTheme, blank=True, related_name="learning_points")
    agencies = models.ManyToManyField("agencies.Agency", blank=True, related_name="learning_points")
    evidence_cases = models.ManyToManyField(
        "audits.Case",
        blank=True,
        related_name="evidenced_learning",
        help_text="The cases it cites (none: the round as a whole).",
    )
    callout = models.CharField(
        "call-out line", max_length=300, blank=True, help_text="An optional line to stand out in a briefing."
    )
    position = models.PositiveIntegerField(default=0)
    # The heading (weight A), text (B) and theme names (C), English stemming. On PostgreSQL the
    # triggers of migration 0011 keep it up to date on every write, whatever writes (a save, a
    # bulk_create, a change of themes, a theme renamed), and a GIN index serves the search.
    # Not kept in the history, and not read into Python (the manager defers it).
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=["updated_at", "search_vector"], m2m_fields=[themes, agencies, evidence_cases]
    )
    objects = LearningPointManager()

    class Meta:
        ordering = ["round", "case", "kind", "position", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.heading or self.text[:60]}"

    def clean_fields(self, exclude=None):
        # The database writes the search vector; reading it back to validate would cost a query.
        super().clean_fields(exclude={*(exclude or ()), "search_vector"})


# What a case's meeting records, and what the round's learning across cases adds.
CASE_KINDS = (LearningPoint.Kind.STRENGTH, LearningPoint.Kind.FINDING)
ROUND_KINDS = (LearningPoint.Kind.KEY_MESSAGE, LearningPoint.Kind.RECOMMENDATION, LearningPoint.Kind.GOOD_PRACTICE)


class ReflectiveQuestion(models.Model):
    """A question a key message asks practitioners to reflect on, in order."""

    learning_point = models.ForeignKey(LearningPoint, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["learning_point", "position"]
        constraints = [
            models.UniqueConstraint(fields=["learning_point", "position"], name="reflective_question_position")
        ]

    def __str__(self):
        return self.text


class ResourceLink(models.Model):
    """A policy, training course or service a key message points practitioners to."""

    learning_point = models.ForeignKey(LearningPoint, on_delete=models.CASCADE, related_name="links")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)

    class Meta:
        ordering = ["learning_point", "position"]
        constraints = [models.UniqueConstraint(fields=["learning_point", "position"], name="resource_link_position")]

    def __str__(self):
        return self.title
