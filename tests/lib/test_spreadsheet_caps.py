"""Hostile spreadsheets are refused by their counts before anything builds them: shared strings,
cells, rows, columns, a declared dimension, the unpacked size. Each test below would pass by luck
if the refusal came from openpyxl running out of something, so openpyxl is made to fail the test
if it is reached; the caps are lowered where the real ones would need a slow file to pass. Time and
memory on full-size hostile files are measured by ``make bench`` (tests/bench/upload_bomb.py)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lib import spreadsheets
from tests import hostile_workbooks as hostile


@pytest.fixture
def openpyxl_never_called(monkeypatch):
    def never(*args, **kwargs):  # pragma: no cover - reaching it is the failure
        raise AssertionError("openpyxl was asked to read a workbook past a cap")

    monkeypatch.setattr(spreadsheets, "load_workbook", never)


@pytest.fixture
def small_caps(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_CELLS", 200)
    monkeypatch.setattr(spreadsheets, "MAX_SHARED_STRINGS", 100)


def refusal(data: bytes, name: str = "list.xlsx") -> str:
    with pytest.raises(ValidationError) as refused:
        spreadsheets.read_rows(data, name)
    return refused.value.messages[0]


def test_a_good_workbook_is_read_by_openpyxl():
    # The other tests forbid openpyxl; here it reads the rows, so forbidding it means something.
    assert [row[:3] for row in spreadsheets.read_rows(hostile.xlsx(), "list.xlsx")] == [
        ["date", "event_type", "what_happened"],
        ["31/01/2026", "Home visit", "Child 1 seen alone."],
    ]


def test_too_many_shared_strings_are_counted_when_the_count_is_not_declared(openpyxl_never_called, small_caps):
    assert "more than 100 pieces of text" in refusal(hostile.xlsx(strings_xml=hostile.strings(101)))


def test_shared_strings_just_within_the_cap_are_read(small_caps):
    assert len(spreadsheets.read_rows(hostile.xlsx(strings_xml=hostile.strings(100)), "list.xlsx")) == 2


def test_a_declared_count_past_the_cap_is_refused_before_counting(openpyxl_never_called, monkeypatch):
    counted = []
    monkeypatch.setattr(spreadsheets._SharedStringCounter, "end", lambda self, name: counted.append(name))
    data = hostile.xlsx(strings_xml=hostile.strings(3, declared=spreadsheets.MAX_SHARED_STRINGS + 1))
    assert "pieces of text" in refusal(data)
    assert counted == []  # refused at the root element


def test_shared_strings_under_another_name_are_found_as_openpyxl_finds_them(openpyxl_never_called, small_caps):
    data = hostile.xlsx(strings_xml=hostile.strings(101), strings_part="xl/other.xml")
    assert "pieces of text" in refusal(data)


def test_shared_strings_over_their_size_limit_are_refused_unread(openpyxl_never_called, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_SHARED_STRINGS_BYTES", 1000)
    monkeypatch.setattr(spreadsheets, "_stream", lambda *args: pytest.fail("the strings were streamed"))
    assert "pieces of text" in refusal(hostile.xlsx(strings_xml=hostile.strings(200)))


def test_too_many_cells_are_refused_even_when_empty(openpyxl_never_called, small_caps):
    rows = "".join(f'<row r="{n}">' + "<c/>" * 10 + "</row>" for n in range(1, 22))
    assert "too many cells" in refusal(hostile.xlsx(sheet_xml=hostile.sheet(rows)))


def test_too_many_filled_cells_are_refused(openpyxl_never_called, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_VALUES", 5)
    data = hostile.xlsx(sheet_xml=hostile.sheet(hostile.HEADER_ROW + hostile.GOOD_ROW))
    assert "more than 5 filled cells" in refusal(data)


def test_a_huge_declared_dimension_is_refused(openpyxl_never_called):
    data = hostile.xlsx(sheet_xml=hostile.sheet(hostile.HEADER_ROW, dimension="A1:XFD1048576"))
    assert "too many cells" in refusal(data)


def test_a_value_below_the_last_row_allowed_is_refused(openpyxl_never_called):
    far = spreadsheets.MAX_ROWS + 2
    rows = hostile.HEADER_ROW + f'<row r="{far}"><c r="A{far}"><v>1</v></c></row>'
    assert f"more than {spreadsheets.MAX_ROWS}" in refusal(hostile.xlsx(sheet_xml=hostile.sheet(rows)))


def test_a_value_right_of_the_last_column_allowed_is_refused(openpyxl_never_called):
    rows = hostile.HEADER_ROW.replace("</row>", '<c r="AY1"><v>1</v></c></row>')
    assert "more than 50 columns" in refusal(hostile.xlsx(sheet_xml=hostile.sheet(rows)))


def test_a_zip_bomb_is_refused_from_the_directory(openpyxl_never_called, monkeypatch):
    monkeypatch.setattr(spreadsheets, "_stream", lambda *args: pytest.fail("a part was unpacked"))
    data = hostile.xlsx(extra={"xl/styles.xml": b"<styleSheet>" + b" " * (8 * 1024 * 1024) + b"</styleSheet>"})
    assert "too large to read" in refusal(data)


def test_a_large_part_openpyxl_reads_whole_is_refused(openpyxl_never_called, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_PART_BYTES", 1000)
    data = hostile.xlsx(extra={"xl/styles.xml": b"<styleSheet>" + hostile.strings(100) + b"</styleSheet>"})
    assert "too large to read" in refusal(data)


def test_a_document_type_declaration_in_a_part_is_refused(openpyxl_never_called):
    bomb = b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaa">]><sst>&a;</sst>'
    assert "could not be read" in refusal(hostile.xlsx(strings_xml=bomb))


def test_a_csv_with_too_many_rows_or_columns_is_refused():
    header = b"date,event_type,what_happened\n"
    assert "more than 5000" in refusal(header + b"1,2,3\n" * 5001, "list.csv")
    assert "more than 50 columns" in refusal(header + b"," * 50 + b"x\n", "list.csv")
    # Blank lines cost nothing and count for nothing.
    assert len(spreadsheets.read_rows(header + b",,,\n" * 100_000 + b"1,2,3\n", "list.csv")) == 2


def test_a_hostile_workbook_is_a_form_error_on_the_import_page(client, lead_a, chronology_a, small_caps):
    client.force_login(lead_a)
    data = hostile.xlsx(strings_xml=hostile.strings(101))
    response = client.post(
        reverse("audits:chronology-import", kwargs={"pk": chronology_a.pk}),
        {"mode": "replace", "entries_file": SimpleUploadedFile("big.xlsx", data)},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "more than 100 pieces of text" in response.text
    assert re.search(r"value=\"replace\"[^>]*checked", response.text)  # what was chosen is kept
    assert chronology_a.entries.count() == 0
