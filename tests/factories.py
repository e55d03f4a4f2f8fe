import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from agencies.models import Agency, Area, Membership, User
from agencies.roles import sync_roles
from audits.models import (
    Action,
    AuditRound,
    AuditTool,
    Case,
    CaseAgency,
    Chronology,
    ChronologyEntry,
    LearningPoint,
    RestrictedIdentifiers,
    ToolTemplate,
)
from audits.rounds.services import period_label_for

PASSWORD = "correct-horse-battery"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ["short_name"]

    name = factory.Sequence(lambda n: f"Test area {n}")
    short_name = factory.Sequence(lambda n: f"TA{n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Test agency {n}")
    short_name = factory.Sequence(lambda n: f"Agency {n}")
    sector = Agency.Sector.OTHER


class UserFactory(factory.django.DjangoModelFactory):
    """A user; pass ``role`` (a partnership role) and/or ``agency`` with ``agency_role``. A
    coordinator is confirmed to see identifiers unless ``confirmed=False`` (agencies/people)."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")

    @classmethod
    def _create(cls, model_class, *args, role=None, agency=None, agency_role="lead", confirmed=True, **kwargs):
        user = model_class.objects.create_user(*args, password=PASSWORD, **kwargs)
        if role:
            if not Group.objects.filter(name=role).exists():
                sync_roles()
            user.groups.add(Group.objects.get(name=role))
            if confirmed and role == "Coordinator":
                user.identifiers_confirmed_at = timezone.now()
                model_class.objects.filter(pk=user.pk).update(identifiers_confirmed_at=user.identifiers_confirmed_at)
        if agency:
            Membership.objects.create(user=user, agency=agency, role=agency_role)
        return user


def today() -> datetime.date:
    """The tests' today: the frozen clock's (tests/conftest.py::clock)."""
    return timezone.localdate()


def days_from_today(days: int):
    """A factory date this many days after (or, negative, before) the frozen today."""
    return factory.LazyFunction(lambda: today() + datetime.timedelta(days=days))


class AuditRoundFactory(factory.django.DjangoModelFactory):
    """A round launched three weeks ago, so its tools fall due in a week."""

    class Meta:
        model = AuditRound

    area = factory.SubFactory(AreaFactory, name="Northshire", short_name="NS")
    title = factory.Sequence(lambda n: f"Test round {n}")
    theme = "Neglect and the voice of the child"
    period_label = factory.LazyAttribute(lambda o: period_label_for(o.launch_date))
    launch_date = days_from_today(-21)
    tools_due_date = factory.LazyAttribute(lambda o: o.launch_date + datetime.timedelta(days=28))
    meeting_date = factory.LazyAttribute(lambda o: o.launch_date + datetime.timedelta(days=42))
    learning_due_date = factory.LazyAttribute(lambda o: o.launch_date + datetime.timedelta(days=56))
    briefing_due_date = factory.LazyAttribute(lambda o: o.launch_date + datetime.timedelta(days=70))


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    round = factory.SubFactory(AuditRoundFactory)
    number = factory.Sequence(lambda n: n + 1)
    summary = "Child lives with their grandmother; school raised concerns about attendance."
    age_band = Case.AgeBand.AGE_5_9
    plan_type = Case.PlanType.CIN


class CaseAgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseAgency

    case = factory.SubFactory(CaseFactory)
    agency = factory.SubFactory(AgencyFactory)


class RestrictedIdentifiersFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RestrictedIdentifiers

    case = factory.SubFactory(CaseFactory)
    child_name = "Fictional Child"
    date_of_birth = factory.LazyFunction(lambda: today().replace(year=today().year - 11, month=1, day=1))
    record_numbers = "CSC 000000"


class ToolFactory(factory.django.DjangoModelFactory):
    """An audit tool on the default template's current version."""

    class Meta:
        model = AuditTool

    case = factory.SubFactory(CaseFactory)
    agency = factory.SubFactory(AgencyFactory)
    template_version = factory.LazyFunction(lambda: ToolTemplate.objects.get(is_default=True).current_version)
    due_date = factory.LazyAttribute(lambda o: o.case.round.tools_due_date)


class ChronologyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chronology

    case = factory.SubFactory(CaseFactory)
    agency = factory.SubFactory(AgencyFactory)
    due_date = factory.LazyAttribute(lambda o: o.case.round.tools_due_date)


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChronologyEntry

    chronology = factory.SubFactory(ChronologyFactory)
    # A day each, from about ten months before today.
    date = factory.Sequence(lambda n: today() - datetime.timedelta(days=326 - n))
    event_type = ChronologyEntry.EventType.HOME_VISIT
    what_happened = "Practitioner visited the home; the child was seen alone."
    action_outcome = "Plan reviewed with the parent."
    practitioner_role = "Social worker"


class LearningPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningPoint

    round = factory.LazyAttribute(lambda o: o.case.round if o.case else AuditRoundFactory())
    case = None
    kind = LearningPoint.Kind.FINDING
    heading = factory.Sequence(lambda n: f"Finding {n}")
    text = "Agencies did not share the school's concerns before the conference."

    @factory.post_generation
    def cite_case(self, create, extracted, **kwargs):
        """A point recorded on a case cites that case, as the services keep it."""
        if create and self.case_id:
            self.evidence_cases.add(self.case)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    round = factory.SubFactory(AuditRoundFactory)
    what = factory.Sequence(lambda n: f"Action {n}: brief all practitioners on the escalation policy.")
    lead_agency = factory.SubFactory(AgencyFactory)
    owner_name = "Named manager"
    owner_role = "Safeguarding lead"
    due_date = days_from_today(128)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting that has already taken place (leads of its agencies may read its record)."""

    class Meta:
        model = "audits.Meeting"

    round = factory.SubFactory(AuditRoundFactory, status="open")
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() - datetime.timedelta(days=30)).replace(hour=9, minute=30, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    place = "Room 2, Civic Centre, Northshire"
    chair = "Independent chair, partnership business unit"
