"""Each agency's chronology of a case: dated events, entered in the browser or imported."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from audits.models.tools import ReturnBase
from config.models import TrackedModel


class Chronology(ReturnBase):
    case = models.ForeignKey("audits.Case", on_delete=models.PROTECT, related_name="chronologies")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="chronologies")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["case", "agency__name"]
        verbose_name_plural = "chronologies"
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="one_chronology_per_case_and_agency")]

    def __str__(self):
        return f"Chronology: {self.case}, {self.agency.short_name}"

    def get_absolute_url(self):
        return reverse("audits:chronology-detail", args=[self.pk])


class ChronologyEntry(TrackedModel):
    class EventType(models.TextChoices):
        CONTACT = "contact", "Contact"
        HOME_VISIT = "home_visit", "Home visit"
        OFFICE_VISIT = "office_visit", "Office visit"
        PHONE_CALL = "phone_call", "Phone call"
        REFERRAL = "referral", "Referral"
        ASSESSMENT = "assessment", "Assessment"
        STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
        CP_CONFERENCE = "cp_conference", "Child protection conference"
        CORE_GROUP = "core_group", "Core group"
        MEETING = "meeting", "Meeting"
        INCIDENT = "incident", "Incident"
        HOSPITAL_ATTENDANCE = "hospital_attendance", "Hospital attendance"
        SCHOOL_ATTENDANCE = "school_attendance", "School attendance concern"
        OTHER = "other", "Other"

    chronology = models.ForeignKey(Chronology, on_delete=models.CASCADE, related_name="entries")
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    date_is_approximate = models.BooleanField(default=False)
    event_type = models.CharField(max_length=30, choices=EventType.choices)
    what_happened = models.TextField()
    action_outcome = models.TextField("action or outcome", blank=True)
    practitioner_role = models.CharField(
        max_length=150, blank=True, help_text="The practitioner's role, for example school nurse. Never a name."
    )
    key_event = models.BooleanField(default=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["chronology", "date", "time", "pk"]
        verbose_name_plural = "chronology entries"

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_event_type_display()}"
