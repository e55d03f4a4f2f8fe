"""What agencies owe for each case (an audit tool and a chronology) and their shared lifecycle:
not started -> draft -> submitted -> accepted, or submitted -> returned (with a comment) -> draft.
While the agency has it, its lead may give it to one of its auditors, who marks it ready for the lead;
only the lead submits."""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audits.models import AuditRound, AuditTool, Case, Chronology, ToolSectionState, ToolTemplate, WorkStatus
from audits.returns import permissions, selectors, tasks
from audits.tool_templates.selectors import template_version_problems
from lib.models import locked


@transaction.atomic
def pin_template_version(audit_round: AuditRound) -> None:
    """Pin the latest version of the round's template (or the default one) as the round opens."""
    template = audit_round.tool_template or ToolTemplate.objects.filter(is_default=True).first()
    if template is not None:
        # Template edits take this lock too: a version being edited in place is not pinned mid-edit.
        template = ToolTemplate.objects.select_for_update().get(pk=template.pk)
    if template is None or template.current_version is None:
        raise ValidationError("There is no audit tool template: an administrator needs to create one.")
    if template_version_problems(template.current_version):
        raise ValidationError(f"The audit tool template {template.name} needs at least one question first.")
    audit_round.tool_template = template
    audit_round.template_version = template.current_version


def returns_create_for_case(*, actor, case: Case) -> None:
    """Give each agency taking part in an open case its audit tool and chronology (once)."""
    permissions.require_decide(actor)
    audit_round = case.round
    for link in case.case_agencies.select_related("agency"):
        if not AuditTool.objects.filter(case=case, agency=link.agency).exists():
            AuditTool(
                case=case,
                agency=link.agency,
                template_version=audit_round.template_version,
                due_date=audit_round.tools_due_date,
            ).save_by(actor)
        if not Chronology.objects.filter(case=case, agency=link.agency).exists():
            Chronology(case=case, agency=link.agency, due_date=audit_round.tools_due_date).save_by(actor)


def move_due_date(*, actor, audit_round: AuditRound) -> None:
    """When a round's due date moves, the work still owed moves with it (not what is submitted)."""
    permissions.require_decide(actor)
    for model in (AuditTool, Chronology):
        for item in model.objects.filter(case__round=audit_round).editable():
            item.due_date = audit_round.tools_due_date
            item.save_by(actor, update_fields=["due_date"])


def mark_draft(*, actor, item) -> None:
    """Called by every edit: editing work that is not started or returned makes it a draft, and
    work marked ready for the lead is no longer ready (the lead has not seen the change)."""
    if not item.is_editable:
        raise ValidationError("This has been submitted and can no longer be changed.")
    item.status = WorkStatus.DRAFT
    item.ready_at = None
    item.save_by(actor)


def _kind(item) -> str:
    """The kind a task about ``item`` takes (``audits.returns.emails.KINDS``)."""
    return "tool" if isinstance(item, AuditTool) else "chronology"


@transaction.atomic
def return_assign(*, actor, item, auditor):
    """The agency's lead gives its return to one of its auditors, or takes it back (``None``).
    Giving it to someone new clears "ready for the lead": the new auditor has not said so."""
    item = locked(item)
    permissions.require_lead(actor, item)
    if not permissions.can_assign(actor, item):
        raise ValidationError("This has been submitted and can no longer be assigned.")
    if auditor is not None and auditor not in selectors.assignable_auditors(item):
        raise ValidationError({"auditor": "Choose one of your agency's auditors"})
    new_id = auditor.pk if auditor else None
    if item.assigned_to_id != new_id:
        item.assigned_to = auditor
        item.ready_at = None
        item.save_by(actor)
    return item


@transaction.atomic
def return_mark_ready(*, actor, item):
    """An auditor tells the agency's leads the work is ready for them to check and submit."""
    item = locked(item)
    permissions.require_member(actor, item)
    if not permissions.can_mark_ready(actor, item):
        raise ValidationError("This cannot be marked ready for the lead now.")
    item.ready_at = timezone.now()
    item.save_by(actor)
    transaction.on_commit(partial(tasks.send_ready_notice.enqueue, _kind(item), item.pk))
    return item


@transaction.atomic
def return_submit(*, actor, item, problems=None):
    """The agency's lead submits a draft; it is then read-only to everyone.

    ``problems(item)`` lists reasons the work is incomplete (missing answers, no entries); it runs
    after the row is locked, so nobody can change the work between the check and the submission."""
    item = locked(item)
    permissions.require_lead(actor, item)
    if not permissions.can_submit(actor, item):
        raise ValidationError("This has already been submitted.")
    found = list(problems(item)) if problems else []
    if found:
        raise ValidationError(found)
    item.status = WorkStatus.SUBMITTED
    item.submitted_at = timezone.now()
    item.submitted_by = actor
    item.ready_at = None
    # What the coordinator said when returning it has been dealt with: it clears on resubmission.
    item.return_comment = ""
    item.save_by(actor)
    if isinstance(item, AuditTool):
        ToolSectionState.objects.filter(tool=item).exclude(return_comment="").update(return_comment="")
    transaction.on_commit(partial(tasks.send_submission_notice.enqueue, _kind(item), item.pk))
    return item


@transaction.atomic
def return_send_back(*, actor, item, comment: str, section_comments: dict | None = None):
    """A coordinator returns submitted work to the agency with a comment saying what to change,
    and for an audit tool a comment on any of its sections (``{section_id: text}``); the agency's
    leads are e-mailed."""
    permissions.require_decide(actor)
    item = locked(item)
    if not permissions.can_review(actor, item):
        raise ValidationError("Only submitted work can be returned.")
    if not comment.strip():
        raise ValidationError({"comment": "Say what the agency needs to change"})
    section_comments = {pk: text.strip() for pk, text in (section_comments or {}).items() if text.strip()}
    if section_comments:
        if not isinstance(item, AuditTool):
            raise ValueError("only an audit tool has sections")
        sections = {s.pk: s for s in item.template_version.sections.filter(pk__in=section_comments)}
        if set(sections) != set(section_comments):
            raise ValidationError("That section is not part of this audit tool.")
        for pk, text in section_comments.items():
            state, _ = ToolSectionState.objects.select_for_update().get_or_create(tool=item, section=sections[pk])
            state.return_comment = text
            state.save(update_fields=["return_comment", "updated_at"])
    item.status = WorkStatus.RETURNED
    item.return_comment = comment.strip()
    item.decided_at = timezone.now()
    item.decided_by = actor
    item.save_by(actor)
    transaction.on_commit(partial(tasks.send_decision_notice.enqueue, _kind(item), item.pk))
    return item


@transaction.atomic
def return_accept(*, actor, item):
    """A coordinator accepts submitted work; the agency's leads are e-mailed."""
    permissions.require_decide(actor)
    item = locked(item)
    if not permissions.can_review(actor, item):
        raise ValidationError("Only submitted work can be accepted.")
    item.status = WorkStatus.ACCEPTED
    item.decided_at = timezone.now()
    item.decided_by = actor
    item.save_by(actor)
    transaction.on_commit(partial(tasks.send_decision_notice.enqueue, _kind(item), item.pk))
    return item
