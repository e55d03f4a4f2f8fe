"""Filling in an audit tool, section by section, without ever losing what someone typed."""

from django.core.exceptions import ValidationError
from django.db import transaction

from audits.models import AuditTool, Chronology, ChronologyEntry, TemplateSection, ToolAnswer, ToolSectionState
from audits.returns import lifecycle as returns
from audits.returns.permissions import require_member
from audits.returns.selectors import tool_missing_answers
from lib.models import delete_by, locked, save_history_by


class SectionConflictError(Exception):
    """Someone else saved this section since the editor opened it; nothing was saved."""

    def __init__(self, state: ToolSectionState):
        super().__init__("conflict")
        self.state = state


@transaction.atomic
def tool_section_save(*, actor, tool: AuditTool, section: TemplateSection, revision: int, answers: dict) -> int:
    """Save a section's answers (``{question_id: (choice, text)}``) made from ``revision``.

    Raises SectionConflictError, saving nothing, when someone saved the section after that revision.
    Returns the new revision."""
    tool = locked(tool)
    require_member(actor, tool)
    if section.version_id != tool.template_version_id:
        raise ValidationError("That section is not part of this audit tool.")
    state, _ = ToolSectionState.objects.select_for_update().get_or_create(tool=tool, section=section)
    if state.revision != revision:
        raise SectionConflictError(state)
    returns.mark_draft(actor=actor, item=tool)
    questions = {q.pk: q for q in section.questions.all()}
    existing = {a.question_id: a for a in ToolAnswer.objects.filter(tool=tool, question__in=questions)}
    for question_id, (choice, text) in answers.items():
        question = questions[question_id]
        if choice and choice not in dict(question.choices):
            raise ValidationError(f"Choose one of the answers for: {question.prompt}")
        answer = existing.get(question_id) or ToolAnswer(tool=tool, question=question)
        if (answer.choice, answer.text) == (choice or "", text or "") and answer.pk:
            continue
        answer.choice = choice or ""
        answer.text = text or ""
        answer.updated_by = actor
        save_history_by(answer, actor)
        answer.save()
    state.revision += 1
    state.updated_by = actor
    state.save()
    return state.revision


def tool_submit(*, actor, tool: AuditTool) -> AuditTool:
    """Submit a tool whose required questions are all answered (checked under the row lock)."""

    def problems(item):
        return [f"Answer '{m.question.prompt}' in {m.section.title}" for m in tool_missing_answers(item)]

    return returns.return_submit(actor=actor, item=tool, problems=problems)


ENTRY_FIELDS = [
    "date",
    "time",
    "date_is_approximate",
    "event_type",
    "what_happened",
    "action_outcome",
    "practitioner_role",
    "key_event",
]


@transaction.atomic
def entry_save(*, actor, chronology: Chronology, entry: ChronologyEntry | None = None, **fields) -> ChronologyEntry:
    """Add an entry, or change ``entry``, in a chronology the actor's agency owns."""
    chronology = locked(chronology)
    require_member(actor, chronology)
    returns.mark_draft(actor=actor, item=chronology)
    if entry is None:
        entry = ChronologyEntry(chronology=chronology)
    elif entry.chronology_id != chronology.pk:
        raise ValueError("entry belongs to another chronology")
    for name in ENTRY_FIELDS:
        if name in fields:
            setattr(entry, name, fields[name])
    entry.full_clean()
    entry.save_by(actor)
    return entry


@transaction.atomic
def entry_delete(*, actor, entry: ChronologyEntry) -> None:
    chronology = locked(entry.chronology)
    require_member(actor, chronology)
    returns.mark_draft(actor=actor, item=chronology)
    delete_by(entry, actor)


@transaction.atomic
def entries_import(*, actor, chronology: Chronology, entries: list[dict]) -> list[ChronologyEntry]:
    """Add already-validated entries (from a spreadsheet) all together, or none."""
    chronology = locked(chronology)
    require_member(actor, chronology)
    returns.mark_draft(actor=actor, item=chronology)
    created = []
    for fields in entries:
        entry = ChronologyEntry(chronology=chronology)
        for name in ENTRY_FIELDS:
            if name in fields:
                setattr(entry, name, fields[name])
        entry.full_clean()
        entry.save_by(actor)
        created.append(entry)
    return created


def chronology_submit(*, actor, chronology: Chronology) -> Chronology:
    """Submit a chronology with at least one entry (checked under the row lock)."""

    def problems(item):
        return [] if item.entries.exists() else ["Add at least one entry before submitting the chronology."]

    return returns.return_submit(actor=actor, item=chronology, problems=problems)
