"""A round's learning page: the meeting's strengths and findings per case, then the learning
written for the round, of every kind (strengths, findings, key messages, recommendations, good
practice), each citing any of the round's cases or none, which the coordinator writes (one at a
time or several as a list), orders and removes, starting from what the meeting recorded.

``<kind>`` in the URL is a kind's slug ("finding": add one) or its plural ("findings": add
several, one per list item). Adding and changing return to the page the author came from
(``next``, when it is this site's) at the point, else to this page."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits.learning import services
from audits.learning.forms import NOUNS, RoundLearningForm, RoundSeveralForm
from audits.learning.navigation import return_url
from audits.learning.permissions import (
    can_manage_learning,
    get_case_point_for_user,
    get_round_learning_for_user,
    get_round_point_for_user,
)
from audits.learning.selectors import round_learning
from audits.models import LearningPoint
from lib.forms import as_id, form_data
from lib.views import run, save_form

Kind = LearningPoint.Kind
KINDS = {
    "strength": Kind.STRENGTH,
    "finding": Kind.FINDING,
    "key-message": Kind.KEY_MESSAGE,
    "recommendation": Kind.RECOMMENDATION,
    "good-practice": Kind.GOOD_PRACTICE,
}
SLUGS = {kind: slug for slug, kind in KINDS.items()}
# Adding several; also the anchors of the page's sections.
SEVERAL = {f"{slug}s": kind for slug, kind in KINDS.items()}
SECTIONS = {kind: slug for slug, kind in SEVERAL.items()}
ARTICLES = {
    Kind.STRENGTH: "a strength",
    Kind.FINDING: "a finding",
    Kind.KEY_MESSAGE: "a key message",
    Kind.RECOMMENDATION: "a recommendation",
    Kind.GOOD_PRACTICE: "good practice",
}
TITLES = {
    Kind.STRENGTH: "Strengths across the round",
    Kind.FINDING: "Findings across the round",
    Kind.KEY_MESSAGE: "Key messages",
    Kind.RECOMMENDATION: "Recommendations",
    Kind.GOOD_PRACTICE: "Good practice",
}
INTROS = {
    Kind.STRENGTH: "Strengths seen in several cases, or in the round as a whole.",
    Kind.FINDING: "Findings seen in several cases, or in the round as a whole.",
}


def _page_url(audit_round) -> str:
    return reverse("audits:round-learning", args=[audit_round.pk])


@require_GET
def learning_page(request, pk):
    audit_round = get_round_learning_for_user(request.user, pk)
    learning = round_learning(audit_round)
    sections = [
        {
            "kind": kind,
            "id": SECTIONS[kind],
            "slug": SLUGS[kind],
            "title": TITLES[kind],
            "intro": INTROS.get(kind, ""),
            "article": ARTICLES[kind],
            "plural": NOUNS[kind][1],
            "points": learning["round"][kind],
        }
        for kind in Kind
    ]
    return render(
        request,
        "learning/round_learning.html",
        {
            "round": audit_round,
            "cases": learning["cases"],
            "sections": sections,
            "can_manage": can_manage_learning(request.user),
            "writable": audit_round.is_writable,
            "opened": audit_round.has_opened,
        },
    )


def _form_context(audit_round, kind, form, **extra) -> dict:
    return {
        "form": form,
        "round": audit_round,
        "kind": kind,
        "article": ARTICLES[kind],
        "writable": audit_round.is_writable,
        "opened": audit_round.has_opened,
        "has_cases": "evidence_cases" in form.fields,
        **extra,
    }


@require_http_methods(["GET", "POST"])
def learning_add(request, pk, kind):
    audit_round = get_round_learning_for_user(request.user, pk, manage=True)
    if kind in SEVERAL:
        return _learning_add_several(request, audit_round, SEVERAL[kind])
    if kind not in KINDS:
        raise Http404
    kind = KINDS[kind]
    source = None
    if (point_id := as_id(request.GET.get("from"))) is not None:
        source = get_case_point_for_user(request.user, audit_round, point_id)
    initial = RoundLearningForm.initial_from(source) if source else None
    form = RoundLearningForm(form_data(request), kind=kind, audit_round=audit_round, initial=initial)
    if saved := save_form(
        request,
        form,
        lambda: services.round_learning_add(
            actor=request.user, audit_round=audit_round, kind=kind, **form.service_arguments()
        ),
        success=f"{kind.label} added.",
    ):
        return redirect(return_url(request, _page_url(audit_round), f"point-{saved.result.pk}"))
    back = return_url(request, _page_url(audit_round), SECTIONS[kind])
    return render(
        request,
        "learning/point_form.html",
        _form_context(audit_round, kind, form, source=source, adding=True, back_url=back),
    )


def _learning_add_several(request, audit_round, kind):
    form = RoundSeveralForm(form_data(request), kind=kind, audit_round=audit_round)
    noun, plural = NOUNS[kind]
    if saved := save_form(
        request,
        form,
        lambda: services.round_learning_add_several(
            actor=request.user, audit_round=audit_round, kind=kind, **form.service_arguments()
        ),
        success=lambda points: f"{len(points)} {noun if len(points) == 1 else plural} added.",
    ):
        return redirect(return_url(request, _page_url(audit_round), f"point-{saved.result[0].pk}"))
    back = return_url(request, _page_url(audit_round), SECTIONS[kind])
    return render(
        request,
        "learning/several_form.html",
        _form_context(audit_round, kind, form, plural=plural, back_url=back),
    )


@require_http_methods(["GET", "POST"])
def learning_edit(request, pk, point_pk):
    audit_round, point = get_round_point_for_user(request.user, pk, point_pk)
    kind = Kind(point.kind)
    form = RoundLearningForm(
        form_data(request),
        kind=kind,
        audit_round=audit_round,
        point=point,
        initial=RoundLearningForm.initial_for(point),
    )
    back = return_url(request, _page_url(audit_round), f"point-{point.pk}")
    if save_form(
        request,
        form,
        lambda: services.round_learning_update(actor=request.user, point=point, **form.service_arguments()),
        success=f"{kind.label} saved.",
    ):
        return redirect(back)
    return render(
        request,
        "learning/point_form.html",
        _form_context(audit_round, kind, form, point=point, back_url=back),
    )


@require_http_methods(["GET", "POST"])
def learning_remove(request, pk, point_pk):
    audit_round, point = get_round_point_for_user(request.user, pk, point_pk)
    kind = Kind(point.kind)
    if request.method == "POST":
        run(
            request,
            lambda: services.round_learning_remove(actor=request.user, point=point),
            success=f"{kind.label} removed.",
        )
        return redirect(return_url(request, _page_url(audit_round), SECTIONS[kind]))
    return render(
        request,
        "learning/point_remove.html",
        {
            "round": audit_round,
            "kind": kind,
            "point": point,
            "article": ARTICLES[kind],
            "thing": kind.label.lower(),
            "back_url": return_url(request, _page_url(audit_round), f"point-{point.pk}"),
            "caption": f"{audit_round.title}: learning",
        },
    )


@require_POST
def learning_move(request, pk, point_pk):
    audit_round, point = get_round_point_for_user(request.user, pk, point_pk)
    direction = request.POST.get("direction", "")
    run(request, lambda: services.round_learning_move(actor=request.user, point=point, direction=direction))
    return redirect(f"{_page_url(audit_round)}#point-{point.pk}")
