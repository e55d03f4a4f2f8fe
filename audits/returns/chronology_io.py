"""Chronology spreadsheets: reading an agency's entries from CSV or XLSX, and writing entries out.

The column set is documented on the import page and in ``static/samples/``. A file with any bad row
is refused whole, every problem listed by row and column, so nothing is ever half-imported. Every
exported cell is neutralised against spreadsheet formula injection.
"""

import datetime
import re

from audits.models import ChronologyEntry
from lib import spreadsheets
from lib.spreadsheets import parse_uk_date, problems_error, read_table

COLUMNS = {
    "date": "Required. The date of the event, for example 31/01/2026, 31 January 2026 or 2026-01-31.",
    "time": "Optional. The time, as HH:MM on the 24-hour clock, for example 14:30.",
    "date_is_approximate": "Optional. Yes when the date is only approximate; blank means no.",
    "event_type": "Required. One of: " + ", ".join(str(label) for label in ChronologyEntry.EventType.labels) + ".",
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


def _key(text) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


_EVENT_TYPES = {}
for _value, _label in ChronologyEntry.EventType.choices:
    _EVENT_TYPES[_key(_value)] = _value
    _EVENT_TYPES[_key(_label)] = _value
# Other names agencies use for the same events.
_EVENT_TYPES.update(
    {
        _key("CP conference"): ChronologyEntry.EventType.CP_CONFERENCE,
        _key("ICPC"): ChronologyEntry.EventType.CP_CONFERENCE,
        _key("RCPC"): ChronologyEntry.EventType.CP_CONFERENCE,
        _key("Strategy meeting"): ChronologyEntry.EventType.STRATEGY_DISCUSSION,
        _key("Telephone call"): ChronologyEntry.EventType.PHONE_CALL,
        _key("Phone"): ChronologyEntry.EventType.PHONE_CALL,
        _key("Core group meeting"): ChronologyEntry.EventType.CORE_GROUP,
        _key("A&E attendance"): ChronologyEntry.EventType.HOSPITAL_ATTENDANCE,
        _key("School attendance"): ChronologyEntry.EventType.SCHOOL_ATTENDANCE,
        _key("Visit"): ChronologyEntry.EventType.HOME_VISIT,
    }
)


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
        if raw_type == "":
            problems.append("event_type: enter the type of event")
        elif _key(raw_type) not in _EVENT_TYPES:
            problems.append("event_type: use one of the event types listed on the import page")
        else:
            fields["event_type"] = _EVENT_TYPES[_key(raw_type)]
        what = str(cell("what_happened"))
        if not what:
            problems.append("what_happened: enter what happened")
        fields["what_happened"] = what
        fields["action_outcome"] = str(cell("action_outcome"))
        role = str(cell("practitioner_role"))
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
