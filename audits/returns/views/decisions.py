"""A coordinator's decision on submitted work, shared by audit tools and chronologies."""

from django.shortcuts import redirect, render

from audits.returns import lifecycle
from audits.returns.forms import ReturnCommentForm
from lib.forms import form_data
from lib.views import run, save_form


def decide_return(request, item, *, template_back):
    """Return submitted work to the agency with a comment saying what to change."""
    form = ReturnCommentForm(form_data(request))
    if save_form(
        request,
        form,
        lambda: lifecycle.return_send_back(actor=request.user, item=item, comment=form.cleaned_data["comment"]),
        success="Returned to the agency with your comment.",
    ):
        return redirect(item)
    return render(request, "returns/tools/return_form.html", {"form": form, "item": item, "back": template_back})


def decide_accept(request, item):
    """Accept submitted work."""
    run(request, lambda: lifecycle.return_accept(actor=request.user, item=item), success="Accepted.")
    return redirect(item)
