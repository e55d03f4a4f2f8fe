"""Arbitrary text thrown at every form of the service, and at a few pages through the test client:
each answer is a form with errors (or a success), never an exception or a server error.

Every field (every input of a multi-part field such as a date) gets arbitrary text: NUL bytes,
huge strings, odd unicode, numbers too big for any column, or one of the field's real choices."""

import importlib
import importlib.util
import inspect

import pytest
from django import forms
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audits.models import LearningPoint, PracticeTheme, ToolTemplate
from audits.returns import selectors as tool_selectors
from tests import factories

FORM_MODULES = [
    "agencies.accounts.forms",
    "agencies.access_log.forms",
    "audits.actions.forms",
    "audits.learning.forms",
    "audits.meetings.forms",
    "audits.returns.forms",
    "audits.rounds.forms",
    "audits.tool_templates.forms",
    "briefings.forms",
]

FUZZ = settings(max_examples=75, deadline=None, suppress_health_check=list(HealthCheck))

ODD = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\u202e\u200b\ufeff",
        "😀" * 3,
        "ǅ\u0301\u0308",
        "٣١",
        "9" * 40,
        "-1",
        "0",
        "1e309",
        "NaN",
        "31/02/2026",
        "2026-13-45",
        "<script>alert(1)</script>",
        '=HYPERLINK("http://x.test")',
        "x" * 100_000,
        "\ud7ff\ue000\uffff",
    ]
)
TEXT = st.one_of(st.text(max_size=60), ODD, st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=3000))


def _forms():
    """Every form class defined in the service's form modules (that exist now)."""
    found = {}
    for module_name in FORM_MODULES:
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module_name and issubclass(cls, forms.BaseForm):
                found[f"{module_name}.{name}"] = cls
    return found


FORMS = _forms()


@pytest.fixture
def world(returns_case, coordinator, lead_a, agency_a, agency_b, rf):
    """What forms take besides data: the case with agencies A and B, its tools, a finding."""
    finding = factories.LearningPointFactory(case=returns_case, kind=LearningPoint.Kind.FINDING)
    request = rf.post("/sign-in/")
    request.session = {}
    tool = returns_case.tools.get(agency=agency_a)
    section = tool_selectors.sections_of(tool)[0]
    return {
        "case": returns_case,
        "round": returns_case.round,
        "agencies": [agency_a, agency_b],
        "finding": finding,
        "user": lead_a,
        "request": request,
        "questions": list(section.questions.all()),
        "chronologies": [_included(c) for c in returns_case.chronologies.select_related("agency")],
        "question": ToolTemplate.objects.get(is_default=True).current_version.sections.first().questions.first(),
        "theme": PracticeTheme.objects.first(),
    }


def _included(chronology):
    chronology.included = True  # as the integrated chronology's selector marks them
    return chronology


# The keyword arguments each form is built with (as its view builds it); data is added.
BUILDERS = {
    "agencies.accounts.forms.SignInForm": lambda w, data: {"request": w["request"], "data": data},
    "agencies.accounts.forms.NewPasswordForm": lambda w, data: {"user": w["user"], "data": data},
    "agencies.accounts.forms.ChangePasswordForm": lambda w, data: {"user": w["user"], "data": data},
    "audits.actions.forms.ActionForm": lambda w, data: {
        "data": data,
        "agencies": w["agencies"],
        "findings": [w["finding"]],
    },
    "audits.actions.forms.ReasonForm": lambda w, data: {"data": data, "label": "Why?", "required_message": "Say"},
    "audits.actions.forms.PlanFilterForm": lambda w, data: {
        "data": data,
        "rounds": [w["round"]],
        "agencies": w["agencies"],
        "areas": [w["round"].area],
    },
    "audits.returns.forms.ChronologyImportForm": lambda w, data: {"data": data, "max_bytes": 1024},
    "audits.rounds.forms.DrawForm": lambda w, data: {"data": data, "max_bytes": 1024},
    "audits.returns.forms.IntegratedFilterForm": lambda w, data: {"data": data, "chronologies": w["chronologies"]},
    "audits.learning.forms.RoundLearningForm": lambda w, data: {
        "data": data,
        "kind": LearningPoint.Kind.KEY_MESSAGE,
        "audit_round": w["round"],
    },
    "audits.learning.forms.RoundSeveralForm": lambda w, data: {
        "data": data,
        "kind": LearningPoint.Kind.FINDING,
        "audit_round": w["round"],
    },
    "audits.meetings.forms.LearningSeveralForm": lambda w, data: {
        "data": data,
        "kind": LearningPoint.Kind.STRENGTH,
        "case": w["case"],
    },
    "audits.meetings.forms.AttendanceForm": lambda w, data: {"data": data, "agency": w["agencies"][0]},
    "audits.meetings.forms.LearningPointForm": lambda w, data: {
        "data": data,
        "kind": LearningPoint.Kind.STRENGTH,
        "case": w["case"],
    },
    "audits.rounds.forms.CaseAgenciesForm": lambda w, data: {"data": data, "current_ids": [w["agencies"][0].pk]},
    "audits.tool_templates.forms.NewTemplateForm": lambda w, data: {
        "data": data,
        "templates": list(ToolTemplate.objects.all()),
    },
    "audits.tool_templates.forms.QuestionForm": lambda w, data: {"data": data, "question": w["question"]},
    "audits.returns.forms.SectionForm": lambda w, data: {"data": data, "questions": w["questions"]},
    "audits.returns.forms.AssignForm": lambda w, data: {"data": data, "auditors": [w["user"]]},
    "briefings.forms.BriefingCreateForm": lambda w, data: {"data": data, "audit_round": w["round"]},
}


def _build(key, world, data):
    cls = FORMS[key]
    builder = BUILDERS.get(key, lambda w, data: {"data": data})
    return cls(**builder(world, data))


def _input_names(form):
    """The names the form reads from the submitted data: one per input, several for a date."""
    names = {}
    for bound in form:
        widget = bound.field.widget
        subnames = getattr(widget, "widgets_names", None)
        if subnames and isinstance(widget, forms.MultiWidget):
            for suffix, sub in zip(subnames, widget.widgets, strict=True):
                names[bound.html_name + suffix] = (bound.field, sub)
        else:
            names[bound.html_name] = (bound.field, widget)
    return names


def _choices(field):
    choices = []
    for value, _label in getattr(field, "choices", None) or []:
        if isinstance(_label, list | tuple):  # an optgroup
            choices.extend(str(v) for v, _ in _label)
        else:
            choices.append(str(value))
    return [choice for choice in choices if choice]


def _value_strategy(field):
    options = [TEXT]
    choices = _choices(field)
    if choices:
        options.append(st.sampled_from(choices))
    if isinstance(field, forms.BooleanField):
        options.append(st.sampled_from(["on", "true", "false", "1"]))
    return st.lists(st.one_of(*options), min_size=1, max_size=3)


def _assert_answers(form):
    valid = form.is_valid()
    assert isinstance(valid, bool)
    for field, errors in form.errors.items():
        assert isinstance(field, str)
        for message in errors:
            assert isinstance(message, str) and message
    form.errors.as_json()


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(FORMS))
def test_every_form_answers_arbitrary_text_with_errors(world, key):
    names = _input_names(_build(key, world, None))
    strategy = st.fixed_dictionaries({name: _value_strategy(field) for name, (field, _widget) in names.items()})

    @FUZZ
    @given(values=strategy)
    def check(values):
        _assert_answers(_build(key, world, MultiValueDict(values)))

    check()


def test_every_form_is_fuzzed():
    """A form that needs more than data to be built needs a BUILDERS entry here."""
    assert "audits.returns.forms.SectionForm" in FORMS
    assert len(FORMS) >= 30


# --- Through the pages: arbitrary text posted to a few forms, signed in as who may post them ---

PAGE_FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))


def _posted(strategy_names):
    return st.fixed_dictionaries({name: st.lists(TEXT, min_size=1, max_size=2) for name in strategy_names})


def _post(client, url, values):
    response = client.post(url, values)
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert "govuk-error-summary" in response.text
    return response


@pytest.mark.django_db
def test_tool_section_page_answers_arbitrary_text(client, tool_a, lead_a):
    section = tool_selectors.sections_of(tool_a)[0]
    url = reverse("audits:tool-section", kwargs={"pk": tool_a.pk, "section_pk": section.pk})
    names = [name for name in _input_names(_section_form(tool_a, section)) if name != "revision"]
    client.force_login(lead_a)

    @PAGE_FUZZ
    @given(values=_posted(names), stale=st.booleans(), draft=st.booleans())
    def check(values, stale, draft):
        revision = "0" if stale else str(tool_selectors.section_revision(tool_a, section))
        action = {"save-draft": ""} if draft else {}
        response = client.post(url, {**values, "revision": revision, **action})
        assert response.status_code in (200, 302), response.status_code

    check()


def _section_form(tool, section):
    from audits.returns.forms import SectionForm

    return SectionForm(questions=list(section.questions.all()))


@pytest.mark.django_db
def test_chronology_entry_page_answers_arbitrary_text(client, chronology_a, auditor_a):
    from audits.returns.forms import EntryForm

    url = reverse("audits:entry-add", kwargs={"pk": chronology_a.pk})
    client.force_login(auditor_a)

    @PAGE_FUZZ
    @given(values=_posted(_input_names(EntryForm())))
    def check(values):
        _post(client, url, values)

    check()


@pytest.mark.django_db
def test_round_plan_page_answers_arbitrary_text(client, audit_round, coordinator):
    from audits.rounds.forms import RoundForm

    url = reverse("audits:round-edit", kwargs={"pk": audit_round.pk})
    client.force_login(coordinator)

    @PAGE_FUZZ
    @given(values=_posted(_input_names(RoundForm())))
    def check(values):
        _post(client, url, values)

    check()


@pytest.mark.django_db
def test_learning_point_page_answers_arbitrary_text(client, open_case, coordinator):
    from audits.meetings.forms import LearningPointForm

    meeting = factories.MeetingFactory(round=open_case.round)
    url = reverse("audits:learning-add", kwargs={"pk": meeting.pk, "number": open_case.number, "kind": "finding"})
    client.force_login(coordinator)

    @PAGE_FUZZ
    @given(values=_posted(_input_names(LearningPointForm(kind="finding", case=open_case))))
    def check(values):
        _post(client, url, values)

    check()


@pytest.mark.django_db
def test_sign_in_page_answers_arbitrary_text(client, coordinator):
    """(With a user in the table: SQLite checks a case-insensitive match only against rows.)"""
    url = reverse("sign-in")

    @PAGE_FUZZ
    @given(values=_posted(["username", "password"]))
    def check(values):
        response = client.post(url, values)
        assert response.status_code in (200, 403, 429), response.status_code  # 429: locked out

    check()


# --- Regression: a key too big for the database is "not one of the choices", not a 500 ---

TOO_BIG = str(2**63)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("audits.rounds.forms.CaseForm", "needs"),
        ("audits.rounds.forms.CaseAgenciesForm", "agencies"),
        ("audits.learning.forms.RoundLearningForm", "evidence_cases"),
        ("audits.learning.forms.RoundLearningForm", "themes"),
        ("audits.meetings.forms.LearningPointForm", "agencies"),
        ("audits.meetings.forms.LearningPointForm", "themes"),
    ],
)
def test_a_key_too_big_for_the_database_is_not_a_choice(world, key, field):
    form = _build(key, world, MultiValueDict({field: [TOO_BIG]}))
    assert not form.is_valid()
    assert "not one of the available choices" in " ".join(form.errors[field])


@pytest.mark.django_db
def test_a_case_page_refuses_a_need_too_big_for_the_database(client, case, coordinator):
    client.force_login(coordinator)
    url = reverse("audits:case-edit", kwargs={"pk": case.round_id, "number": case.number})
    response = client.post(url, {"summary": "Child 1.", "plan_type": "cin", "needs": [TOO_BIG]})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text


@pytest.mark.django_db
def test_a_huge_username_is_an_error_not_a_500(client, coordinator):
    """(SQLite checks a LIKE pattern only against rows: the table must hold a user.)"""
    response = client.post(reverse("sign-in"), {"username": "x" * 60_000, "password": "secret"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text


@pytest.mark.django_db
def test_a_huge_year_is_an_error_not_a_500(client, chronology_a, lead_a):
    client.force_login(lead_a)
    url = reverse("audits:entry-add", kwargs={"pk": chronology_a.pk})
    data = {"date_0": "1", "date_1": "1", "date_2": "2200000000", "event_type": "home_visit", "what_happened": "x"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text


# --- Query strings: arbitrary filters and page numbers on the pages that read them ---

QUERY_VALUE = st.one_of(TEXT.map(lambda text: text[:300]), st.sampled_from(["²", "١٢", "9" * 30, "-1", "0", "2026"]))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "role", "names"),
    [
        ("audits:round-list", "coordinator", ["area", "year", "status"]),
        ("audits:library", "board_viewer", ["q", "kind", "theme", "area", "year", "agency", "page"]),
        ("audits:action-list", "coordinator", ["area", "round", "agency", "status", "rag", "overdue"]),
        ("access-log", "administrator", ["kind", "email", "page", "date_from_0", "date_from_1", "date_from_2"]),
    ],
)
def test_list_pages_answer_arbitrary_query_strings(client, request, open_case, url_name, role, names):
    client.force_login(request.getfixturevalue(role))
    url = reverse(url_name)

    @PAGE_FUZZ
    @given(values=st.fixed_dictionaries({}, optional=dict.fromkeys(names, QUERY_VALUE)))
    def check(values):
        response = client.get(url, values)
        assert response.status_code in (200, 302), response.status_code

    check()


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["²", "99999"])
def test_the_round_list_ignores_a_year_that_is_not_one(client, coordinator, year):
    client.force_login(coordinator)
    assert client.get(reverse("audits:round-list"), {"year": year}).status_code == 200


@pytest.mark.django_db
def test_learning_from_a_point_ignores_a_from_that_is_not_a_number(client, open_case, coordinator):
    client.force_login(coordinator)
    url = reverse("audits:round-learning-add", kwargs={"pk": open_case.round_id, "kind": "key-message"})
    assert client.get(url, {"from": "²"}).status_code in (200, 404)
