"""Filling in an audit tool, section by section, without ever losing what someone typed."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from audits.models import (
    AuditTool,
    Chronology,
    ChronologyEntry,
    TemplateQuestion,
    TemplateSection,
    ToolAnswer,
    ToolSectionState,
)
from audits.returns import lifecycle as returns


class SectionConflictError(Exception):
    """Someone else saved this section since the editor opened it; nothing was saved."""

    def __init__(self, state: ToolSectionState):
        super().__init__("conflict")
        self.state = state


@dataclass
class Missing:
    section: TemplateSection
    question: TemplateQuestion


def sections_of(tool: AuditTool):
    return list(tool.template_version.sections.prefetch_related("questions"))


def answers_by_question(tool: AuditTool) -> dict[int, ToolAnswer]:
    return {answer.question_id: answer for answer in tool.answers.select_related("question")}


def section_revision(tool: AuditTool, section: TemplateSection) -> int:
    state = ToolSectionState.objects.filter(tool=tool, section=section).first()
    return state.revision if state else 0


@transaction.atomic
def tool_section_save(*, actor, tool: AuditTool, section: TemplateSection, revision: int, answers: dict) -> int:
    """Save a section's answers (``{question_id: (choice, text)}``) made from ``revision``.

    Raises SectionConflictError, saving nothing, when someone saved the section after that revision.
    Returns the new revision."""
    tool = AuditTool.objects.select_for_update().get(pk=tool.pk)
    returns._require_member(actor, tool, lead=False)
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
        answer._history_user = actor
        answer.save()
    state.revision += 1
    state.updated_by = actor
    state.save()
    return state.revision


def tool_missing_answers(tool: AuditTool) -> list[Missing]:
    answers = answers_by_question(tool)
    missing = []
    for section in sections_of(tool):
        for question in section.questions.all():
            answer = answers.get(question.pk)
            if question.required and not (answer and answer.is_answered):
                missing.append(Missing(section=section, question=question))
    return missing


def tool_submit(*, actor, tool: AuditTool) -> AuditTool:
    """Submit a tool whose required questions are all answered (checked under the row lock)."""

    def problems(locked):
        return [f"Answer '{m.question.prompt}' in {m.section.title}" for m in tool_missing_answers(locked)]

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


def _locked(chronology: Chronology) -> Chronology:
    return Chronology.objects.select_for_update().get(pk=chronology.pk)


@transaction.atomic
def entry_save(*, actor, chronology: Chronology, entry: ChronologyEntry | None = None, **fields) -> ChronologyEntry:
    """Add an entry, or change ``entry``, in a chronology the actor's agency owns."""
    chronology = _locked(chronology)
    returns._require_member(actor, chronology, lead=False)
    returns.mark_draft(actor=actor, item=chronology)
    if entry is None:
        entry = ChronologyEntry(chronology=chronology, created_by=actor)
    elif entry.chronology_id != chronology.pk:
        raise ValueError("entry belongs to another chronology")
    for name in ENTRY_FIELDS:
        if name in fields:
            setattr(entry, name, fields[name])
    entry.updated_by = actor
    entry.full_clean()
    entry._history_user = actor
    entry.save()
    return entry


@transaction.atomic
def entry_delete(*, actor, entry: ChronologyEntry) -> None:
    chronology = _locked(entry.chronology)
    returns._require_member(actor, chronology, lead=False)
    returns.mark_draft(actor=actor, item=chronology)
    entry._history_user = actor
    entry.delete()


@transaction.atomic
def entries_import(*, actor, chronology: Chronology, entries: list[dict]) -> list[ChronologyEntry]:
    """Add already-validated entries (from a spreadsheet) all together, or none."""
    chronology = _locked(chronology)
    returns._require_member(actor, chronology, lead=False)
    returns.mark_draft(actor=actor, item=chronology)
    created = []
    for fields in entries:
        entry = ChronologyEntry(chronology=chronology, created_by=actor, updated_by=actor)
        for name in ENTRY_FIELDS:
            if name in fields:
                setattr(entry, name, fields[name])
        entry.full_clean()
        entry._history_user = actor
        entry.save()
        created.append(entry)
    return created


def chronology_submit(*, actor, chronology: Chronology) -> Chronology:
    """Submit a chronology with at least one entry (checked under the row lock)."""

    def problems(locked):
        return [] if locked.entries.exists() else ["Add at least one entry before submitting the chronology."]

    return returns.return_submit(actor=actor, item=chronology, problems=problems)
