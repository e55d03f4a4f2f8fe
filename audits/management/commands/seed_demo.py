"""Load the fictional demo partnership. Safe to run again: it adds only what is missing.

Everything here is invented for the demo: the partnership, its areas and agencies, the people and
the cases. It refuses to run with DEBUG off, so demo passwords never reach a real installation."""

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from agencies import roles
from agencies.models import Agency, Area, Membership, User
from audits import services
from audits.models import AuditRound, AuditTool, Chronology, ChronologyEntry, Need, WorkStatus
from audits.services import chronologies as chronology_services
from audits.services import tools as tool_services

DEMO_PASSWORD = "demo-audit-2026"  # noqa: S105 - printed for the local demo only, refused without DEBUG

AREAS = [("Northvale", "NV"), ("Kestrel Bay", "KB")]

AGENCIES = [
    ("Northvale Children's Social Care", "CSC", Agency.Sector.CHILDRENS_SOCIAL_CARE),
    ("Vale and Bay Police", "Police", Agency.Sector.POLICE),
    ("Northvale General Hospitals Trust", "Acute", Agency.Sector.ACUTE_HEALTH),
    ("Vale Community Health Services", "Community health", Agency.Sector.COMMUNITY_HEALTH),
    ("Bay Minds CAMHS", "CAMHS", Agency.Sector.MENTAL_HEALTH),
    ("Northvale and Kestrel Integrated Care Board", "ICB", Agency.Sector.GP_ICB),
    ("Northvale Schools and Inclusion Service", "Education", Agency.Sector.EDUCATION),
    ("Vale Probation Delivery Unit", "Probation", Agency.Sector.PROBATION),
    ("Northvale Youth Justice Service", "Youth justice", Agency.Sector.YOUTH_JUSTICE),
    ("Kestrel Homes", "Housing", Agency.Sector.HOUSING),
    ("Harbour Lights Family Support", "Family support", Agency.Sector.VOLUNTARY),
]

# (e-mail, name, job title, partnership role or None, agency short name or None, agency role)
PEOPLE = [
    ("coordinator@example.org", "Morgan Audit", "MACA coordinator", roles.COORDINATOR, None, None),
    ("board@example.org", "Jules Boardman", "Partnership board member", roles.BOARD_VIEWER, None, None),
    ("admin@example.org", "Sam Systems", "Business support officer", roles.ADMINISTRATOR, None, None),
    ("csc.lead@example.org", "Priya Lead", "Service manager, quality assurance", None, "CSC", Membership.Role.LEAD),
    ("csc.auditor@example.org", "Tom Auditor", "Senior social worker", None, "CSC", Membership.Role.AUDITOR),
    (
        "police.lead@example.org",
        "Dana Constable",
        "Detective inspector, safeguarding",
        None,
        "Police",
        Membership.Role.LEAD,
    ),
    ("health.lead@example.org", "Alex Matron", "Named nurse for safeguarding", None, "Acute", Membership.Role.LEAD),
    (
        "schools.lead@example.org",
        "Robin Teacher",
        "Designated safeguarding lead adviser",
        None,
        "Education",
        Membership.Role.LEAD,
    ),
]

# Invented cases: (summary, age band, plan type, needs, agencies, identifiers)
CLOSED_CASES = [
    (
        "Child 1 lives with their mother and two younger siblings. Police attended several reports of "
        "arguments at home; the family was supported under a child in need plan and later stepped down "
        "to early help.",
        "5_9",
        "cin",
        ["domestic-abuse", "parental-mental-health"],
        ["CSC", "Police", "Education"],
        ("Demo Child Alpha", datetime.date(2017, 3, 14), "CSC 100001; Police 900001"),
    ),
    (
        "Child 2 is a baby whose father misuses alcohol. Health visiting and children's social care worked "
        "together under a child protection plan.",
        "under_1",
        "cp",
        ["parental-substance-misuse", "neglect"],
        ["CSC", "Community health", "Acute"],
        ("Demo Child Bravo", datetime.date(2024, 9, 2), "CSC 100002; NHS 999 000 0002"),
    ),
    (
        "Child 3 is a teenager known to youth justice who moved between relatives' homes. Agencies shared "
        "concerns about missing episodes and exploitation.",
        "16_17",
        "cin",
        ["criminal-or-sexual-exploitation", "missing-from-home-or-care"],
        ["CSC", "Police", "Youth justice"],
        ("Demo Child Charlie", datetime.date(2008, 6, 21), "CSC 100003; YJ 500003"),
    ),
]

CURRENT_CASES = [
    (
        "Child 1 is of primary school age and lives with their mother, who has long-term anxiety. School "
        "raised concerns about attendance and the child's presentation.",
        "5_9",
        "early_help",
        ["parental-mental-health", "neglect"],
        ["CSC", "Education", "Community health"],
        ("Demo Child Delta", datetime.date(2018, 1, 9), "CSC 200001"),
    ),
    (
        "Child 2 is a toddler in a household where police recorded domestic abuse incidents. A strategy "
        "discussion led to a child protection plan.",
        "1_4",
        "cp",
        ["domestic-abuse", "parental-substance-misuse"],
        ["CSC", "Police", "Acute", "Community health"],
        ("Demo Child Echo", datetime.date(2023, 5, 30), "CSC 200002; Police 900102"),
    ),
    (
        "Child 3 is looked after and placed with foster carers outside the area. The audit looks at how "
        "agencies shared information across the border.",
        "10_15",
        "lac",
        ["childs-emotional-wellbeing-and-mental-health"],
        ["CSC", "CAMHS", "Education"],
        ("Demo Child Foxtrot", datetime.date(2013, 11, 2), "CSC 200003; CAMHS 300003"),
    ),
]


# Invented chronology entries for Case 2 of the current round: (days before launch, event type,
# what happened, action or outcome, practitioner role, key event).
DEMO_ENTRIES = {
    "Police": [
        (
            200,
            "incident",
            "Officers attended a report of shouting at the home; the toddler was present and unhurt.",
            "Domestic abuse risk assessment completed; referral shared with children's social care.",
            "Response officer",
            True,
        ),
        (
            150,
            "incident",
            "Second call to the address after a neighbour heard a disturbance.",
            "Adult arrested; information shared at the next morning's safeguarding triage.",
            "Response officer",
            True,
        ),
        (
            148,
            "strategy_discussion",
            "Police joined the strategy discussion about the child.",
            "Agreed joint enquiry with children's social care.",
            "Detective constable",
            False,
        ),
    ],
    "CSC": [
        (
            198,
            "referral",
            "Referral received from police about domestic abuse at the home.",
            "Assessment started; home visit arranged within two working days.",
            "Duty social worker",
            False,
        ),
        (
            148,
            "strategy_discussion",
            "Strategy discussion held with police and health.",
            "Child protection enquiry to begin.",
            "Team manager",
            True,
        ),
        (
            120,
            "cp_conference",
            "Initial child protection conference.",
            "Child made subject of a child protection plan under the category of emotional abuse.",
            "Independent chair",
            True,
        ),
        (
            90,
            "core_group",
            "First core group meeting.",
            "Plan reviewed; parenting support arranged.",
            "Allocated social worker",
            False,
        ),
    ],
    "Acute": [
        (
            160,
            "hospital_attendance",
            "Toddler brought to the emergency department with a minor head bump.",
            "Safeguarding screening completed; no concerns recorded at the time.",
            "Emergency department nurse",
            False,
        ),
        (
            149,
            "contact",
            "Hospital safeguarding team shared the attendance with children's social care.",
            "Information added to the strategy discussion.",
            "Named nurse for safeguarding",
            False,
        ),
    ],
}


class Command(BaseCommand):
    help = "Load the fictional demo partnership, people and rounds (DEBUG only; safe to re-run)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo loads demo accounts with a known password: it runs only with DEBUG on.")
        roles.sync_roles()
        # Demo data sends no e-mail: the invitations and notices it would trigger go nowhere.
        with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}):
            self._seed()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    def _seed(self):
        with transaction.atomic():
            areas = {
                short: Area.objects.get_or_create(short_name=short, defaults={"name": name})[0] for name, short in AREAS
            }
            agencies = {
                short: Agency.objects.get_or_create(short_name=short, defaults={"name": name, "sector": sector})[0]
                for name, short, sector in AGENCIES
            }
            people = {}
            for email, name, title, role, agency_short, agency_role in PEOPLE:
                user = User.objects.filter(email=email).first()
                if user is None:
                    user = User.objects.create_user(
                        email=email,
                        password=DEMO_PASSWORD,
                        full_name=name,
                        job_title=title,
                        is_staff=role == roles.ADMINISTRATOR,
                    )
                if role:
                    user.groups.add(Group.objects.get(name=role))
                if agency_short:
                    Membership.objects.get_or_create(
                        user=user, defaults={"agency": agencies[agency_short], "role": agency_role}
                    )
                people[email] = user
            coordinator = people["coordinator@example.org"]
            today = timezone.localdate()
            self._round(
                coordinator,
                areas["NV"],
                agencies,
                title="Northvale multi-agency case audit",
                theme="Domestic abuse, parental mental health and substance misuse",
                launch=datetime.date(today.year - 1, 5, 12),
                cases=CLOSED_CASES,
                final_status=AuditRound.Status.CLOSED,
            )
            self._round(
                coordinator,
                areas["NV"],
                agencies,
                title="Northvale multi-agency case audit",
                theme="Neglect and the lived experience of the child",
                launch=today - datetime.timedelta(days=21),
                cases=CURRENT_CASES,
                final_status=AuditRound.Status.OPEN,
            )
            self._returns(people, agencies)

    def _returns(self, people, agencies):
        """Chronologies and tools: the closed round's all accepted; in the current round, three
        agencies have submitted their chronologies of Case 2 and work is under way elsewhere."""
        current = AuditRound.objects.filter(status=AuditRound.Status.OPEN).order_by("-launch_date").first()
        if current is None or ChronologyEntry.objects.filter(chronology__case__round=current).exists():
            return
        leads = {
            "CSC": people["csc.lead@example.org"],
            "Police": people["police.lead@example.org"],
            "Acute": people["health.lead@example.org"],
        }
        case_2 = current.cases.get(number=2)
        for short, entries in DEMO_ENTRIES.items():
            chronology = Chronology.objects.get(case=case_2, agency=agencies[short])
            chronology_services.entries_import(
                actor=leads[short],
                chronology=chronology,
                entries=[
                    {
                        "date": current.launch_date - datetime.timedelta(days=days_before),
                        "event_type": event,
                        "what_happened": what,
                        "action_outcome": outcome,
                        "practitioner_role": role,
                        "key_event": key,
                    }
                    for days_before, event, what, outcome, role, key in entries
                ],
            )
            chronology_services.chronology_submit(actor=leads[short], chronology=chronology)
        # A draft audit tool: the children's social care auditor has started it.
        tool = AuditTool.objects.get(case=case_2, agency=agencies["CSC"])
        section = tool.template_version.sections.first()
        first, second = section.questions.all()[:2]
        tool_services.tool_section_save(
            actor=people["csc.auditor@example.org"],
            tool=tool,
            section=section,
            revision=0,
            answers={
                first.pk: (
                    "",
                    "Allocated social worker from the strategy discussion onwards; weekly visits "
                    "while the child protection plan was in place.",
                ),
                second.pk: ("", "The twelve months before the round launched."),
            },
        )
        closed = AuditRound.objects.filter(status=AuditRound.Status.CLOSED).first()
        if closed is not None:
            for chronology in Chronology.objects.filter(case__round=closed):
                ChronologyEntry.objects.create(
                    chronology=chronology,
                    date=closed.launch_date - datetime.timedelta(days=40),
                    event_type=ChronologyEntry.EventType.MEETING,
                    what_happened="Agency attended the multi-agency planning meeting for the child.",
                    practitioner_role="Named practitioner",
                )
            Chronology.objects.filter(case__round=closed).update(status=WorkStatus.ACCEPTED)
            AuditTool.objects.filter(case__round=closed).update(status=WorkStatus.ACCEPTED)

    def _round(self, actor, area, agencies, *, title, theme, launch, cases, final_status):
        period = services.period_label_for(launch)
        if AuditRound.objects.filter(area=area, period_label=period).exists():
            return
        offsets = settings.ROUND_MILESTONE_OFFSETS
        audit_round = services.round_create(
            actor=actor,
            area=area,
            title=title,
            theme=theme,
            period_label=period,
            launch_date=launch,
            **{f"{key}_date": launch + datetime.timedelta(days=days) for key, days in offsets.items()},
        )
        needs = {need.slug: need for need in Need.objects.all()}
        for summary, band, plan, need_slugs, agency_names, (name, dob, numbers) in cases:
            case = services.case_create(
                actor=actor,
                audit_round=audit_round,
                summary=summary,
                age_band=band,
                plan_type=plan,
                needs=[needs[slug] for slug in need_slugs],
                child_name=name,
                date_of_birth=dob,
                record_numbers=numbers,
            )
            services.case_set_agencies(actor=actor, case=case, agencies=[agencies[a] for a in agency_names])
        while audit_round.status != final_status:
            audit_round = services.round_advance(actor=actor, audit_round=audit_round, from_status=audit_round.status)
