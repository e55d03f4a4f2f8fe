"""A round's learning page: the meeting's strengths and findings per case, then the key
messages, recommendations and good practice across cases that the coordinator writes, orders
and removes, starting from what the meeting recorded."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits.learning import services
from audits.learning.forms import RoundLearningForm
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

KINDS = {
    "key-message": LearningPoint.Kind.KEY_MESSAGE,
    "recommendation": LearningPoint.Kind.RECOMMENDATION,
    "good-practice": LearningPoint.Kind.GOOD_PRACTICE,
}
SLUGS = {kind: slug for slug, kind in KINDS.items()}
ARTICLES = {
    LearningPoint.Kind.KEY_MESSAGE: "a key message",
    LearningPoint.Kind.RECOMMENDATION: "a recommendation",
    LearningPoint.Kind.GOOD_PRACTICE: "good practice",
}


def _page_url(audit_round, kind="") -> str:
    url = reverse("audits:round-learning", args=[audit_round.pk])
    return url + (f"#{SLUGS[kind]}s" if kind else "")


@require_GET
def learning_page(request, pk):
    audit_round = get_round_learning_for_user(request.user, pk)
    return render(
        request,
        "learning/round_learning.html",
        {
            "round": audit_round,
            "learning": round_learning(audit_round),
            "can_manage": can_manage_learning(request.user),
            "writable": audit_round.is_writable,
            "opened": audit_round.has_opened,
        },
    )


@require_http_methods(["GET", "POST"])
def learning_add(request, pk, kind):
    audit_round = get_round_learning_for_user(request.user, pk, manage=True)
    if kind not in KINDS:
        raise Http404
    kind = KINDS[kind]
    source = None
    if (point_id := as_id(request.GET.get("from"))) is not None:
        source = get_case_point_for_user(request.user, audit_round, point_id)
    initial = RoundLearningForm.initial_from(source) if source else None
    form = RoundLearningForm(form_data(request), kind=kind, audit_round=audit_round, initial=initial)
    if save_form(
        request,
        form,
        lambda: services.round_learning_add(
            actor=request.user, audit_round=audit_round, kind=kind, **form.service_arguments()
        ),
        success=f"{kind.label} added.",
    ):
        return redirect(_page_url(audit_round, kind))
    return render(
        request,
        "learning/point_form.html",
        {
            "form": form,
            "round": audit_round,
            "kind": kind,
            "article": ARTICLES[kind],
            "source": source,
            "adding": True,
            "writable": audit_round.is_writable,
            "opened": audit_round.has_opened,
        },
    )


@require_http_methods(["GET", "POST"])
def learning_edit(request, pk, point_pk):
    audit_round, point = get_round_point_for_user(request.user, pk, point_pk)
    kind = LearningPoint.Kind(point.kind)
    form = RoundLearningForm(
        form_data(request),
        kind=kind,
        audit_round=audit_round,
        point=point,
        initial=RoundLearningForm.initial_for(point),
    )
    if save_form(
        request,
        form,
        lambda: services.round_learning_update(actor=request.user, point=point, **form.service_arguments()),
        success=f"{kind.label} saved.",
    ):
        return redirect(_page_url(audit_round, kind))
    return render(
        request,
        "learning/point_form.html",
        {
            "form": form,
            "round": audit_round,
            "kind": kind,
            "article": ARTICLES[kind],
            "point": point,
            "writable": audit_round.is_writable,
            "opened": audit_round.has_opened,
        },
    )


@require_http_methods(["GET", "POST"])
def learning_remove(request, pk, point_pk):
    audit_round, point = get_round_point_for_user(request.user, pk, point_pk)
    kind = LearningPoint.Kind(point.kind)
    if request.method == "POST":
        run(
            request,
            lambda: services.round_learning_remove(actor=request.user, point=point),
            success=f"{kind.label} removed.",
        )
        return redirect(_page_url(audit_round, kind))
    return render(
        request,
        "learning/point_remove.html",
        {
            "round": audit_round,
            "kind": kind,
            "point": point,
            "article": ARTICLES[kind],
            "thing": kind.label.lower(),
            "back_url": _page_url(audit_round),
            "caption": f"{audit_round.title}: learning",
        },
    )


@require_POST
def learning_move(request, pk, point_pk):
    audit_round, point = get_round_point_for_user(request.user, pk, point_pk)
    direction = request.POST.get("direction", "")
    run(request, lambda: services.round_learning_move(actor=request.user, point=point, direction=direction))
    url = reverse("audits:round-learning", args=[audit_round.pk])
    return redirect(f"{url}#point-{point.pk}")
