"""A round's learning page: the meeting's strengths and findings per case, then the key
messages, recommendations and good practice across cases that the coordinator writes, orders
and removes, starting from what the meeting recorded."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits.learning import services
from audits.learning.forms import RoundLearningForm
from audits.learning.permissions import get_case_point_for_user, get_round_learning_for_user, get_round_point_for_user
from audits.learning.selectors import round_learning
from audits.models import AuditRound, LearningPoint
from lib.forms import add_service_errors, as_id, form_data

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


def _writable(audit_round: AuditRound) -> bool:
    return audit_round.status not in (AuditRound.Status.PLANNING, AuditRound.Status.CLOSED)


def _to_page(audit_round, kind=""):
    url = reverse("audits:round-learning", args=[audit_round.pk])
    return redirect(url + (f"#{SLUGS[kind]}s" if kind else ""))


@require_GET
def learning_page(request, pk):
    audit_round = get_round_learning_for_user(request.user, pk)
    return render(
        request,
        "learning/round_learning.html",
        {
            "round": audit_round,
            "learning": round_learning(audit_round),
            "can_manage": request.user.has_perm("audits.manage_rounds"),
            "writable": _writable(audit_round),
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
    if request.method == "POST" and form.is_valid():
        try:
            services.round_learning_add(
                actor=request.user, audit_round=audit_round, kind=kind, **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{kind.label} added.")
            return _to_page(audit_round, kind)
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
            "writable": _writable(audit_round),
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
    if request.method == "POST" and form.is_valid():
        try:
            services.round_learning_update(actor=request.user, point=point, **form.service_arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{kind.label} saved.")
            return _to_page(audit_round, kind)
    return render(
        request,
        "learning/point_form.html",
        {
            "form": form,
            "round": audit_round,
            "kind": kind,
            "article": ARTICLES[kind],
            "point": point,
            "writable": _writable(audit_round),
        },
    )


@require_http_methods(["GET", "POST"])
def learning_remove(request, pk, point_pk):
    audit_round, point = get_round_point_for_user(request.user, pk, point_pk)
    kind = LearningPoint.Kind(point.kind)
    if request.method == "POST":
        try:
            services.round_learning_remove(actor=request.user, point=point)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"{kind.label} removed.")
        return _to_page(audit_round, kind)
    return render(
        request,
        "learning/point_remove.html",
        {"round": audit_round, "kind": kind, "point": point, "article": ARTICLES[kind]},
    )


@require_POST
def learning_move(request, pk, point_pk):
    audit_round, point = get_round_point_for_user(request.user, pk, point_pk)
    try:
        services.round_learning_move(actor=request.user, point=point, direction=request.POST.get("direction", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    url = reverse("audits:round-learning", args=[audit_round.pk])
    return redirect(f"{url}#point-{point.pk}")
