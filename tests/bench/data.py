"""`make bench-data`: ten years of one fictional partnership's work in a PostgreSQL database, for
`make bench` to load its key pages on.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ten_years .venv/bin/python -m tests.bench.data \\
        [--scale 1.0] [--reset] [--out test-artifacts/bench/keys.json]

It migrates, loads the demo (``seed_demo``, so the demo's sign-ins and password work), then adds,
at ``--scale 1.0``, about: 2 areas x 20 rounds (two a year, themed; all closed but the latest one
or two), 219 cases with their restricted identifiers (``audits.rounds.identifiers``, encrypted
with the demo's key, as `make bench` serves them), 1,171 audit tools with answers to the default
template's questions and 1,171 chronologies (2,342 returns), ~599k chronology entries (one case's
integrated chronology holds 2,000 entries, another 4,500), meetings, 839 learning points with
practice themes and cited cases (some printed in published briefings), 560 actions with updates
(one round with 200) and 250k access-log rows. ``--scale 0.1`` makes a tenth of everything; the
2,000-entry case keeps 2,000 entries at 0.5 and above, and shrinks in proportion below.

Rounds, cases, identifiers, agencies and the opening of rounds go through the product's services
(with their history); the bulk (entries, answers, access events, learning, actions) is written with
``bulk_create`` in batches. History rows are written in bulk for learning points and actions (their
pages show it); chronology entries, answers and access events have none (599k history rows that
no page reads). The old rounds' identifiers are then destroyed by the retention job, as in a
real installation.

Refuses a database holding anything but the demo unless ``--reset``, which drops and recreates
it (only a database whose name starts with ``bench``). Everything is invented, from word lists,
with ``random.Random(2026)``: two runs make the same data."""

import argparse
import datetime
import json
import os
import random
import sys
import time
import urllib.parse
import zoneinfo
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_ten_years"
DEFAULT_OUT = ROOT / "test-artifacts" / "bench" / "keys.json"
# The key the demo derives from the development secret (DEBUG on): `make bench` serves with it.
DEBUG_SECRET = "insecure-development-key-only-used-with-debug-on"
SEED = 2026
BATCH = 5000

# The sizes at --scale 1.0, the demo's rows included.
TARGETS = {
    "rounds_per_area": 20,
    "cases": 219,
    "returns_per_kind": 1171,  # audit tools, and as many chronologies: 2,342 returns
    "entries": 599_000,
    "actions": 560,
    "learning": 839,
    "access_events": 250_000,
}
BIG_CASE_ENTRIES = 2000
BIGGER_CASE_ENTRIES = 4500
BIG_ROUND_ACTIONS = 200
FULL_SIZE_FROM = 0.5  # the big cases keep their size from this scale up
SEARCH_TERM = "fathers"

# Word lists ------------------------------------------------------------------------------------

THEMES = [
    "Neglect and the lived experience of the child",
    "Domestic abuse and its impact on children",
    "Adolescents at risk of exploitation",
    "Children under one and parental vulnerability",
    "Children missing education",
    "Parental mental health and substance misuse",
    "Children with disabilities and complex health needs",
    "Step-down from child protection to early help",
    "Children who go missing from home or care",
    "Young carers and hidden harm",
    "Information sharing at the front door",
    "Engagement of fathers and male carers",
    "Transitions to adulthood",
    "Harmful sexual behaviour",
    "Children in temporary accommodation",
    "Emotional wellbeing and self-harm",
    "Online harm and exploitation",
    "Cumulative harm and drift",
    "Children living with parental conflict",
    "Pre-birth assessment and planning",
]
PEOPLE_FIRST = [
    "Ash", "Bailey", "Cam", "Devon", "Eden", "Frankie", "Gale", "Harper", "Indy", "Jamie", "Kai", "Linden",
    "Marlow", "Noa", "Oakley", "Perry", "Quinn", "Reese", "Sasha", "Tate", "Umber", "Vale", "Wynn", "Yarrow",
]  # fmt: skip
PEOPLE_LAST = [
    "Casebook", "Fieldnote", "Ledger", "Margin", "Notebook", "Paperclip", "Quillby", "Register", "Stapleton",
    "Tallyman", "Folderly", "Inkwell", "Docket", "Binderby", "Minutes", "Recordon",
]  # fmt: skip
CHILD_FIRST = [
    "Arlo", "Briony", "Corin", "Dilys", "Emrys", "Fenna", "Gethin", "Hollis", "Isolde", "Jarrah", "Kestrel",
    "Lowen", "Merrin", "Nyle", "Orla", "Pascoe", "Rhiannon", "Saffi", "Tegan", "Ulla", "Wilder", "Zephyr",
]  # fmt: skip
CHILD_SYLLABLES_A = ["Brack", "Orr", "Pell", "Cast", "Vant", "Auber", "Thorn", "Wick", "Hal", "Morr", "Quen", "Sel"]
CHILD_SYLLABLES_B = ["water", "ow", "ingham", "elane", "ongeren", "gate", "ley", "combe", "stead", "den", "wyn"]
FAMILY = ["their mother", "their father", "their grandmother", "an aunt", "foster carers", "their parents"]
HOUSEHOLD = [
    "two younger siblings", "an older brother", "a new baby", "their mother's partner", "no other children",
    "a half-sister who visits at weekends",
]  # fmt: skip
CONCERNS = [
    "poor school attendance", "arguments at home that police attended", "missed health appointments",
    "the parent's drinking", "low mood and self-harm", "going missing overnight", "an unexplained bruise",
    "the state of the home", "the parent's anxiety", "contact with older young people not known to the family",
    "a sudden change in behaviour at school", "being left to care for younger siblings",
]  # fmt: skip
PLANS = [
    "a child in need plan", "an early help plan", "a child protection plan", "a safety plan agreed with the family",
    "support from the family hub",
]  # fmt: skip
OPENINGS = {
    "contact": ["Contact with", "Telephone contact with", "Brief contact with"],
    "home_visit": ["Home visit to", "Unannounced home visit to", "Planned home visit to"],
    "office_visit": ["Office appointment with", "Drop-in appointment with"],
    "phone_call": ["Phone call with", "Call received from", "Returned call to"],
    "referral": ["Referral received about", "Referral made about", "Onward referral for"],
    "assessment": ["Assessment visit for", "Assessment updated for", "Review of the assessment of"],
    "strategy_discussion": ["Strategy discussion about", "Follow-up strategy discussion about"],
    "cp_conference": ["Child protection conference for", "Review conference for"],
    "core_group": ["Core group meeting for", "Core group review for"],
    "meeting": ["Team around the family meeting for", "Professionals' meeting about", "Multi-agency meeting for"],
    "incident": ["Incident reported involving", "Call-out to the home of", "Concern raised about"],
    "hospital_attendance": ["Emergency department attendance by", "Ward admission of", "Minor injuries visit by"],
    "school_attendance": ["Attendance concern about", "Welfare call home about", "Late marks raised for"],
    "other": ["Note on file about", "Case note about", "Supervision discussion of"],
}
SUBJECTS = ["the child", "the child and their mother", "the child and their father", "the family", "the parent"]
DETAILS = [
    "the child was seen alone and said that things at home were fine",
    "the parent was not at home and a card was left",
    "concerns about the food in the home were noted",
    "the older sibling answered the door and said the parent was asleep",
    "the child's weight had dropped since the last appointment",
    "attendance this term was below ninety per cent with several late marks",
    "the parent agreed to attend the parenting course starting next month",
    "the referral was screened and passed to the locality team",
    "no injuries were seen; the child appeared quiet and withdrawn",
    "a safety plan was agreed with the grandmother",
    "the father was present and took part for the first time",
    "the child spoke about feeling worried at bedtime",
    "the home was warm and tidy and the child was playing",
    "the parent said the partner had moved out last week",
    "the child had not been brought to two appointments",
    "the school reported the child arrived hungry",
    "information was shared with the health visitor the same day",
    "the young person did not return home until the next morning",
]  # fmt: skip
OUTCOMES = [
    "Plan reviewed with the parent.", "Information shared with the school.", "Referral to early help.",
    "No further action at this stage.", "Visit to be repeated next week.", "Strategy discussion requested.",
    "Manager consulted; threshold not met.", "Case discussed in supervision.", "Follow-up appointment booked.",
    "Letter sent to the family.", "Added to the agenda of the next core group.", "GP informed.",
    "Safety plan updated.", "Concern logged and shared with the designated safeguarding lead.",
]  # fmt: skip
ROLES = {
    "CSC": ["Allocated social worker", "Duty social worker", "Team manager", "Family support worker"],
    "Police": ["Response officer", "Detective constable", "Safeguarding sergeant"],
    "Acute": ["Emergency department nurse", "Paediatric registrar", "Named nurse for safeguarding"],
    "Community health": ["Health visitor", "School nurse", "Community nursery nurse"],
    "CAMHS": ["CAMHS clinician", "Consultant psychiatrist", "Primary mental health worker"],
    "ICB": ["GP", "Practice nurse", "Designated nurse"],
    "Education": ["Designated safeguarding lead", "Class teacher", "Attendance officer", "Head of year"],
    "Probation": ["Probation officer", "Senior probation officer"],
    "Youth justice": ["Youth justice worker", "Case manager"],
    "Housing": ["Housing officer", "Tenancy sustainment officer"],
    "Family support": ["Family support worker", "Volunteer coordinator"],
}
STRENGTHS = [
    ("{a} knew the child well", "{a} saw the child regularly and recorded what the child said about home."),
    ("Information reached the school quickly", "{a} told the school the morning after each incident at home."),
    ("The father was included", "{a} met both parents and asked the fathers' view at every review."),
    ("The child's voice shaped the plan", "The plan changed after {a} recorded the child's wishes and feelings."),
    ("Timely strategy discussion", "{a} called a strategy discussion within a day of the concern."),
    ("Good challenge", "{a} challenged a decision to close the case and the case stayed open."),
    ("Consistent worker", "The same practitioner from {a} stayed with the family through every move."),
    ("Clear safety plan", "{a} agreed a written safety plan that the family could follow day to day."),
]
FINDINGS = [
    ("The father was not assessed", "The assessment by {a} did not include the father, who lived there often."),
    ("Call-outs were not shared", "Police call-outs were not shared with {a} until weeks later."),
    ("Missing episodes were not linked", "{a} handled each missing episode on its own; no pattern was seen."),
    ("Drift in the plan", "The plan set by {a} was not reviewed for months while little changed for the child."),
    ("Missed appointments were not followed up", "{a} closed the referral after two missed appointments."),
    ("Escalation came late", "{a} disagreed with a decision but did not escalate it until much later."),
    ("The child was not seen alone", "{a} did not see the child alone in the period reviewed."),
    ("Records did not say why", "{a} recorded what was done but not why, so decisions were hard to follow."),
]
ROUND_LEARNING = [
    ("key_message", "Ask about the fathers", "Assessments were stronger when practitioners asked about fathers and "
     "male carers. They shape a child's day even when they are not the main carer."),
    ("key_message", "Tell schools what happened last night", "When police attend an incident at a child's home, "
     "share it with the school by the next morning so staff can watch for the child's wellbeing."),
    ("key_message", "See the child alone", "In the cases where practitioners saw the child alone, the plan changed "
     "to answer what the child said; in the others, the child's voice was missing."),
    ("recommendation", "Review missing episodes together", "Agencies should review every missing episode against "
     "earlier ones before closing it, so that a pattern of exploitation is seen early."),
    ("recommendation", "Escalate sooner", "Practitioners should use the escalation policy when a disagreement "
     "about a child's plan is not settled within ten working days."),
    ("good_practice", "One worker through every move", "Where one practitioner stayed with the family through "
     "each move, the child kept going to school and the family kept engaging."),
    ("good_practice", "Written safety plans", "Written safety plans agreed with the wider family kept children "
     "safe between visits."),
]  # fmt: skip
QUESTIONS = [
    "How does your team find out about incidents involving the children you work with?",
    "Have you met every adult who cares for the child, fathers included?",
    "What would the child say about their day?",
    "When did you last see the child alone?",
    "Who in your agency would you escalate a disagreement to?",
]
ACTIONS = [
    "Share domestic abuse call-outs involving children with their school by the next morning.",
    "Add a prompt about fathers and male carers to the assessment template.",
    "Agree a protocol for return-home interviews with youth justice.",
    "Run a briefing for practitioners on seeing children alone.",
    "Audit a sample of closed referrals for missed appointments.",
    "Publish a one-page guide to the escalation policy.",
    "Review how missing episodes are recorded and linked.",
    "Add the child's words to the front page of every plan.",
    "Train front-door staff on cumulative harm and neglect.",
    "Check that safety plans are written down and shared with the family.",
]
UPDATES = [
    "Draft prepared and shared with the practice leads.",
    "Agreed at the management team meeting; rolling out next month.",
    "Training dates set; first session well attended.",
    "Delayed by staff changes; new date proposed.",
    "Sample audit done: most records now show the child's view.",
    "Guide published on the partnership website.",
]
TOOL_TEXTS = [
    "The agency was involved with the family for most of the period, mainly through visits and calls.",
    "Assessments identified the main risks but did not always say what would change for the child.",
    "Information was shared at the strategy discussion and at each core group.",
    "The child's wishes and feelings were recorded at most visits.",
    "The period reviewed is the twelve months before the round launched.",
    "Supervision records show managers reviewed the case every month.",
    "The father was contacted but not seen; this was not followed up.",
    "Referrals were made promptly and the outcome was recorded.",
]


def _sentence(rng, event_type: str) -> str:
    return f"{rng.choice(OPENINGS[event_type])} {rng.choice(SUBJECTS)}: {rng.choice(DETAILS)}."


def scaled(value: int, scale: float, minimum: int = 0) -> int:
    return max(minimum, round(value * scale))


def big_size(value: int, scale: float) -> int:
    """The big cases' entries: full size from FULL_SIZE_FROM up, in proportion below."""
    return max(10, round(value * min(1.0, scale / FULL_SIZE_FROM)))


# The generator (runs inside Django) ------------------------------------------------------------


class Generator:
    def __init__(self, scale: float, log=print):
        self.scale = scale
        self.rng = random.Random(SEED)
        self.log = log
        self.started = time.monotonic()

    def step(self, what: str):
        self.log(f"[{time.monotonic() - self.started:6.1f} s] {what}")

    def run(self) -> dict:
        from django.db import transaction
        from django.test.utils import override_settings

        # The invitations and notices the services send go nowhere, as in seed_demo.
        dummy = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
        with override_settings(MAILERS=dummy), transaction.atomic():
            self._context()
            self._people()
            self._rounds()
            self._returns()
            self._entries()
            self._answers()
            self._meetings()
            self._learning()
            self._briefings()
            self._actions()
            self._access_log()
            self._retention()
        return self._keys()

    # The demo's partnership ---------------------------------------------------------------------

    def _context(self):
        from agencies import roles
        from agencies.models import Agency, Area, User
        from agencies.selectors import active_leads
        from audits.models import AuditRound, Need, PracticeTheme

        self.coordinator = User.objects.get(email="coordinator@example.org")
        self.approver = User.objects.get(email="approver@example.org")
        self.areas = list(Area.objects.order_by("name"))
        self.agencies = {agency.short_name: agency for agency in Agency.objects.filter(is_active=True)}
        self.needs = list(Need.objects.all())
        self.themes = list(PracticeTheme.objects.filter(is_active=True))
        by_agency = active_leads(agency.pk for agency in self.agencies.values())
        self.leads = {
            short: (by_agency.get(agency.pk) or [self.coordinator])[0] for short, agency in self.agencies.items()
        }
        self.demo_rounds = list(AuditRound.objects.all())
        self.roles = roles

    def _people(self):
        """Two fictional auditors in every agency, with the demo's password."""
        from django.contrib.auth.hashers import make_password

        from agencies.models import Membership, User
        from audits.management.commands.seed_demo import DEMO_PASSWORD

        self.step("people")
        hashed = make_password(DEMO_PASSWORD)
        users, memberships = [], []
        self.auditors = defaultdict(list)
        for index, (short, agency) in enumerate(sorted(self.agencies.items())):
            slug = "".join(ch for ch in short.lower() if ch.isalnum())
            for n in (1, 2):
                name = f"{PEOPLE_FIRST[(index * 2 + n) % len(PEOPLE_FIRST)]} {self.rng.choice(PEOPLE_LAST)}"
                email = f"auditor{n}.{slug}@example.org"
                if User.objects.filter(email=email).exists():
                    continue
                user = User(email=email, full_name=name, job_title="Auditor", password=hashed)
                users.append(user)
                memberships.append((user, agency))
        User.objects.bulk_create(users)
        Membership.objects.bulk_create(
            [Membership(user=user, agency=agency, role=Membership.Role.AUDITOR) for user, agency in memberships]
        )
        for user, agency in memberships:
            self.auditors[agency.short_name].append(user)
        self.users = list(User.objects.all())

    # Rounds and cases, through the services --------------------------------------------------

    def _plan(self):
        """(area, launch date, final status) of every round to add, oldest first: twenty slots an
        area, six months apart back from the latest, leaving out slots the demo's rounds hold."""
        from django.utils import timezone

        from audits.models import AuditRound

        today = timezone.localdate()
        per_area = scaled(TARGETS["rounds_per_area"], self.scale, minimum=2)
        plan = []
        for area in self.areas:
            taken = [r.launch_date for r in self.demo_rounds if r.area_id == area.pk]
            latest = today - datetime.timedelta(days=35)  # tools due a week ago, meeting next week
            for k in range(per_area):
                launch = latest - datetime.timedelta(days=182 * k)
                launch += datetime.timedelta(days=(7 - launch.weekday()) % 7 if launch.weekday() >= 5 else 0)
                if any(abs((launch - day).days) < 100 for day in taken):
                    continue
                status = AuditRound.Status.MEETING if k == 0 else AuditRound.Status.CLOSED
                plan.append((area, launch, status))
        return sorted(plan, key=lambda item: item[1])

    def _rounds(self):
        from django.conf import settings

        from audits.models import AuditRound, Case
        from audits.rounds import services

        plan = self._plan()
        demo_cases = Case.objects.count()
        n_cases = max(2 * len(plan), scaled(TARGETS["cases"], self.scale) - demo_cases)
        per_round = [n_cases // len(plan) + (1 if i < n_cases % len(plan) else 0) for i in range(len(plan))]
        self.step(f"{len(plan)} rounds and {n_cases} cases, through the services")
        from audits.models import CaseAgency, Chronology

        demo_links = CaseAgency.objects.count()
        links = max(n_cases * 3, scaled(TARGETS["returns_per_kind"], self.scale) - demo_links)
        mean_agencies = links / n_cases
        others = [short for short in self.agencies if short != "CSC"]
        offsets = settings.ROUND_MILESTONE_OFFSETS
        self.rounds = []
        for (area, launch, status), count in zip(plan, per_round, strict=True):
            theme = THEMES[(launch.year * 2 + (launch.month > 6) + area.pk) % len(THEMES)]
            audit_round = services.round_create(
                actor=self.coordinator,
                area=area,
                title=f"{area.name} multi-agency case audit",
                theme=theme,
                period_label=services.period_label_for(launch),
                launch_date=launch,
                **{f"{key}_date": launch + datetime.timedelta(days=days) for key, days in offsets.items()},
            )
            for _ in range(count):
                band = self.rng.choice(Case.AgeBand.values)
                k = min(len(self.agencies), max(2, round(self.rng.gauss(mean_agencies, 1.2))))
                chosen = ["CSC", *self.rng.sample(others, k - 1)]
                case = services.case_create(
                    actor=self.coordinator,
                    audit_round=audit_round,
                    summary=self._summary(band),
                    age_band=band,
                    plan_type=self.rng.choice(Case.PlanType.values),
                    needs=self.rng.sample(self.needs, self.rng.randint(1, 3)),
                    child_name=f"{self.rng.choice(CHILD_FIRST)} "
                    f"{self.rng.choice(CHILD_SYLLABLES_A)}{self.rng.choice(CHILD_SYLLABLES_B)}",
                    date_of_birth=launch - datetime.timedelta(days=self._age_days(band)),
                    record_numbers="; ".join(f"{short} {self.rng.randint(100000, 999999)}" for short in chosen[:3]),
                )
                services.case_set_agencies(
                    actor=self.coordinator, case=case, agencies=[self.agencies[short] for short in chosen]
                )
            while audit_round.status != status:
                audit_round = services.round_advance(
                    actor=self.coordinator, audit_round=audit_round, from_status=audit_round.status
                )
            self.rounds.append(audit_round)
        # The rounds happened over ten years: their records say when.
        london = zoneinfo.ZoneInfo("Europe/London")
        for audit_round in self.rounds:
            made = datetime.datetime.combine(audit_round.launch_date, datetime.time(9), london)
            AuditRound.objects.filter(pk=audit_round.pk).update(created_at=made - datetime.timedelta(days=60))
            Case.objects.filter(round=audit_round).update(created_at=made - datetime.timedelta(days=30))
            if audit_round.status == AuditRound.Status.CLOSED:
                closed = made + datetime.timedelta(days=offsets["briefing_due"] + 14)
                AuditRound.objects.filter(pk=audit_round.pk).update(closed_at=closed)
        self.closed = sorted(
            (r for r in self.rounds if r.status == AuditRound.Status.CLOSED), key=lambda r: r.launch_date, reverse=True
        )
        self.chronologies = list(
            Chronology.objects.filter(case__round__in=self.rounds).select_related("case", "agency").order_by("pk")
        )

    def _summary(self, band: str) -> str:
        rng = self.rng
        return (
            f"The child lives with {rng.choice(FAMILY)} and {rng.choice(HOUSEHOLD)}. Agencies shared concerns "
            f"about {rng.choice(CONCERNS)} and {rng.choice(CONCERNS)}; the family was supported under "
            f"{rng.choice(PLANS)}."
        )

    def _age_days(self, band: str) -> int:
        years = {"under_1": (0, 0), "1_4": (1, 4), "5_9": (5, 9), "10_15": (10, 15), "16_17": (16, 17)}[band]
        return self.rng.randint(years[0] * 365 + 20, years[1] * 365 + 340)

    # Returns ------------------------------------------------------------------------------------

    def _returns(self):
        """Every return of a closed round accepted; in the round at its meeting most are in."""
        from audits.models import AuditRound, AuditTool, Chronology, WorkStatus

        self.step("returns' statuses")
        london = zoneinfo.ZoneInfo("Europe/London")
        for audit_round in self.rounds:
            due = datetime.datetime.combine(audit_round.tools_due_date, datetime.time(16), london)
            for model in (AuditTool, Chronology):
                items = list(model.objects.filter(case__round=audit_round).values_list("pk", "agency__short_name"))
                by_status = defaultdict(list)
                for pk, short in items:
                    if audit_round.status == AuditRound.Status.CLOSED:
                        status = WorkStatus.ACCEPTED
                    else:
                        status = self.rng.choices(
                            [WorkStatus.ACCEPTED, WorkStatus.SUBMITTED, WorkStatus.RETURNED, WorkStatus.DRAFT],
                            weights=[60, 25, 5, 10],
                        )[0]
                    by_status[(status, short)].append(pk)
                for (status, short), pks in by_status.items():
                    fields = {"status": status}
                    if status in WorkStatus.handed_in():
                        fields.update(submitted_at=due - datetime.timedelta(days=2), submitted_by=self.leads[short])
                    if status in (WorkStatus.ACCEPTED, WorkStatus.RETURNED):
                        fields.update(decided_at=due + datetime.timedelta(days=3), decided_by=self.coordinator)
                    if status == WorkStatus.RETURNED:
                        fields["return_comment"] = "Please add the period the review covers."
                    if self.auditors.get(short):
                        fields["assigned_to"] = self.auditors[short][0]
                    model.objects.filter(pk__in=pks).update(**fields)

    def _entries(self):
        """~599k entries, spread over the cases, one case with 2,000 and one with 4,500."""
        from audits.models import ChronologyEntry

        total = scaled(TARGETS["entries"], self.scale) - ChronologyEntry.objects.count()
        by_case = defaultdict(list)
        for chronology in self.chronologies:
            by_case[chronology.case].append(chronology)
        cases = sorted(by_case, key=lambda case: case.pk)
        big_round = self.closed[0]
        bigger_round = self.closed[1] if len(self.closed) > 1 else self.closed[0]
        self.big_case = min((c for c in cases if c.round_id == big_round.pk), key=lambda c: c.number)
        bigger = [c for c in cases if c.round_id == bigger_round.pk and c != self.big_case]
        self.bigger_case = min(bigger, key=lambda c: c.number) if bigger else None
        sizes = {self.big_case: big_size(BIG_CASE_ENTRIES, self.scale)}
        if self.bigger_case:
            sizes[self.bigger_case] = big_size(BIGGER_CASE_ENTRIES, self.scale)
        rest = [case for case in cases if case not in sizes]
        weights = [self.rng.uniform(0.3, 1.7) for _ in rest]
        left = max(0, total - sum(sizes.values()))
        for case, weight in zip(rest, weights, strict=True):
            size = round(left * weight / sum(weights))
            if abs(size - sizes[self.big_case]) <= 25:  # the big case stays the one nearest its size
                size += 60
            sizes[case] = size
        self.step(f"{sum(sizes.values()):,} chronology entries (bulk_create, {BATCH:,} a batch; no history rows)")
        types = ChronologyEntry.EventType.values
        type_weights = [12, 14, 5, 12, 6, 6, 4, 3, 4, 6, 8, 5, 7, 8]
        batch = []
        rng = self.rng
        launches = {r.pk: r.launch_date for r in self.rounds}
        for case in cases:
            chronologies = by_case[case]
            shares = [3.0 if c.agency.short_name == "CSC" else rng.uniform(0.5, 1.5) for c in chronologies]
            launch = launches[case.round_id]
            remaining = sizes[case]
            for index, (chronology, share) in enumerate(zip(chronologies, shares, strict=True)):
                n = remaining if index == len(chronologies) - 1 else round(sizes[case] * share / sum(shares))
                n = min(n, remaining)
                remaining -= n
                author = self.leads[chronology.agency.short_name]
                roles = ROLES.get(chronology.agency.short_name, ["Practitioner"])
                for _ in range(n):
                    event = rng.choices(types, weights=type_weights)[0]
                    batch.append(
                        ChronologyEntry(
                            chronology_id=chronology.pk,
                            date=launch - datetime.timedelta(days=rng.randint(1, 730)),
                            time=datetime.time(rng.randint(8, 19), rng.choice((0, 15, 30, 45)))
                            if rng.random() < 0.5
                            else None,
                            date_is_approximate=rng.random() < 0.03,
                            event_type=event,
                            what_happened=_sentence(rng, event),
                            action_outcome=rng.choice(OUTCOMES) if rng.random() < 0.8 else "",
                            practitioner_role=rng.choice(roles),
                            key_event=rng.random() < 0.08,
                            created_by=author,
                            updated_by=author,
                        )
                    )
                    if len(batch) >= BATCH:
                        ChronologyEntry.objects.bulk_create(batch)
                        batch = []
        ChronologyEntry.objects.bulk_create(batch)

    def _answers(self):
        """An answer to every question of the pinned template in every tool handed in or drafted."""
        from audits.models import AuditTool, TemplateQuestion, ToolAnswer, ToolSectionState, WorkStatus

        tools = list(
            AuditTool.objects.filter(case__round__in=self.rounds)
            .exclude(status=WorkStatus.NOT_STARTED)
            .values_list("pk", "template_version_id", "agency__short_name")
        )
        questions = defaultdict(list)
        for question in TemplateQuestion.objects.select_related("section"):
            questions[question.section.version_id].append(question)
        self.step(f"answers to {len(tools):,} audit tools")
        answers, states = [], []
        for tool_pk, version, short in tools:
            author = self.auditors[short][0] if self.auditors.get(short) else self.leads[short]
            sections = set()
            for question in questions[version]:
                sections.add(question.section_id)
                choice = ""
                if question.kind != TemplateQuestion.Kind.TEXT:
                    choice = self.rng.choice([value for value, _ in question.choices])
                answers.append(
                    ToolAnswer(
                        tool_id=tool_pk,
                        question_id=question.pk,
                        choice=choice,
                        text=self.rng.choice(TOOL_TEXTS),
                        updated_by=author,
                    )
                )
            states += [ToolSectionState(tool_id=tool_pk, section_id=s, revision=1, updated_by=author) for s in sections]
        ToolAnswer.objects.bulk_create(answers, batch_size=BATCH)
        ToolSectionState.objects.bulk_create(states, batch_size=BATCH)

    # Meetings, learning, briefings, actions ------------------------------------------------------

    def _meetings(self):
        from audits.models import Attendance, AuditRound, CaseAgency, CaseDiscussion, Meeting, TemplateQuestion

        self.step("meetings")
        london = zoneinfo.ZoneInfo("Europe/London")
        meetings, attendance, discussions = [], [], []
        for audit_round in self.rounds:
            day = audit_round.meeting_date
            meeting = Meeting(
                round=audit_round,
                starts_at=datetime.datetime(day.year, day.month, day.day, 10, tzinfo=london),
                ends_at=datetime.datetime(day.year, day.month, day.day, 13, tzinfo=london),
                place="Committee Room 2, Kestrel Bay Civic Centre",
                chair="Head of the partnership business unit",
                created_by=self.coordinator,
                updated_by=self.coordinator,
            )
            meetings.append(meeting)
            if audit_round.status != AuditRound.Status.CLOSED:
                continue
            agency_ids = set(CaseAgency.objects.filter(case__round=audit_round).values_list("agency_id", flat=True))
            attendance.append((meeting, agency_ids))
            for case in audit_round.cases.all():
                discussions.append(
                    CaseDiscussion(
                        case=case,
                        notes="Agencies went through the integrated chronology together.",
                        agreed_grade=self.rng.choice(TemplateQuestion.Grade.values),
                        grade_reasons="Agreed by the agencies present, from the audit tools.",
                        created_by=self.coordinator,
                        updated_by=self.coordinator,
                    )
                )
        Meeting.objects.bulk_create(meetings)
        Attendance.objects.bulk_create(
            [
                Attendance(
                    meeting=meeting,
                    agency_id=agency_id,
                    status=self.rng.choices(["present", "apologies"], weights=[9, 1])[0],
                    attendees="Agency representative",
                    updated_by=self.coordinator,
                )
                for meeting, agency_ids in attendance
                for agency_id in sorted(agency_ids)
            ]
        )
        CaseDiscussion.objects.bulk_create(discussions)

    def _learning(self):
        """Strengths and findings of each case, and the round's key messages, recommendations and
        good practice, with themes, agencies and cited cases (history rows in bulk)."""
        from simple_history.utils import bulk_create_with_history

        from audits.models import AuditRound, LearningPoint, ReflectiveQuestion, ResourceLink

        rounds = [r for r in self.rounds if r.status == AuditRound.Status.CLOSED]
        target = max(len(rounds) * 4, scaled(TARGETS["learning"], self.scale) - LearningPoint.objects.count())
        self.step(f"{target} learning points")
        points, themes, agencies, cited = [], [], [], []
        for index, audit_round in enumerate(rounds):
            quota = target // len(rounds) + (1 if index < target % len(rounds) else 0)
            cases = list(audit_round.cases.prefetch_related("agencies"))
            n_round = max(1, quota // 4)
            position = 0
            for i in range(quota - n_round):
                case = cases[i % len(cases)]
                case_agencies = list(case.agencies.all())
                agency = self.rng.choice(case_agencies)
                kind = "strength" if i % 2 == 0 else "finding"
                heading, text = self.rng.choice(STRENGTHS if kind == "strength" else FINDINGS)
                point = LearningPoint(
                    round=audit_round,
                    case=case,
                    kind=kind,
                    heading=heading,
                    text=text.format(a=agency.name),
                    position=position,
                    created_by=self.coordinator,
                    updated_by=self.coordinator,
                )
                position += 1
                points.append(point)
                themes.append(self.rng.sample(self.themes, self.rng.randint(1, 3)))
                agencies.append([agency])
                cited.append([case])
            for _ in range(n_round):
                kind, heading, text = self.rng.choice(ROUND_LEARNING)
                point = LearningPoint(
                    round=audit_round,
                    kind=kind,
                    heading=heading,
                    text=text,
                    callout="A child who saw an incident last night is in a classroom this morning."
                    if kind == "key_message" and self.rng.random() < 0.5
                    else "",
                    position=position,
                    created_by=self.coordinator,
                    updated_by=self.coordinator,
                )
                position += 1
                points.append(point)
                themes.append(self.rng.sample(self.themes, self.rng.randint(1, 3)))
                agencies.append([])
                cited.append(self.rng.sample(cases, self.rng.randint(0, min(3, len(cases)))))
        points = bulk_create_with_history(points, LearningPoint, batch_size=BATCH, default_user=self.coordinator)
        through_themes, through_agencies, through_cases = (
            LearningPoint.themes.through,
            LearningPoint.agencies.through,
            LearningPoint.evidence_cases.through,
        )
        through_themes.objects.bulk_create(
            [
                through_themes(learningpoint_id=p.pk, practicetheme_id=t.pk)
                for p, ts in zip(points, themes, strict=True)
                for t in ts
            ]
        )
        through_agencies.objects.bulk_create(
            [
                through_agencies(learningpoint_id=p.pk, agency_id=a.pk)
                for p, ags in zip(points, agencies, strict=True)
                for a in ags
            ]
        )
        through_cases.objects.bulk_create(
            [
                through_cases(learningpoint_id=p.pk, case_id=c.pk)
                for p, cs in zip(points, cited, strict=True)
                for c in cs
            ]
        )
        key_messages = [p for p in points if p.kind == "key_message"]
        ReflectiveQuestion.objects.bulk_create(
            [
                ReflectiveQuestion(learning_point=p, position=i, text=q)
                for p in key_messages
                for i, q in enumerate(self.rng.sample(QUESTIONS, 2), start=1)
            ]
        )
        ResourceLink.objects.bulk_create(
            [
                ResourceLink(
                    learning_point=p, position=1, title="Partnership practice guide", url="https://example.org/guide"
                )
                for p in key_messages
            ]
        )
        self.points = points

    def _briefings(self):
        """A published briefing for three closed rounds in four, printing all their learning (its
        PDF is the demo briefing's file: the library only links to it)."""
        from briefings.models import Briefing, PublishedVersion

        demo = PublishedVersion.objects.order_by("pk").first()
        by_round = defaultdict(list)
        for point in self.points:
            by_round[point.round_id].append(point)
        chosen = [r for r in self.closed if self.rng.random() < 0.75 and by_round[r.pk]]
        self.step(f"{len(chosen)} published briefings")
        for audit_round in chosen:
            briefing = Briefing.objects.create(
                format=Briefing.Format.BY_THEME,
                title=f"Learning from the {audit_round.area.name} case audit, {audit_round.period_label}",
                introduction=f"Agencies looked together at cases about {audit_round.theme.lower()}.",
                marking=Briefing.Marking.NONE,
                status=Briefing.Status.PUBLISHED,
                approved_by=self.approver,
                created_by=self.coordinator,
                updated_by=self.coordinator,
            )
            briefing.rounds.add(audit_round)
            version = PublishedVersion.objects.create(
                briefing=briefing,
                number=1,
                stored_file=demo.stored_file if demo else "",
                sha256=demo.sha256 if demo else "",
                published_by=self.approver,
            )
            version.learning_points.set(by_round[audit_round.pk])

    def _actions(self):
        """560 actions, 200 of them in one round; closed ones done, recent ones open, with updates."""
        from django.utils import timezone
        from simple_history.utils import bulk_create_with_history

        from audits.models import Action, ActionUpdate

        today = timezone.localdate()
        rounds = self.closed
        self.action_round = rounds[2] if len(rounds) > 2 else rounds[-1]
        big = scaled(BIG_ROUND_ACTIONS, self.scale, minimum=5)
        total = max(big + len(rounds), scaled(TARGETS["actions"], self.scale) - Action.objects.count())
        others = [r for r in rounds if r != self.action_round]
        quota = {self.action_round.pk: big}
        for index, audit_round in enumerate(others):
            quota[audit_round.pk] = (total - big) // max(1, len(others)) + (
                1 if index < (total - big) % max(1, len(others)) else 0
            )
        findings = defaultdict(list)
        for point in self.points:
            if point.kind == "finding":
                findings[point.round_id].append(point)
        self.step(f"{sum(quota.values())} actions with updates")
        london = zoneinfo.ZoneInfo("Europe/London")
        actions, answers, updates = [], [], []
        lead_agencies = list(self.agencies)
        for audit_round in rounds:
            for _ in range(quota[audit_round.pk]):
                short = self.rng.choice(lead_agencies)
                due = audit_round.meeting_date + datetime.timedelta(days=self.rng.randint(60, 420))
                if due < today - datetime.timedelta(days=30):
                    status = self.rng.choices(
                        [Action.Status.COMPLETE, Action.Status.NOT_GOING_AHEAD, Action.Status.IN_PROGRESS],
                        weights=[85, 5, 10],
                    )[0]
                else:
                    status = self.rng.choice([Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS])
                owner = self.leads[short]
                action = Action(
                    round=audit_round,
                    what=self.rng.choice(ACTIONS),
                    lead_agency=self.agencies[short],
                    owner_user=owner if owner != self.coordinator else None,
                    owner_name="" if owner != self.coordinator else "Service manager",
                    due_date=due,
                    status=status,
                    at_risk=status == Action.Status.IN_PROGRESS and self.rng.random() < 0.2,
                    created_by=self.coordinator,
                    updated_by=self.coordinator,
                )
                if status == Action.Status.NOT_GOING_AHEAD:
                    action.not_going_ahead_reason = "Replaced by a partnership-wide piece of work."
                if status == Action.Status.COMPLETE:
                    done = datetime.datetime.combine(due - datetime.timedelta(days=10), datetime.time(12), london)
                    action.evidence_of_completion = "The new guidance is in use and was checked in a dip sample."
                    action.impact = "Records sampled since show the change in most cases."
                    action.completion_proposed_at = done - datetime.timedelta(days=3)
                    action.completion_proposed_by = owner
                    action.completed_at = done
                    action.completed_by = self.coordinator
                actions.append(action)
                answers.append(self.rng.sample(findings[audit_round.pk], min(len(findings[audit_round.pk]), 1)))
        actions = bulk_create_with_history(actions, Action, batch_size=BATCH, default_user=self.coordinator)
        through = Action.findings.through
        through.objects.bulk_create(
            [through(action_id=a.pk, learningpoint_id=f.pk) for a, fs in zip(actions, answers, strict=True) for f in fs]
        )
        for action in actions:
            start = action.round.meeting_date
            last = min(action.due_date, today)
            for _ in range(self.rng.randint(0, 4)):
                span = max(1, (last - start).days)
                updates.append(
                    ActionUpdate(
                        action=action,
                        date=start + datetime.timedelta(days=self.rng.randint(1, span)),
                        text=self.rng.choice(UPDATES),
                        author=action.owner_user or self.coordinator,
                    )
                )
        ActionUpdate.objects.bulk_create(updates, batch_size=BATCH)

    def _access_log(self):
        """250k rows over ten years: sign-ins, two-factor codes, exports, identifiers viewed."""
        from django.utils import timezone

        from agencies.models import AccessEvent

        total = scaled(TARGETS["access_events"], self.scale) - AccessEvent.objects.count()
        self.step(f"{total:,} access-log rows")
        now = timezone.now()
        span = 10 * 365 * 24 * 3600
        kinds = [
            (AccessEvent.Kind.SIGN_IN, 40),
            (AccessEvent.Kind.TWO_FACTOR_VERIFIED, 30),
            (AccessEvent.Kind.SIGN_OUT, 15),
            (AccessEvent.Kind.EXPORT, 7),
            (AccessEvent.Kind.IDENTIFIERS_VIEWED, 5),
            (AccessEvent.Kind.SIGN_IN_FAILED, 3),
        ]
        names, weights = zip(*kinds, strict=True)
        exports = [
            "Integrated chronology PDF, round {r} case {c}",
            "Action plan of round {r} as CSV",
            "Completion matrix of round {r} as CSV",
        ]
        rounds = [(r.pk, max(1, r.cases.count())) for r in self.rounds]
        rng = self.rng
        batch = []
        for _ in range(max(0, total)):
            kind = rng.choices(names, weights=weights)[0]
            user = rng.choice(self.users)
            what = ""
            if kind in (AccessEvent.Kind.EXPORT, AccessEvent.Kind.IDENTIFIERS_VIEWED):
                round_pk, cases = rng.choice(rounds)
                template = (
                    rng.choice(exports) if kind == AccessEvent.Kind.EXPORT else "Identifiers of round {r} case {c}"
                )
                what = template.format(r=round_pk, c=rng.randint(1, cases))
            batch.append(
                AccessEvent(
                    occurred_at=now - datetime.timedelta(seconds=rng.randint(60, span)),
                    kind=kind,
                    user=user,
                    user_email=user.email,
                    what=what,
                    ip_address=f"10.{rng.randint(20, 23)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                )
            )
            if len(batch) >= BATCH:
                AccessEvent.objects.bulk_create(batch)
                batch = []
        AccessEvent.objects.bulk_create(batch)

    def _retention(self):
        """The retention job, as it would have run: rounds closed over a year ago lose their identifiers."""
        from audits.rounds.retention import apply_retention

        purges = apply_retention()
        self.step(f"retention: identifiers of {len(purges)} old rounds destroyed")

    # What the bench loads -----------------------------------------------------------------------

    def _keys(self) -> dict:
        from django.apps import apps

        from audits.models import Action, ChronologyEntry, LearningPoint

        counts = {}
        for label in (
            "agencies.User",
            "agencies.Area",
            "agencies.Agency",
            "audits.AuditRound",
            "audits.Case",
            "audits.RestrictedIdentifiers",
            "audits.AuditTool",
            "audits.ToolAnswer",
            "audits.Chronology",
            "audits.ChronologyEntry",
            "audits.Meeting",
            "audits.CaseDiscussion",
            "audits.LearningPoint",
            "audits.Action",
            "audits.ActionUpdate",
            "briefings.Briefing",
            "agencies.AccessEvent",
        ):
            counts[label] = apps.get_model(label).objects.count()
        big_entries = ChronologyEntry.objects.filter(chronology__case=self.big_case).count()
        keys = {
            "scale": self.scale,
            "coordinator": "coordinator@example.org",
            "lead": "csc.lead@example.org",
            "administrator": "admin@example.org",
            "password": "demo-audit-2026",
            "round": self.big_case.round_id,
            "case": self.big_case.number,
            "case_entries": big_entries,
            "action_round": self.action_round.pk,
            "actions": Action.objects.filter(round=self.action_round).count(),
            "term": SEARCH_TERM,
            "term_matches": LearningPoint.objects.filter(text__icontains=SEARCH_TERM).count(),
            "counts": counts,
            "seconds": round(time.monotonic() - self.started, 1),
        }
        if self.bigger_case is not None:
            keys["bigger_round"] = self.bigger_case.round_id
            keys["bigger_case"] = self.bigger_case.number
            keys["bigger_case_entries"] = ChronologyEntry.objects.filter(chronology__case=self.bigger_case).count()
        return keys


def generate(scale: float, log=print) -> dict:
    """Add the ten years to the current database (the demo already loaded); returns the keys."""
    return Generator(scale, log).run()


def has_non_demo_data() -> bool:
    """Anything but what seed_demo loads: rounds other than its two, or entries beyond its own."""
    from audits.management.commands.seed_demo import CLOSED_THEME
    from audits.models import AuditRound

    demo_themes = [CLOSED_THEME, "Neglect and the lived experience of the child"]
    return AuditRound.objects.count() > 2 or AuditRound.objects.exclude(theme__in=demo_themes).exists()


def report(keys: dict, out: Path | None) -> None:
    print("\nRows made (the demo's included):")
    for label, count in keys["counts"].items():
        print(f"  {label:32} {count:>9,}")
    print("\nWhat `make bench` loads:")
    print(f"  coordinator: {keys['coordinator']}; agency lead: {keys['lead']} (password {keys['password']})")
    print(f"  integrated chronology: round {keys['round']}, case {keys['case']} ({keys['case_entries']:,} entries)")
    if "bigger_round" in keys:
        print(
            f"  the biggest: round {keys['bigger_round']}, case {keys['bigger_case']} "
            f"({keys['bigger_case_entries']:,} entries)"
        )
    print(f"  action plan: round {keys['action_round']} ({keys['actions']} actions)")
    print(f"  learning search term: {keys['term']!r} ({keys['term_matches']} points)")
    print(f"  made in {keys['seconds']} s")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(keys, indent=2) + "\n")
        print(f"  keys written to {out}")


# The command ---------------------------------------------------------------------------------


def _admin_connection(url: str):
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    connection = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=urllib.parse.unquote(parts.username or "postgres"),
        password=urllib.parse.unquote(parts.password) if parts.password else None,
        dbname="postgres",
    )
    connection.autocommit = True
    return connection


def prepare_database(url: str, *, reset: bool) -> str:
    """Create the target database if it is missing; with ``reset``, drop and recreate it."""
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    if not name:
        raise SystemExit("DATABASE_URL names no database.")
    if reset and not name.startswith("bench"):
        raise SystemExit(f"--reset drops the database: only one whose name starts with 'bench', not {name!r}.")
    connection = _admin_connection(url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        quoted = '"' + name.replace('"', '""') + '"'
        if exists and reset:
            print(f"Dropping the database {name}")
            cursor.execute(f"DROP DATABASE {quoted} WITH (FORCE)")
            exists = False
        if not exists:
            print(f"Creating the database {name}")
            cursor.execute(f"CREATE DATABASE {quoted}")
    connection.close()
    return name


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: ten years' sizes; 0.1: a tenth")
    parser.add_argument("--reset", action="store_true", help="drop and recreate the database first (bench* only)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the keys go (JSON)")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be above 0")

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench-data fills a PostgreSQL database: DATABASE_URL=postgres://...")
    prepare_database(url, reset=args.reset)
    sys.path.insert(0, str(ROOT))
    from lib.crypto import demo_key

    # The demo runs with DEBUG on; the identifiers are encrypted with the key `make bench` serves with.
    os.environ.update({"DATABASE_URL": url, "DEBUG": "true", "IDENTIFIER_KEYS": demo_key(DEBUG_SECRET)})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    if has_non_demo_data():
        raise SystemExit("This database holds more than the demo: run with --reset to start it again.")
    call_command("seed_demo")
    keys = generate(args.scale)
    report(keys, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
