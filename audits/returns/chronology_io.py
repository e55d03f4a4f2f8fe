"""Chronology spreadsheets: reading an agency's entries from CSV or XLSX, and writing entries out.

The column set is documented on the import page and in ``static/samples/``. A file with any bad row
is refused whole, every problem listed by row and column, so nothing is ever half-imported. A good
file is compared with the chronology first (``plan_import``): the person importing sees what will
be added, skipped as already there, or removed before anything changes. Every exported cell is
neutralised against spreadsheet formula injection.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass

from audits.models import ChronologyEntry
from lib import spreadsheets
from lib.spreadsheets import parse_uk_date, problems_error, read_table

COLUMNS = {
    "date": "Required. The date of the event, for example 31/01/2026, 31 January 2026 or 2026-01-31.",
    "time": "Optional. The time, as HH:MM on the 24-hour clock, for example 14:30.",
    "date_is_approximate": "Optional. Yes when the date is only approximate; blank means no.",
    "event_type": "Required. Exactly one of (capitals do not matter): "
    + ", ".join(str(label) for label in ChronologyEntry.EventType.labels)
    + ".",
    "what_happened": "Required. What happened, in plain words. Refer to the child as Child N.",
    "action_outcome": "Optional. The action taken or the outcome.",
    "practitioner_role": "Optional. The practitioner's role, for example school nurse. Never a name.",
    "key_event": "Optional. Yes for a key event; blank means no.",
}
REQUIRED_COLUMNS = ["date", "event_type", "what_happened"]

EXPORT_HEADER = [
    "date",
    "time",
    "date_is_approximate",
    "event_type",
    "what_happened",
    "action_outcome",
    "practitioner_role",
    "key_event",
]

_YES = {"yes", "y", "true", "1", "x"}
_NO = {"", "no", "n", "false", "0"}
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?::\d{2})?$")
_PRACTITIONER_ROLE_MAX = ChronologyEntry._meta.get_field("practitioner_role").max_length


def _event_key(text) -> str:
    """An event type as the file names it, compared exactly but for case and spacing."""
    return " ".join(str(text).split()).casefold()


# Exactly the labels and values of ChronologyEntry.EventType: no guessing from similar names
# (a "Visit" at school is not a home visit).
_EVENT_TYPES = {}
for _value, _label in ChronologyEntry.EventType.choices:
    _EVENT_TYPES[_event_key(_value)] = _value
    _EVENT_TYPES[_event_key(_label)] = _value
ALLOWED_EVENT_TYPES = ", ".join(str(label) for label in ChronologyEntry.EventType.labels)
_SHOWN_VALUE_MAX = 40


def unknown_event_type(raw) -> str:
    shown = str(raw) if len(str(raw)) <= _SHOWN_VALUE_MAX else str(raw)[: _SHOWN_VALUE_MAX - 1] + "…"
    return f'event_type: "{shown}" is not a type of event; use one of: {ALLOWED_EVENT_TYPES}'


def _unneutralised(text: str) -> str:
    """Text as it was before an export neutralised it (``lib.spreadsheets.safe_cell`` puts an
    apostrophe before a leading = + - @, tab or carriage return), so an exported chronology
    imports as the same entries."""
    if text.startswith("'") and text[1:].startswith(spreadsheets.FORMULA_STARTS):
        return text[1:]
    return text


def parse_time(value) -> datetime.time | None:
    """A time from a cell: blank, an Excel time, or HH:MM text."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0)
    match = _TIME.match(str(value).strip())
    if match:
        hour, minute = int(match[1]), int(match[2])
        if hour < 24 and minute < 60:
            return datetime.time(hour, minute)
    raise ValueError("enter a time as HH:MM, for example 14:30")


def parse_yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError("enter yes or no")


def parse_entries(data: bytes, file_name: str) -> list[dict]:
    """Read chronology entries from a CSV or XLSX file.

    Returns the entries' fields, ready for ``entries_import``. Raises ValidationError listing
    every problem as "Row N, column: problem"."""
    table = read_table(data, file_name, columns=COLUMNS, required=REQUIRED_COLUMNS, noun="entries")
    errors: list[str] = []
    entries: list[dict] = []
    for number, row in table.rows:

        def cell(name, row=row):
            return table.cell(row, name)

        problems = []
        fields = {}
        raw_date = cell("date")
        if raw_date == "":
            problems.append("date: enter the date of the event")
        else:
            try:
                fields["date"] = parse_uk_date(raw_date)
            except ValueError:
                problems.append("date: enter a real date, for example 31/01/2026")
        try:
            fields["time"] = parse_time(cell("time"))
        except ValueError as exc:
            problems.append(f"time: {exc}")
        for name in ("date_is_approximate", "key_event"):
            try:
                fields[name] = parse_yes_no(cell(name))
            except ValueError as exc:
                problems.append(f"{name}: {exc}")
        raw_type = cell("event_type")
        event_type = _EVENT_TYPES.get(_event_key(raw_type))
        if raw_type == "":
            problems.append("event_type: enter the type of event")
        elif event_type is None:
            problems.append(unknown_event_type(raw_type))
        else:
            fields["event_type"] = event_type
        what = _unneutralised(str(cell("what_happened")))
        if not what:
            problems.append("what_happened: enter what happened")
        fields["what_happened"] = what
        fields["action_outcome"] = _unneutralised(str(cell("action_outcome")))
        role = _unneutralised(str(cell("practitioner_role")))
        if len(role) > _PRACTITIONER_ROLE_MAX:
            problems.append(f"practitioner_role: use {_PRACTITIONER_ROLE_MAX} characters or fewer")
        fields["practitioner_role"] = role

        if problems:
            errors.extend(f"Row {number}, {problem}" for problem in problems)
        else:
            entries.append(fields)
    if errors:
        raise problems_error(errors)
    return entries


# Comparing a file with the chronology ---------------------------------------------------------

# What makes an imported row the same as an entry already there (the approximate-date flag aside).
DUPLICATE_FIELDS = (
    "date",
    "time",
    "event_type",
    "what_happened",
    "action_outcome",
    "practitioner_role",
    "key_event",
)


def _text(value) -> str:
    return str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def duplicate_key(entry) -> tuple:
    """An entry (a ChronologyEntry or an imported row's fields) reduced to what ``DUPLICATE_FIELDS``
    compare; line endings and surrounding spaces are not differences anyone can see."""

    def get(name):
        return entry.get(name) if isinstance(entry, dict) else getattr(entry, name)

    time = get("time")
    return (
        get("date"),
        time.replace(second=0, microsecond=0) if time else None,
        get("event_type"),
        _text(get("what_happened")),
        _text(get("action_outcome")),
        _text(get("practitioner_role")),
        bool(get("key_event")),
    )


def entries_state(entries) -> str:
    """A fingerprint of a chronology's entries and their revisions: it changes when anyone adds,
    changes or deletes one, so a confirmation made from an older look at them is refused."""
    digest = hashlib.sha256()
    for pk, revision in sorted((entry.pk, entry.revision) for entry in entries):
        digest.update(f"{pk}:{revision};".encode())
    return digest.hexdigest()[:32]


@dataclass
class ImportPlan:
    """What confirming an import will do to a chronology: the rows it adds, the rows it skips
    because the chronology already has them (adding only), the entries it removes (replacing)."""

    replace: bool
    to_add: list[dict]
    duplicates: list[dict]
    to_remove: list
    state: str

    def adding(self, *, keep_duplicates: bool) -> list[dict]:
        return self.to_add + self.duplicates if keep_duplicates else self.to_add


def plan_import(existing, rows: list[dict], *, replace: bool) -> ImportPlan:
    """Compare the file's rows with the chronology's ``existing`` entries."""
    existing = list(existing)
    if replace:
        return ImportPlan(True, list(rows), [], existing, entries_state(existing))
    there = {duplicate_key(entry) for entry in existing}
    to_add, duplicates = [], []
    for row in rows:  # one key a row, looked up in a set: linear in the rows and the entries
        (duplicates if duplicate_key(row) in there else to_add).append(row)
    return ImportPlan(False, to_add, duplicates, [], entries_state(existing))


def rows_to_stored(rows: list[dict]) -> list[dict]:
    """Parsed rows as JSON (dates and times as ISO text), to keep between the upload and the
    confirmation."""
    return [
        {
            **row,
            "date": row["date"].isoformat(),
            "time": row["time"].strftime("%H:%M") if row.get("time") else None,
        }
        for row in rows
    ]


def rows_from_stored(stored) -> list[dict]:
    """Rows kept by ``rows_to_stored``, checked again; ValueError if anything is not as written."""
    if not isinstance(stored, list):
        raise ValueError("not a list of rows")
    rows = []
    for item in stored:
        if not isinstance(item, dict) or set(item) - set(EXPORT_HEADER):
            raise ValueError("not a row")
        row = {
            "date": datetime.date.fromisoformat(item["date"]),
            "time": datetime.time.fromisoformat(item["time"]) if item.get("time") else None,
            "date_is_approximate": bool(item.get("date_is_approximate")),
            "event_type": str(item["event_type"]),
            "what_happened": str(item["what_happened"]),
            "action_outcome": str(item.get("action_outcome", "")),
            "practitioner_role": str(item.get("practitioner_role", "")),
            "key_event": bool(item.get("key_event")),
        }
        if row["event_type"] not in ChronologyEntry.EventType.values:
            raise ValueError("not an event type")
        rows.append(row)
    return rows


def row_event_label(row: dict) -> str:
    return str(ChronologyEntry.EventType(row["event_type"]).label)


# Writing ---------------------------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def entry_row(entry: ChronologyEntry, *, agency: bool = False) -> list:
    """One entry as spreadsheet cells (the import columns, so an export can be imported again)."""
    row = [
        entry.date,
        entry.time.strftime("%H:%M") if entry.time else "",
        _yes_no(entry.date_is_approximate),
        entry.get_event_type_display(),
        entry.what_happened,
        entry.action_outcome,
        entry.practitioner_role,
        _yes_no(entry.key_event),
    ]
    if agency:
        row.insert(3, entry.chronology.agency.name)
    return row


def export_header(*, agency: bool = False) -> list[str]:
    header = list(EXPORT_HEADER)
    if agency:
        header.insert(3, "agency")
    return header


def to_xlsx(header: list[str], rows, *, title: str) -> bytes:
    """A chronology's entries as a workbook (``lib.spreadsheets.to_xlsx``), with its column widths."""
    return spreadsheets.to_xlsx(
        header,
        rows,
        title=title,
        widths={"date": 12, "time": 8, "agency": 30, "what_happened": 60, "action_outcome": 40},
        wide=("what_happened", "action_outcome"),
        dates=("date",),
    )
