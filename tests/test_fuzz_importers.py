"""Arbitrary bytes, text and broken workbooks thrown at the spreadsheet importers: every upload
ends in rows or a ValidationError, never another exception (which the pages would show as a 500).

An upload reaches the importers only through its form's check (``lib.uploads``), as in
the pages: that pair is what must never raise anything else."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audits.returns import chronology_io
from audits.rounds.candidates import parse_candidates
from lib.spreadsheets import read_rows, read_table
from lib.uploads import check_spreadsheet_upload

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NAMES = st.sampled_from(["list.csv", "list.xlsx", "LIST.CSV", "list.txt", "list", "list.xlsx.csv", ".xlsx"])
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
CELL = st.one_of(TEXT, st.sampled_from(["", "31/01/2015", "2015-01-31", "Home visit", "yes", "CIN", "14:30", "=1+1"]))
HEADERS = [
    "reference",
    "child_name",
    "date_of_birth",
    "plan_type",
    "needs",
    "age_band",
    "date",
    "time",
    "event_type",
    "what_happened",
    "key_event",
    "date_is_approximate",
    "practitioner_role",
]


def _csv(rows):
    import csv

    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def _xlsx(rows):
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append([_excel_safe(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _excel_safe(cell):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell


ROWS = st.lists(st.lists(CELL, max_size=8), max_size=6)
HEADED_ROWS = st.tuples(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=10), ROWS).map(lambda t: [t[0], *t[1]])


LAUNCH = datetime.date(2026, 1, 1)
GOOD_ROWS = [["date", "event_type", "what_happened"], ["01/01/2026", "Home visit", "x"]]


def _refused(call):
    try:
        call()
    except ValidationError as exc:
        assert exc.messages
        assert all(isinstance(message, str) and message for message in exc.messages)
        return True
    return False


def _parse_all(data, name):
    """The form's check, then (if it lets the file through) every reader; each may refuse with a
    ValidationError, nothing else."""
    upload = SimpleUploadedFile(name, data)
    if _refused(lambda: check_spreadsheet_upload(upload, max_bytes=5 * 1024 * 1024)):
        return
    assert upload.read() == data, "the check leaves the upload readable from its start"
    for read in (
        lambda: read_rows(data, name),
        lambda: read_table(data, name, columns={"a": ""}, required=["a"], noun="rows"),
        lambda: chronology_io.parse_entries(data, name),
        lambda: parse_candidates(
            data, name, launch_date=datetime.date(2026, 1, 1), needs_by_key={"neglect": "neglect"}
        ),
    ):
        _refused(read)


@FUZZ
@given(data=st.binary(max_size=2000), name=NAMES)
def test_arbitrary_bytes(data, name):
    _parse_all(data, name)


@FUZZ
@given(text=st.text(max_size=2000), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]), name=NAMES)
def test_arbitrary_text(text, encoding, name):
    _parse_all(text.encode(encoding, errors="replace"), name)


@FUZZ
@given(rows=HEADED_ROWS)
def test_csv_of_arbitrary_cells(rows):
    _parse_all(_csv(rows).encode("utf-8"), "list.csv")


@settings(max_examples=40, deadline=None)
@given(rows=HEADED_ROWS)
def test_workbook_of_arbitrary_cells(rows):
    _parse_all(_xlsx(rows), "list.xlsx")


@settings(max_examples=100, deadline=None)
@given(
    parts=st.dictionaries(
        st.sampled_from(
            [
                "[Content_Types].xml",
                "xl/workbook.xml",
                "_rels/.rels",
                "xl/_rels/workbook.xml.rels",
                "xl/worksheets/sheet1.xml",
                "xl/sharedStrings.xml",
                "xl/styles.xml",
                "docProps/app.xml",
            ]
        ),
        st.one_of(st.binary(max_size=300), TEXT.map(str.encode)),
        max_size=8,
    ),
    base=st.booleans(),
)
def test_zip_with_arbitrary_workbook_parts(parts, base):
    """A real workbook with some of its parts replaced by junk, or a zip of junk parts alone."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if base:
            with zipfile.ZipFile(io.BytesIO(_xlsx(GOOD_ROWS))) as real:
                for info in real.infolist():
                    if info.filename not in parts:
                        archive.writestr(info, real.read(info))
        for name, content in parts.items():
            archive.writestr(name, content)
    _parse_all(buffer.getvalue(), "list.xlsx")


@settings(max_examples=30, deadline=None)
@given(junk=st.sampled_from([b"", b"\x01", b"<a/>", b"<x"]))
def test_read_rows_alone_refuses_a_workbook_broken_inside(junk):
    with zipfile.ZipFile(io.BytesIO(_xlsx([["date"], ["01/01/2026"]]))) as real:
        parts = {info.filename: real.read(info.filename) for info in real.infolist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in {**parts, "[Content_Types].xml": junk}.items():
            archive.writestr(name, content)
    with pytest.raises(ValidationError):
        read_rows(buffer.getvalue(), "list.xlsx")


@FUZZ
@given(
    cut=st.integers(min_value=0, max_value=5000),
    flip=st.integers(min_value=0, max_value=5000),
    byte=st.integers(0, 255),
)
def test_truncated_or_corrupted_workbook(cut, flip, byte):
    data = bytearray(_xlsx(GOOD_ROWS))
    if flip < len(data):
        data[flip] = byte
    _parse_all(bytes(data[: max(cut, 4)]), "list.xlsx")
