"""Filling in an audit tool, section by section, without ever losing what someone typed."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from audits.models import AuditTool, Chronology, ChronologyEntry, TemplateSection, ToolAnswer, ToolSectionState
from audits.returns import chronology_io
from audits.returns import lifecycle as returns
from audits.returns.permissions import require_member
from audits.returns.selectors import tool_missing_answers
from lib.models import delete_by, locked, save_history_by

# An import's rows go in by the thousand. Its foreign keys are the chronology (locked) and the
# actor, set by the import itself: known good, so not looked up again for every row.
IMPORT_KNOWN_FIELDS = ["chronology", "created_by", "updated_by"]
IMPORT_BATCH = 1000


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


class EntryConflictError(Exception):
    """Someone else saved this entry since the editor opened it; nothing was saved."""

    def __init__(self, entry: ChronologyEntry):
        super().__init__("conflict")
        self.entry = entry


def _entry_of(chronology: Chronology, entry: ChronologyEntry) -> ChronologyEntry:
    """``entry`` read again under a row lock, refused unless it belongs to ``chronology``."""
    if entry.chronology_id != chronology.pk:
        raise ValueError("entry belongs to another chronology")
    current = ChronologyEntry.objects.select_for_update().filter(pk=entry.pk).first()
    if current is None:
        raise ValidationError("This entry has been deleted since you opened it.")
    return current


def _set_fields(entry: ChronologyEntry, fields: dict) -> None:
    for name in ENTRY_FIELDS:
        if name in fields:
            setattr(entry, name, fields[name])


@transaction.atomic
def entry_save(
    *, actor, chronology: Chronology, entry: ChronologyEntry | None = None, revision: int | None = None, **fields
) -> ChronologyEntry:
    """Add an entry, or change ``entry``, in a chronology the actor's agency owns.

    A change made from ``revision`` raises EntryConflictError, saving nothing, when someone saved
    the entry after that revision (``None``: no check, for callers that just read it)."""
    chronology = locked(chronology)
    require_member(actor, chronology)
    if entry is None:
        entry = ChronologyEntry(chronology=chronology)
    else:
        entry = _entry_of(chronology, entry)
        if revision is not None and entry.revision != revision:
            raise EntryConflictError(entry)
        entry.revision += 1
    returns.mark_draft(actor=actor, item=chronology)
    _set_fields(entry, fields)
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
def entries_delete(*, actor, chronology: Chronology, revisions: dict[int, int]) -> int:
    """Delete the entries ``revisions`` names (``{entry pk: revision}``, as the person confirming
    saw them), all or none: refused if any was changed or deleted since. Returns how many."""
    chronology = locked(chronology)
    require_member(actor, chronology)
    if not revisions:
        raise ValidationError("Select the entries to delete.")
    entries = list(chronology.entries.select_for_update().filter(pk__in=revisions))
    if len(entries) != len(revisions) or any(entry.revision != revisions[entry.pk] for entry in entries):
        raise ValidationError(
            "Someone changed or deleted some of these entries since you selected them. Nothing has been "
            "deleted: check the entries and select them again."
        )
    returns.mark_draft(actor=actor, item=chronology)
    for entry in entries:
        delete_by(entry, actor)
    return len(entries)


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int
    removed: int


@transaction.atomic
def entries_import(
    *,
    actor,
    chronology: Chronology,
    entries: list[dict],
    replace: bool = False,
    keep_duplicates: bool = False,
    seen_state: str | None = None,
) -> ImportResult:
    """Import already-validated rows (from a spreadsheet) all together, or none.

    Adding skips rows that exactly duplicate an entry already there (``chronology_io.plan_import``)
    unless ``keep_duplicates``; replacing deletes every entry first. ``seen_state`` is the
    ``plan_import`` state the person confirming previewed: refused if the entries changed since."""
    chronology = locked(chronology)
    require_member(actor, chronology)
    existing = list(chronology.entries.select_for_update())
    plan = chronology_io.plan_import(existing, entries, replace=replace)
    if seen_state is not None and plan.state != seen_state:
        raise ValidationError(
            "Someone changed this chronology's entries since you looked at the preview. Nothing has been "
            "imported yet: check the preview again, then confirm."
        )
    adding = plan.adding(keep_duplicates=keep_duplicates)
    new_entries = _import_entries(actor, chronology, adding)
    returns.mark_draft(actor=actor, item=chronology)
    _entries_delete_by(plan.to_remove, actor)
    # One insert per batch, the history rows ("+", naming the actor, as save_by records) too.
    bulk_create_with_history(
        new_entries, ChronologyEntry, batch_size=IMPORT_BATCH, default_user=actor, default_change_reason=None
    )
    return ImportResult(added=len(adding), skipped=len(entries) - len(adding), removed=len(plan.to_remove))


def _import_entries(actor, chronology: Chronology, rows: list[dict]) -> list[ChronologyEntry]:
    """The rows as unsaved entries, every field validated as ``full_clean`` would (a bad row
    raises ValidationError before anything changes) but the foreign keys the import sets itself."""
    new_entries = []
    for fields in rows:
        entry = ChronologyEntry(chronology=chronology, created_by=actor, updated_by=actor)
        _set_fields(entry, fields)
        entry.full_clean(exclude=IMPORT_KNOWN_FIELDS, validate_unique=False, validate_constraints=False)
        new_entries.append(entry)
    return new_entries


def _entries_delete_by(entries: list[ChronologyEntry], actor) -> None:
    """Delete ``entries`` (read under the chronology's lock) in bulk, with the history rows
    ``delete_by`` makes one at a time: "-", the entry's fields, the actor as author, no reason.

    Nothing refers to an entry (no cascade) and history is the only receiver of its delete
    signals, which is why the rows can go with one DELETE per batch and no per-row signal."""
    if not entries:
        return
    history = ChronologyEntry.history.model
    when = timezone.now()
    history.objects.bulk_create(
        [
            history(
                history_date=when,
                history_type="-",
                history_user=actor,
                history_change_reason=None,
                **{field.attname: getattr(entry, field.attname) for field in history.tracked_fields},
            )
            for entry in entries
        ],
        batch_size=IMPORT_BATCH,
    )
    pks = [entry.pk for entry in entries]
    for start in range(0, len(pks), IMPORT_BATCH):
        batch = ChronologyEntry.objects.filter(pk__in=pks[start : start + IMPORT_BATCH])
        batch._raw_delete(batch.db)


def chronology_submit(*, actor, chronology: Chronology) -> Chronology:
    """Submit a chronology with at least one entry (checked under the row lock)."""

    def problems(item):
        return [] if item.entries.exists() else ["Add at least one entry before submitting the chronology."]

    return returns.return_submit(actor=actor, item=chronology, problems=problems)
