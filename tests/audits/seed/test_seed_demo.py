"""The demo data: loads twice without duplicating, survives whatever people did in the demo
(`make run` again keeps their work), and its Case 2 has an integrated chronology from three
agencies that exports in date order."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from agencies.models import Agency, Area, User
from agencies.selectors import agencies_without_lead
from audits.meetings import services as meetings
from audits.models import AuditRound, AuditTool, Case, CaseDraw, Chronology, ChronologyEntry, Meeting, PracticeTheme
from audits.returns import services as chronologies
from audits.returns import services as tools
from audits.rounds import services
from audits.rounds.identifiers import identifiers_for_user
from briefings import services as briefings
from briefings.models import Briefing
from tests import factories
from tests.audits.meetings.test_meeting_pack import get_pack, pdf_text
from tests.audits.returns.test_lifecycle import answer_everything
from tests.exports.flow import download


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False


def test_seed_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("seed_demo", stdout=io.StringIO())


def test_seed_demo_is_idempotent(demo, settings):
    counts = (User.objects.count(), AuditRound.objects.count(), Case.objects.count(), ChronologyEntry.objects.count())
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    again = (User.objects.count(), AuditRound.objects.count(), Case.objects.count(), ChronologyEntry.objects.count())
    assert again == counts
    assert AuditRound.objects.filter(status="closed").count() == 1
    assert AuditRound.objects.filter(status="open").count() == 1


def test_every_demo_agency_has_a_lead_added_only_when_missing(demo, settings):
    """So a newcomer sees the whole flow: every agency's invitation reaches someone."""
    assert agencies_without_lead(Agency.objects.values_list("pk", flat=True)) == set()
    # An agency whose demo lead left (made inactive) and got a lead of its own in the admin site
    # keeps it; nothing is added twice.
    housing_lead = User.objects.get(email="housing.lead@example.org")
    housing_lead.is_active = False
    housing_lead.save()
    own = factories.UserFactory(email="own.housing.lead@example.org", agency=housing_lead.agency, agency_role="lead")
    users = User.objects.count()
    seed_again(settings)
    assert User.objects.count() == users
    assert own.is_active and not User.objects.get(email="housing.lead@example.org").is_active
    # The README's sign-ins are unchanged.
    assert User.objects.get(email="csc.lead@example.org").agency.short_name == "CSC"


def test_demo_integrated_chronology_has_three_agencies_in_date_order(demo, client):
    client.force_login(User.objects.get(email="coordinator@example.org"))
    case = Case.objects.get(round__status="open", number=2)
    url = reverse("audits:integrated-chronology", args=[case.round_id, case.number])
    page = client.get(url).text
    entries = list(
        ChronologyEntry.objects.filter(chronology__case=case, chronology__status="submitted").order_by(
            "date", "time", "chronology__agency__name"
        )
    )
    assert len({entry.chronology.agency_id for entry in entries}) >= 3
    positions = [page.index(escape(entry.what_happened)) for entry in entries]
    assert positions == sorted(positions)

    for suffix in ("csv", "xlsx"):
        response = download(
            client, reverse(f"audits:integrated-chronology-{suffix}", args=[case.round_id, case.number])
        )
        assert response.status_code == 200
    pdf = download(client, reverse("audits:integrated-chronology-pdf", args=[case.round_id, case.number]))
    assert pdf.status_code == 200
    # Compared without spaces: the PDF's text comes back with spaces where the layout puts
    # them (a line break) and where kerning looks like one ("T oddler"), which moves with the
    # column widths, and so with the dates.
    text = "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split())
    starts = [text.index("".join(entry.what_happened.split())[:30]) for entry in entries]
    assert starts == sorted(starts)


def test_demo_meeting_and_overdue_action_on_the_police_leads_home_and_reminded_once(
    demo, client, mailoutbox, django_capture_on_commit_callbacks
):
    from audits.models import Action, LearningPoint, Meeting, ReminderSent

    closed = AuditRound.objects.get(status="closed")
    assert Meeting.objects.filter(round=closed).exists()
    assert LearningPoint.objects.filter(round=closed, kind="finding").count() == 3
    overdue = Action.objects.get(round=closed, lead_agency__short_name="Police")
    assert overdue.rag()[0] == "red"

    client.force_login(User.objects.get(email="police.lead@example.org"))
    home = client.get(reverse("home")).text
    assert escape(overdue.what) in home and "Red" in home

    mailoutbox.clear()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", stdout=io.StringIO())
    assert ReminderSent.objects.filter(action=overdue, kind="overdue").count() == 1
    to_police = [m for m in mailoutbox if "police.lead@example.org" in m.to and f"Action {overdue.pk}" in m.body]
    assert len(to_police) == 1


def seed_again(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    settings.DEBUG = False
    return out.getvalue()


def everything():
    """What the service holds, to compare before and after a run of seed_demo."""
    return {
        "rounds": sorted(AuditRound.objects.values_list("pk", "area__short_name", "status", "theme")),
        "cases": sorted(Case.objects.values_list("pk", "round_id", "number", "summary")),
        "draws": sorted(CaseDraw.objects.values_list("pk", "status", "seed")),
        "tools": sorted(AuditTool.objects.values_list("pk", "status")),
        "chronologies": sorted(Chronology.objects.values_list("pk", "status")),
        "entries": sorted(ChronologyEntry.objects.values_list("pk", "what_happened")),
        "meetings": sorted(Meeting.objects.values_list("pk", "round_id", "place")),
        "briefings": sorted(Briefing.objects.values_list("pk", "title", "status")),
        "users": sorted(User.objects.values_list("pk", "email", "password")),
    }


def test_make_run_again_after_a_round_of_the_demos_own_keeps_the_work(demo, settings, client):
    """The journey that stopped `make run`: a round planned for the area with no rounds, drawn,
    opened and worked on, then seed_demo again."""
    coordinator = User.objects.get(email="coordinator@example.org")
    kestrel_bay = Area.objects.get(short_name="KB")
    assert not AuditRound.objects.filter(area=kestrel_bay).exists()
    proposal = services.round_proposal(area=kestrel_bay, today=timezone.localdate())
    proposal["theme"] = "Children missing education"
    new_round = services.round_create(actor=coordinator, **proposal)
    draw = services.draw_preview(
        actor=coordinator,
        audit_round=new_round,
        data=b"reference,child_name,date_of_birth,plan_type\n"
        b"KB1,Invented Child One,01/02/2015,CIN\nKB2,Invented Child Two,03/04/2016,CP\n"
        b"KB3,Invented Child Three,05/06/2012,LAC\n",
        file_name="kestrel-bay.csv",
        number_of_cases=2,
        strata=[],
        seed=7,
    )
    drawn = services.draw_confirm(actor=coordinator, draw=draw)
    csc, police = Agency.objects.get(short_name="CSC"), Agency.objects.get(short_name="Police")
    for case in drawn:
        services.case_set_agencies(actor=coordinator, case=case, agencies=[csc, police])
    new_round = services.round_advance(actor=coordinator, audit_round=new_round, from_status="planning")
    tool = AuditTool.objects.get(case=drawn[0], agency=csc)
    answer_everything(tool, User.objects.get(email="csc.auditor@example.org"))
    tools.tool_submit(actor=User.objects.get(email="csc.lead@example.org"), tool=tool)
    starts = timezone.now() + datetime.timedelta(days=20)
    meetings.meeting_arrange(
        actor=coordinator,
        audit_round=new_round,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Kestrel Bay Library, meeting room",
        chair="Partnership business manager",
    )
    briefings.briefing_create(
        actor=coordinator, rounds=[new_round], briefing_format=Briefing.Format.SIX_STEP, title="Kestrel Bay briefing"
    )
    # And in the demo's own current round: a case added, and one agency's entries all deleted.
    current = AuditRound.objects.get(area__short_name="NV", status="open")
    services.case_create(
        actor=coordinator,
        audit_round=current,
        summary="Child 4 was added in the demo.",
        age_band="1_4",
        plan_type="cp",
        needs=[],
        child_name="Invented Child Four",
    )
    chronology = current.cases.get(number=2).chronologies.get(agency=police)
    services.returns.return_send_back(actor=coordinator, item=chronology, comment="Add the second call-out.")
    police_lead = User.objects.get(email="police.lead@example.org")
    for entry in chronology.entries.all():
        chronologies.entry_delete(actor=police_lead, entry=entry)
    before = everything()

    out = seed_again(settings)

    assert "kept as they are" in out
    assert everything() == before
    client.force_login(coordinator)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(new_round.get_absolute_url()).status_code == 200


def test_make_run_again_after_demo_details_were_changed_in_the_admin_site(demo, settings):
    """Renamed areas and agencies, a demo sign-in with another role and password, a renamed
    practice theme: seed_demo finds them, changes none of them and adds no second copy."""
    Agency.objects.filter(short_name="CSC").update(short_name="Social care")
    Agency.objects.filter(short_name="Police").update(name="Vale Police Service")
    Area.objects.filter(short_name="KB").update(short_name="KBay")
    PracticeTheme.objects.filter(name="Information sharing").update(name="Sharing information")
    board = User.objects.get(email="board@example.org")
    board.groups.set([Group.objects.get(name="Coordinator")])
    board.set_password("a-password-of-their-own")
    board.save()
    before = everything(), sorted(Agency.objects.values_list("pk", "name", "short_name"))

    seed_again(settings)

    assert (everything(), sorted(Agency.objects.values_list("pk", "name", "short_name"))) == before
    assert Area.objects.count() == 2
    board.refresh_from_db()
    assert board.check_password("a-password-of-their-own")
    assert list(board.groups.values_list("name", flat=True)) == ["Coordinator"]


def test_seed_demo_loads_the_rounds_into_a_service_without_any(db, settings):
    """A first run, or a run after every round was removed in the admin site, loads both rounds."""
    out = seed_again(settings)
    assert "kept as they are" not in out
    assert sorted(AuditRound.objects.values_list("status", flat=True)) == ["closed", "open"]


def test_demo_ships_the_closed_rounds_briefing_signed_off_by_the_board(demo, client, settings):
    """Drafted by the coordinator, sent, approved and published by the board approver, through the
    services: a real PDF the board viewer and the practitioners download."""
    closed = AuditRound.objects.get(status="closed")
    [briefing] = Briefing.objects.filter(rounds=closed)
    approver = User.objects.get(email="approver@example.org")
    assert approver.groups.filter(name="Board approver").exists()
    assert briefing.is_published and briefing.approved_by == approver
    assert briefing.created_by == User.objects.get(email="coordinator@example.org")
    [version] = briefing.versions.all()
    assert version.published_by == approver and version.learning_points.exists()
    for email in ("board@example.org", "csc.lead@example.org"):
        client.force_login(User.objects.get(email=email))
        assert (
            briefing.title
            in client.get(reverse("home" if email.startswith("board") else "briefings:briefing-list")).text
        )
        pdf = client.get(reverse("briefings:version-download", args=[briefing.pk, 1]))
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        assert closed.theme.split(",")[0] in text and "Version 1" in text
    # Its round went through "Briefing published" on its way to closed.
    assert "published" in set(closed.history.values_list("status", flat=True))

    # make run again: the briefing is not made twice.
    seed_again(settings)
    assert Briefing.objects.filter(rounds=closed).count() == 1


def test_a_demo_loaded_before_it_had_a_briefing_gets_it_once(demo, settings):
    closed = AuditRound.objects.get(status="closed")
    briefing = Briefing.objects.get(rounds=closed)
    briefing.versions.all().delete()
    briefing.delete()
    assert "Added the closed round's published briefing." in seed_again(settings)
    assert Briefing.objects.get(rounds=closed).is_published
    assert AuditRound.objects.get(pk=closed.pk).status == "closed"  # a closed round stays closed
    seed_again(settings)
    assert Briefing.objects.filter(rounds=closed).count() == 1


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_demo_open_rounds_meeting_pack_holds_every_case_and_no_identifier(demo, client):
    # Issue 17: the pack of the demo's open round holds every case's summary and integrated
    # chronology, never a restricted identifier; an agency's copy holds only its cases.
    audit_round = AuditRound.objects.get(status="open")
    coordinator = User.objects.get(email="coordinator@example.org")
    text = _flat(pdf_text(get_pack(client, coordinator, audit_round).content))
    cases = list(audit_round.cases.order_by("number"))
    entries = ChronologyEntry.objects.filter(chronology__case__in=cases)
    assert cases and entries.exists()
    for case in cases:
        assert _flat(case.summary)[:50] in text, case.number
        child = identifiers_for_user(user=coordinator, case=case)
        for value in (child.child_name, child.date_of_birth and child.date_of_birth.strftime("%d/%m/%Y")):
            assert not value or value not in text, case.number
    for entry in entries:
        assert _flat(entry.what_happened)[:40] in text, entry.pk

    # A lead whose agency takes part in some of the round's cases, not all.
    lead, theirs = next(
        (lead, theirs)
        for lead in User.objects.filter(agency_membership__role="lead").order_by("email")
        if (theirs := set(Case.objects.visible_to(lead).filter(round=audit_round))) and theirs != set(cases)
    )
    client.logout()
    lead_text = _flat(pdf_text(get_pack(client, lead, audit_round).content))
    for case in cases:
        assert (_flat(case.summary)[:50] in lead_text) == (case in theirs), case.number
