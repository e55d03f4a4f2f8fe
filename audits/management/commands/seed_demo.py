"""Load the fictional demo partnership. Safe to run again, whatever was done in the demo since: it
adds only what is missing (areas, agencies, demo sign-ins) and loads its rounds only into a
service that has none, so it never changes or removes anything people did.

Everything here is invented for the demo: the partnership, its areas and agencies, the people and
the cases. It refuses to run with DEBUG off, so demo passwords never reach a real installation."""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.test.utils import override_settings
from django.utils import timezone

from agencies import roles
from agencies.models import Agency, Area, Membership, User
from agencies.permissions import is_board_approver, is_coordinator
from agencies.selectors import agencies_without_lead
from audits.actions import services as action_services
from audits.learning import services as learning_services
from audits.meetings import services as meeting_services
from audits.meetings.selectors import participating_agencies
from audits.models import AuditRound, AuditTool, Chronology, ChronologyEntry, Need, PracticeTheme, WorkStatus
from audits.returns import services as chronology_services
from audits.returns import services as tool_services
from audits.rounds import services
from briefings import services as briefing_services
from briefings import workflow as briefing_workflow
from briefings.models import Briefing

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
    (
        "approver@example.org",
        "Avery Signwell",
        "Independent chair of the partnership board",
        roles.BOARD_APPROVER,
        None,
        None,
    ),
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

# A fictional lead for each other demo agency, so that every agency taking part has someone to
# invite and to submit its work: (e-mail, name, job title, agency short name). Added only to an
# agency with no active lead.
AGENCY_LEADS = [
    ("community.lead@example.org", "Casey Visitor", "Named nurse, health visiting", "Community health"),
    ("camhs.lead@example.org", "Rowan Clinic", "CAMHS safeguarding lead", "CAMHS"),
    ("icb.lead@example.org", "Hari Designate", "Designated nurse for safeguarding children", "ICB"),
    ("probation.lead@example.org", "Jo Supervisor", "Senior probation officer", "Probation"),
    ("youthjustice.lead@example.org", "Kit Caseworker", "Youth justice team manager", "Youth justice"),
    ("housing.lead@example.org", "Lee Tenancy", "Safeguarding lead, housing", "Housing"),
    ("familysupport.lead@example.org", "Mo Helper", "Family support service manager", "Family support"),
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
        ("Ellery Brackwater", datetime.date(2017, 3, 14), "CSC 100001; Police 900001"),
    ),
    (
        "Child 2 is a baby whose father misuses alcohol. Health visiting and children's social care worked "
        "together under a child protection plan.",
        "under_1",
        "cp",
        ["parental-substance-misuse", "neglect"],
        ["CSC", "Community health", "Acute"],
        ("Tamsin Orrow", datetime.date(2024, 9, 2), "CSC 100002; NHS 999 000 0002"),
    ),
    (
        "Child 3 is a teenager known to youth justice who moved between relatives' homes. Agencies shared "
        "concerns about missing episodes and exploitation.",
        "16_17",
        "cin",
        ["criminal-or-sexual-exploitation", "missing-from-home-or-care"],
        ["CSC", "Police", "Youth justice"],
        ("Jory Pellingham", datetime.date(2008, 6, 21), "CSC 100003; YJ 500003"),
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
        ("Wren Castellane", datetime.date(2018, 1, 9), "CSC 200001"),
    ),
    (
        "Child 2 is a toddler in a household where police recorded domestic abuse incidents. A strategy "
        "discussion led to a child protection plan.",
        "1_4",
        "cp",
        ["domestic-abuse", "parental-substance-misuse"],
        ["CSC", "Police", "Acute", "Community health"],
        ("Idris Vantongeren", datetime.date(2023, 5, 30), "CSC 200002; Police 900102"),
    ),
    (
        "Child 3 is looked after and placed with foster carers outside the area. The audit looks at how "
        "agencies shared information across the border.",
        "10_15",
        "lac",
        ["childs-emotional-wellbeing-and-mental-health"],
        ["CSC", "CAMHS", "Education"],
        ("Nell Aubergate", datetime.date(2013, 11, 2), "CSC 200003; CAMHS 300003"),
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


# Last year's meeting, per closed-round case: (strength, finding, agreed grade); each of strength
# and finding is (heading, text, practice themes).
DEMO_LEARNING = [
    (
        (
            "School and social worker worked closely",
            "The school and the social worker spoke every week and knew how Child 1 was doing.",
            ["Multi-agency working"],
        ),
        (
            "Call-outs reached the school late",
            "Police call-outs to the home were not shared with the school until the next conference.",
            ["Information sharing", "Domestic abuse"],
        ),
        "requires_improvement",
    ),
    (
        (
            "The baby's routine was understood",
            "The health visitor recorded the baby's day in detail and shared it with the core group.",
            ["Lived experience of the child"],
        ),
        (
            "The father was not assessed",
            "The assessment did not include the father, who lived at the home at weekends.",
            ["Engagement of fathers", "Assessment quality"],
        ),
        "good",
    ),
    (
        (
            "Youth justice kept in contact",
            "The youth justice worker kept in touch through every move between relatives' homes.",
            ["Transitions"],
        ),
        (
            "Missing episodes were not linked up",
            "Each missing episode was handled on its own; nobody put them together as a pattern.",
            ["Exploitation", "Professional curiosity"],
        ),
        "requires_improvement",
    ),
]


# Last year's round-level learning: (kind, heading, text, themes, evidence case indexes, extra).
DEMO_ROUND_LEARNING = [
    (
        "key_message",
        "Tell schools what happened last night",
        "When police attend an incident at a child's home, the child's school can only help if it knows. "
        "Share it by the next morning so staff can watch for the child's wellbeing.",
        ["Information sharing", "Domestic abuse"],
        [0],
        {
            "callout": "A child who witnessed an incident last night is in a classroom this morning.",
            "questions": [
                "How does your team find out about incidents involving the children you work with?",
                "Who in your agency tells the school, and how quickly?",
            ],
            "links": [("Partnership information sharing guide", "https://example.org/information-sharing")],
        },
    ),
    (
        "key_message",
        "Ask about the father",
        "Assessments were stronger when they asked who else lived at or visited the home. Fathers and male "
        "carers shape a child's day even when they are not the main carer.",
        ["Engagement of fathers", "Assessment quality"],
        [1],
        {
            "questions": [
                "Have you met every adult who cares for the child?",
                "What would the child say about the father's part in their life?",
            ],
            "links": [("Working with fathers: practice notes", "https://example.org/fathers")],
        },
    ),
    (
        "recommendation",
        "Link missing episodes together",
        "Agencies should review every missing episode against the earlier ones before closing it, so that a "
        "pattern of exploitation is seen early.",
        ["Exploitation", "Professional curiosity"],
        [2],
        {},
    ),
    (
        "good_practice",
        "One worker through every move",
        "The youth justice worker stayed with the young person through each move between homes, which kept them "
        "engaged with education.",
        ["Transitions"],
        [2],
        {},
    ),
]


CLOSED_THEME = "Domestic abuse, parental mental health and substance misuse"

# The closed round's published briefing (Markdown, as a coordinator would type it).
DEMO_BRIEFING = {
    "title": "Learning from the Northvale case audit",
    "introduction": (
        "Agencies across **Northvale** looked together at three children's cases, reading each "
        "agency's records and meeting to agree what went well and what should change.\n\n"
        "This briefing is for every practitioner who works with children and families. Use it in "
        "team meetings and supervision:\n\n"
        "- read the key messages and talk through the reflective questions;\n"
        "- check how your team shares information with schools;\n"
        "- tell us what you changed: audit.team@example.org"
    ),
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
            areas = {short: self._named(Area, name, short) for name, short in AREAS}
            agencies = {short: self._named(Agency, name, short, sector=sector) for name, short, sector in AGENCIES}
            people = {person[0]: self._person(agencies, *person) for person in PEOPLE}
            self._agency_leads(agencies)
            if AuditRound.objects.exists():
                # The demo's rounds go only into a service without rounds: once people have used
                # the demo, its rounds (and any they planned) are theirs, and they stay as they are.
                self.stdout.write("Rounds are already there: kept as they are (make reset-demo starts again).")
                self._briefing_if_missing(people)
                return
            coordinator = people["coordinator@example.org"]
            today = timezone.localdate()
            # Stopped at the learning stage: its briefing is published once the returns are in,
            # which moves it on, and then it closes.
            closed = self._round(
                coordinator,
                areas["NV"],
                agencies,
                title="Northvale multi-agency case audit",
                theme=CLOSED_THEME,
                launch=datetime.date(today.year - 1, 5, 12),
                cases=CLOSED_CASES,
                final_status=AuditRound.Status.LEARNING,
                at_learning=lambda audit_round: self._meeting(audit_round, people, agencies),
            )
            current = self._round(
                coordinator,
                areas["NV"],
                agencies,
                title="Northvale multi-agency case audit",
                theme="Neglect and the lived experience of the child",
                launch=today - datetime.timedelta(days=21),
                cases=CURRENT_CASES,
                final_status=AuditRound.Status.OPEN,
            )
            self._returns(people, agencies, current=current, closed=closed)
            self._published_briefing(people, closed)
            closed.refresh_from_db()  # publishing moved it to "Briefing published"
            services.round_advance(actor=coordinator, audit_round=closed, from_status=closed.status)

    @staticmethod
    def _published_briefing(people, audit_round) -> Briefing:
        """The round's briefing, through the sign-off as people do it: drafted by the coordinator,
        sent for approval, approved and published by the board approver (so the PDF is real)."""
        coordinator, approver = people["coordinator@example.org"], people["approver@example.org"]
        briefing = briefing_services.briefing_create(
            actor=coordinator,
            rounds=[audit_round],
            briefing_format=Briefing.Format.BY_THEME,
            marking=Briefing.Marking.NONE,
            **DEMO_BRIEFING,
        )
        briefing_workflow.briefing_submit(actor=coordinator, briefing=briefing)
        briefing_workflow.briefing_approve(actor=approver, briefing=briefing)
        briefing_workflow.briefing_publish(actor=approver, briefing=briefing)
        return briefing

    def _briefing_if_missing(self, people):
        """A demo loaded before the demo shipped a briefing gets it, once: only while the demo's
        closed round has no briefing at all, and its coordinator and approver still hold their
        roles (one made or removed in the demo since is left as it is)."""
        closed = (
            AuditRound.objects.filter(area__short_name="NV", status=AuditRound.Status.CLOSED, theme=CLOSED_THEME)
            .order_by("pk")
            .first()
        )
        if closed is None or closed.briefings.exists():
            return
        coordinator, approver = people["coordinator@example.org"], people["approver@example.org"]
        if not (is_coordinator(coordinator) and is_board_approver(approver)):
            return
        self._published_briefing(people, closed)
        self.stdout.write("Added the closed round's published briefing.")

    @staticmethod
    def _named(model, name, short_name, **defaults):
        """An area or agency of the demo: found by its short name or its name (either may have
        been changed in the admin site, and both are unique), or added."""
        found = model.objects.filter(Q(short_name=short_name) | Q(name=name)).order_by("pk").first()
        return found or model.objects.create(name=name, short_name=short_name, **defaults)

    @staticmethod
    def _person(agencies, email, name, title, role, agency_short, agency_role):
        """A demo sign-in, added with its role and agency if it is missing. An existing account is
        left as it is: its password, role and agency may have been changed on purpose."""
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            return user
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=name, job_title=title, is_staff=role == roles.ADMINISTRATOR
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        if role == roles.COORDINATOR:
            # The demo's coordinator is confirmed to see identifiers, as no one else could be first.
            user.identifiers_confirmed_at = timezone.now()
            User.objects.filter(pk=user.pk).update(identifiers_confirmed_at=user.identifiers_confirmed_at)
        if agency_short:
            Membership.objects.create(user=user, agency=agencies[agency_short], role=agency_role)
        return user

    def _agency_leads(self, agencies):
        """A fictional lead for each demo agency in AGENCY_LEADS that has no active lead (one
        whose lead was added or changed in the admin site is left as it is)."""
        without = agencies_without_lead(agency.pk for agency in agencies.values())
        for email, name, title, short in AGENCY_LEADS:
            if agencies[short].pk in without:
                self._person(agencies, email, name, title, None, short, Membership.Role.LEAD)

    @staticmethod
    def _themes(names):
        """The practice themes the demo's learning is tagged with, added if they are missing."""
        return [PracticeTheme.objects.get_or_create(name=name)[0] for name in names]

    def _meeting(self, audit_round, people, agencies):
        """Last year's meeting: attendance, strengths and findings with themes, agreed grades, and
        an action plan with one action done, one overdue and one due soon."""
        coordinator = people["coordinator@example.org"]
        london = zoneinfo.ZoneInfo("Europe/London")
        day = audit_round.meeting_date
        meeting = meeting_services.meeting_arrange(
            actor=coordinator,
            audit_round=audit_round,
            starts_at=datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=london),
            ends_at=datetime.datetime(day.year, day.month, day.day, 13, 0, tzinfo=london),
            place="Committee Room 1, Northvale Civic Centre",
            chair="Head of the partnership business unit",
        )
        agencies_in_round = participating_agencies(audit_round)
        meeting_services.attendance_record(
            actor=coordinator,
            meeting=meeting,
            rows=[
                {"agency": agency, "status": "present", "attendees": "Agency representative", "written_input": False}
                for agency in agencies_in_round
            ],
        )
        findings = []
        for case, (strength, finding, grade) in zip(audit_round.cases.order_by("number"), DEMO_LEARNING, strict=True):
            case_agencies = list(case.agencies.all())
            meeting_services.learning_point_add(
                actor=coordinator,
                case=case,
                kind="strength",
                heading=strength[0],
                text=strength[1],
                themes=self._themes(strength[2]),
                agencies=case_agencies[:1],
            )
            findings.append(
                meeting_services.learning_point_add(
                    actor=coordinator,
                    case=case,
                    kind="finding",
                    heading=finding[0],
                    text=finding[1],
                    themes=self._themes(finding[2]),
                    agencies=case_agencies[-1:],
                )
            )
            meeting_services.discussion_save(
                actor=coordinator,
                case=case,
                notes="Agencies went through the chronology together.",
                agreed_grade=grade,
                grade_reasons="Agreed by the agencies present, from the audit tools.",
            )
        cases = list(audit_round.cases.order_by("number"))
        for kind, heading, text, theme_names, evidence, extra in DEMO_ROUND_LEARNING:
            learning_services.round_learning_add(
                actor=coordinator,
                audit_round=audit_round,
                kind=kind,
                heading=heading,
                text=text,
                themes=self._themes(theme_names),
                evidence_cases=[cases[i] for i in evidence],
                **extra,
            )
        today = timezone.localdate()
        police_lead, csc_lead = people["police.lead@example.org"], people["csc.lead@example.org"]
        overdue = action_services.action_create(
            actor=coordinator,
            audit_round=audit_round,
            findings=[findings[0]],
            lead_agency=agencies["Police"],
            what="Share domestic abuse call-outs involving children with their school by the next morning.",
            owner_user=police_lead,
            due_date=today - datetime.timedelta(days=10),
        )
        action_services.action_add_update(
            actor=police_lead,
            action=overdue,
            text="Process agreed with two schools; rolling out to the rest.",
            date=today - datetime.timedelta(days=30),
        )
        done = action_services.action_create(
            actor=coordinator,
            audit_round=audit_round,
            findings=[findings[1]],
            lead_agency=agencies["CSC"],
            what="Add a prompt about fathers and male carers to the assessment template.",
            owner_user=csc_lead,
            due_date=today - datetime.timedelta(days=40),
        )
        action_services.action_add_update(
            actor=csc_lead,
            action=done,
            text="Prompt drafted with practitioners.",
            date=today - datetime.timedelta(days=60),
        )
        action_services.action_propose_completion(
            actor=csc_lead,
            action=done,
            evidence="The new template has been in use since the spring.",
            impact="Assessments now record the father's view in most cases sampled.",
        )
        action_services.action_confirm_completion(actor=coordinator, action=done)
        action_services.action_create(
            actor=coordinator,
            audit_round=audit_round,
            findings=[findings[2]],
            lead_agency=agencies["CSC"],
            what="Agree a protocol for return-home interviews with youth justice.",
            owner_name="Service manager",
            owner_role="Adolescent services",
            due_date=today + datetime.timedelta(days=10),
        )

    def _returns(self, people, agencies, *, current, closed):
        """Chronologies and tools of the rounds just loaded: the closed round's all accepted; in
        the current round, three agencies have submitted their chronologies of Case 2 and work is
        under way elsewhere."""
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

    def _round(self, actor, area, agencies, *, title, theme, launch, cases, final_status, at_learning=None):
        period = services.period_label_for(launch)
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
        for summary, band, plan, need_slugs, agency_names, (name, dob, numbers) in cases:
            case = services.case_create(
                actor=actor,
                audit_round=audit_round,
                summary=summary,
                age_band=band,
                plan_type=plan,
                needs=list(Need.objects.filter(slug__in=need_slugs)),
                child_name=name,
                date_of_birth=dob,
                record_numbers=numbers,
            )
            services.case_set_agencies(actor=actor, case=case, agencies=[agencies[a] for a in agency_names])
        while audit_round.status != final_status:
            audit_round = services.round_advance(actor=actor, audit_round=audit_round, from_status=audit_round.status)
            if audit_round.status == AuditRound.Status.LEARNING and at_learning:
                at_learning(audit_round)
        return audit_round
