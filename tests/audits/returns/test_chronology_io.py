"""Reading chronology spreadsheets (row-level problems, all or nothing) and writing them safely."""

import csv
import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from audits.models import ChronologyEntry
from audits.returns.chronology_io import (
    ALLOWED_EVENT_TYPES,
    entries_state,
    entry_row,
    export_header,
    parse_entries,
    plan_import,
    rows_from_stored,
    rows_to_stored,
    to_xlsx,
)
from lib.spreadsheets import safe_cell, to_csv

HEADER = "date,time,date_is_approximate,event_type,what_happened,action_outcome,practitioner_role,key_event"


def csv_bytes(*rows, header=HEADER):
    return ("\n".join([header, *rows]) + "\n").encode()


def xlsx_bytes(rows):
    workbook = Workbook()
    workbook.active.append(HEADER.split(","))
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems(data, name="entries.csv"):
    with pytest.raises(ValidationError) as caught:
        parse_entries(data, name)
    return caught.value.messages


def test_good_csv_reads_every_column_and_uk_date_forms():
    entries = parse_entries(
        csv_bytes(
            "31/01/2026,14:30,no,Home visit,Child 1 seen alone.,Visit again next week.,Family support worker,yes",
            "01-02-2026,,yes,strategy DISCUSSION,Strategy discussion held.,,,",
            "3 February 2026,9:05,,child PROTECTION conference,Initial conference.,Child protection plan.,Chair,no",
            "2026-02-04,,,phone_call,Called the school.,,,",
        ),
        "entries.csv",
    )
    assert [e["date"] for e in entries] == [
        datetime.date(2026, 1, 31),
        datetime.date(2026, 2, 1),
        datetime.date(2026, 2, 3),
        datetime.date(2026, 2, 4),
    ]
    first = entries[0]
    assert first["time"] == datetime.time(14, 30)
    assert first["event_type"] == ChronologyEntry.EventType.HOME_VISIT
    assert first["key_event"] is True and first["date_is_approximate"] is False
    assert first["practitioner_role"] == "Family support worker"
    assert entries[1]["event_type"] == ChronologyEntry.EventType.STRATEGY_DISCUSSION
    assert entries[1]["date_is_approximate"] is True and entries[1]["time"] is None
    assert entries[2]["event_type"] == ChronologyEntry.EventType.CP_CONFERENCE
    assert entries[2]["time"] == datetime.time(9, 5)
    assert entries[3]["event_type"] == ChronologyEntry.EventType.PHONE_CALL


def test_columns_in_any_order_and_only_the_required_ones():
    entries = parse_entries(csv_bytes("Referral,A referral.,5/3/2026", header="Event Type,What happened,Date"), "a.csv")
    assert entries == [
        {
            "date": datetime.date(2026, 3, 5),
            "time": None,
            "date_is_approximate": False,
            "key_event": False,
            "event_type": "referral",
            "what_happened": "A referral.",
            "action_outcome": "",
            "practitioner_role": "",
        }
    ]


def test_good_xlsx_reads_real_excel_dates_and_times():
    data = xlsx_bytes(
        [
            [datetime.datetime(2026, 1, 31), datetime.time(8, 15), "No", "Incident", "Police called.", "", "", "Yes"],
            ["02/02/2026", "17:00", None, "Meeting", "Team meeting.", None, None, None],
        ]
    )
    entries = parse_entries(data, "Chronology.XLSX")
    assert entries[0]["date"] == datetime.date(2026, 1, 31)
    assert entries[0]["time"] == datetime.time(8, 15)
    assert entries[0]["key_event"] is True
    assert entries[1]["date"] == datetime.date(2026, 2, 2)
    assert entries[1]["time"] == datetime.time(17, 0)


def test_every_bad_row_is_reported_by_row_and_column():
    messages = problems(
        csv_bytes(
            "31/01/2026,14:30,no,Home visit,Fine row.,,,no",
            ",,,Home visit,No date.,,,",
            "31/02/2026,,,Home visit,Not a real date.,,,",
            "01/02/2026,25:00,,Home visit,Bad time.,,,",
            "01/02/2026,,perhaps,Home visit,Bad flag.,,,",
            "01/02/2026,,,Picnic,Unknown type.,,,",
            "01/02/2026,,,,No type.,,,",
            "01/02/2026,,,Referral,,,,",
            "01/02/2026,,,Referral,Too long a role.,," + "r" * 151 + ",",
            "01/02/2026,,,Referral,Bad key flag.,,,maybe",
        )
    )
    assert messages == [
        "Row 3, date: enter the date of the event",
        "Row 4, date: enter a real date, for example 31/01/2026",
        "Row 5, time: enter a time as HH:MM, for example 14:30",
        "Row 6, date_is_approximate: enter yes or no",
        'Row 7, event_type: "Picnic" is not a type of event; use one of: ' + ALLOWED_EVENT_TYPES,
        "Row 8, event_type: enter the type of event",
        "Row 9, what_happened: enter what happened",
        "Row 10, practitioner_role: use 150 characters or fewer",
        "Row 11, key_event: enter yes or no",
    ]


def test_problems_are_listed_whatever_the_file_type():
    messages = problems(xlsx_bytes([["not a date", None, None, "Referral", "Text", None, None, None]]), "c.xlsx")
    assert messages == ["Row 2, date: enter a real date, for example 31/01/2026"]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.csv", "The file is empty"),
        (b"date,what_happened\n01/01/2026,x\n", "a.csv", "missing: event_type"),
        (HEADER.encode() + b"\n", "a.csv", "no entries below its header row"),
        (b"%PDF-1.7 not a spreadsheet", "notes.pdf", "must be a CSV or an Excel workbook"),
        (b"date,event_type\n", "renamed.xlsx", "not a real Excel workbook"),
        (b"PK\x03\x04 a zip", "archive.csv", "looks like a spreadsheet"),
        (b"PK\x03\x04 not really a workbook", "broken.xlsx", "could not be read as an Excel workbook"),
        (b"date\x00,event_type\n", "binary.csv", "not a text CSV file"),
    ],
)
def test_wrong_files_are_refused(data, name, message):
    assert message in " ".join(problems(data, name))


def test_too_many_rows_are_refused():
    rows = ["01/01/2026,,,Contact,Row.,,,"] * 5001
    assert "more than 5000 entries" in problems(csv_bytes(*rows))[0]


def test_a_long_list_of_problems_is_cut_short():
    messages = problems(csv_bytes(*[",,,Contact,Row.,,,"] * 60))
    assert len(messages) == 51
    assert messages[-1] == "And 10 more problems: correct these first"


@pytest.mark.parametrize("text", ["=SUM(A1)", "+44 1234", "-2+3", "@cmd", "\tTab", "\rReturn"])
def test_formula_like_text_is_neutralised(text):
    assert safe_cell(text) == "'" + text


def test_ordinary_values_are_left_alone():
    assert safe_cell("Home visit") == "Home visit"
    assert safe_cell(datetime.date(2026, 1, 1)) == datetime.date(2026, 1, 1)
    assert safe_cell("") == ""


def _entry(**fields):
    defaults = {
        "date": datetime.date(2026, 1, 31),
        "time": datetime.time(9, 0),
        "event_type": "home_visit",
        "what_happened": '=HYPERLINK("http://example.invalid","click")',
        "action_outcome": "@SUM(1)",
        "practitioner_role": "-nurse",
        "key_event": True,
    }
    return ChronologyEntry(**{**defaults, **fields})


def test_csv_export_neutralises_formulas_and_can_be_imported_again():
    content = to_csv(export_header(), [entry_row(_entry())])
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == export_header()
    assert rows[1] == [
        "31/01/2026",
        "09:00",
        "no",
        "Home visit",
        '\'=HYPERLINK("http://example.invalid","click")',
        "'@SUM(1)",
        "'-nurse",
        "yes",
    ]
    again = parse_entries(content, "export.csv")[0]
    assert again["date"] == datetime.date(2026, 1, 31) and again["event_type"] == "home_visit"


def test_xlsx_export_neutralises_formulas_and_keeps_real_dates():
    content = to_xlsx(export_header(), [entry_row(_entry())], title="Chronology")
    sheet = load_workbook(io.BytesIO(content)).active
    values = [cell.value for cell in sheet[2]]
    assert values[0] == datetime.datetime(2026, 1, 31)
    assert values[4].startswith("'=HYPERLINK")
    assert values[5] == "'@SUM(1)"
    assert values[6] == "'-nurse"
    assert all(cell.data_type != "f" for cell in sheet[2])


@pytest.mark.parametrize("name", ["Visit", "CP conference", "ICPC", "Phone", "Strategy meeting", "School attendance"])
def test_an_event_type_is_never_guessed_from_a_similar_name(name):
    messages = problems(csv_bytes(f"01/02/2026,,,{name},Child 1 seen at school.,,,"))
    assert messages == [f'Row 2, event_type: "{name}" is not a type of event; use one of: {ALLOWED_EVENT_TYPES}']
    assert "Home visit" in ALLOWED_EVENT_TYPES and "School attendance concern" in ALLOWED_EVENT_TYPES


@pytest.mark.parametrize(
    ("name", "value"),
    [("HOME VISIT", "home_visit"), ("  home   visit ", "home_visit"), ("Home_Visit", "home_visit"), ("other", "other")],
)
def test_exact_labels_and_values_in_any_case_are_read(name, value):
    assert parse_entries(csv_bytes(f"01/02/2026,,,{name},Text.,,,"), "a.csv")[0]["event_type"] == value


def test_a_long_unknown_event_type_is_shortened_in_the_message():
    message = problems(csv_bytes("01/02/2026,,,{},Text.,,,".format("x" * 100)))[0]
    assert '"' + "x" * 39 + '…"' in message


def test_an_exported_neutralised_cell_imports_as_the_text_it_was():
    content = to_csv(export_header(), [entry_row(_entry())])
    again = parse_entries(content, "export.csv")[0]
    assert again["what_happened"] == '=HYPERLINK("http://example.invalid","click")'
    assert again["action_outcome"] == "@SUM(1)" and again["practitioner_role"] == "-nurse"


def _row(**fields):
    row = {
        "date": datetime.date(2026, 1, 31),
        "time": datetime.time(9, 0),
        "date_is_approximate": False,
        "event_type": "home_visit",
        "what_happened": "Seen at home.",
        "action_outcome": "",
        "practitioner_role": "Social worker",
        "key_event": False,
    }
    return {**row, **fields}


def test_plan_finds_exact_duplicates_only():
    there = ChronologyEntry(pk=1, revision=0, **_row(what_happened="Seen at home.\r\nAlone."))
    same = _row(what_happened="Seen at home.\nAlone.", date_is_approximate=True)
    plan = plan_import(
        [there],
        [
            same,
            _row(what_happened="Seen at home.\nAlone.", time=None),
            _row(what_happened="Seen at home.\nAlone.", key_event=True),
            _row(what_happened="Seen at home.\nAlone.", event_type="office_visit"),
            _row(what_happened="Seen at home.\nAlone.", action_outcome="More."),
            _row(what_happened="Seen at home.\nAlone.", practitioner_role="Nurse"),
            _row(what_happened="Seen at home.\nAlone.", date=datetime.date(2026, 2, 1)),
        ],
        replace=False,
    )
    assert plan.duplicates == [same]
    assert len(plan.to_add) == 6 and plan.to_remove == []
    assert plan.adding(keep_duplicates=True) == [*plan.to_add, same]


def test_plan_to_replace_removes_everything_and_adds_every_row():
    there = [ChronologyEntry(pk=1, revision=0, **_row()), ChronologyEntry(pk=2, revision=3, **_row())]
    plan = plan_import(there, [_row()], replace=True)
    assert plan.to_remove == there and plan.to_add == [_row()] and plan.duplicates == []


def test_the_state_changes_with_any_entry_or_revision():
    one, two = ChronologyEntry(pk=1, revision=0), ChronologyEntry(pk=2, revision=0)
    assert entries_state([one, two]) == entries_state([two, one])
    assert entries_state([one]) != entries_state([one, two])
    assert entries_state([one, two]) != entries_state([one, ChronologyEntry(pk=2, revision=1)])


def test_stored_rows_come_back_the_same_and_tampered_ones_are_refused():
    rows = [_row(), _row(time=None, key_event=True)]
    assert rows_from_stored(json.loads(json.dumps(rows_to_stored(rows)))) == rows
    for bad in ["x", [1], [{**rows_to_stored(rows)[0], "event_type": "picnic"}], [{"date": "2026-13-01"}]]:
        with pytest.raises((ValueError, KeyError)):
            rows_from_stored(bad)
