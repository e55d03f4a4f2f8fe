"""Formula injection: every CSV and XLSX the service writes shows text a user typed as text, never
as a formula a spreadsheet would run (OWASP's list: = + - @, tab, carriage return). All of them go
through ``lib.spreadsheets.safe_cell``."""

import csv
import datetime
import decimal
import io

import pytest
from django.utils.functional import lazy
from openpyxl import Workbook, load_workbook

from agencies.access_log.services import record
from agencies.models import AccessEvent
from audits.models import AuditRound, Chronology, WorkStatus
from lib.spreadsheets import safe_cell, safe_row, to_csv
from tests import factories
from tests.exports.flow import fetch

PREFIXES = ["=", "+", "-", "@"]


def payload(prefix):
    return f'{prefix}HYPERLINK("http://example.invalid","x")'


def table(response, file_format):
    """The download as a list of {header: value} rows."""
    assert response.status_code == 200
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row), "a cell is a formula"
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


@pytest.fixture
def submitted(returns_case, chronology_a):
    Chronology.objects.filter(pk=chronology_a.pk).update(status=WorkStatus.SUBMITTED)
    return chronology_a


def _action(world, prefix):
    factories.ActionFactory(
        round=world["case"].round,
        lead_agency=world["agency_a"],
        what=payload(prefix),
        owner_name=f"{prefix}1",  # a number typed as text is text
    )
    return ["Action", "Owner"]


def _entry(world, prefix):
    factories.EntryFactory(
        chronology=world["chronology"],
        what_happened=payload(prefix),
        action_outcome=f"{prefix}01/02/2026",  # a date typed as text is text
        practitioner_role=f"{prefix}Nurse",
    )
    return ["what_happened", "action_outcome", "practitioner_role"]


def _round_title(world, prefix):
    AuditRound.objects.filter(pk=world["case"].round_id).update(title=payload(prefix))
    return ["Round"]


def _sign_in_typed(world, prefix):
    # A failed sign-in records the address exactly as typed: anyone can type anything there.
    record(AccessEvent.Kind.SIGN_IN_FAILED, email=payload(prefix))
    return ["Who"]


def _round(world):
    return {"pk": world["case"].round_id}


def _case(world):
    return {"pk": world["case"].round_id, "number": world["case"].number}


# name -> (url name, kwargs, file format, what puts the typed value into the export)
EXPORTS = {
    "round action plan csv": ("audits:round-actions-csv", _round, "csv", _action),
    "round action plan xlsx": ("audits:round-actions-xlsx", _round, "xlsx", _action),
    "all rounds action plan csv": ("audits:action-list-csv", lambda w: {}, "csv", _action),
    "all rounds action plan xlsx": ("audits:action-list-xlsx", lambda w: {}, "xlsx", _action),
    "integrated chronology csv": ("audits:integrated-chronology-csv", _case, "csv", _entry),
    "integrated chronology xlsx": ("audits:integrated-chronology-xlsx", _case, "xlsx", _entry),
    "agency chronology csv": ("audits:chronology-export-csv", lambda w: {"pk": w["chronology"].pk}, "csv", _entry),
    "agency chronology xlsx": ("audits:chronology-export-xlsx", lambda w: {"pk": w["chronology"].pk}, "xlsx", _entry),
    "completion csv": ("audits:round-completion-csv", _round, "csv", _round_title),
    "access log csv": ("access-log-csv", lambda w: {}, "csv", _sign_in_typed),
}


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_typed_text_is_neutralised(client, submitted, agency_a, coordinator, administrator, export, prefix):
    url_name, kwargs, file_format, put = EXPORTS[export]
    world = {"case": submitted.case, "chronology": submitted, "agency_a": agency_a}
    columns = put(world, prefix)
    client.force_login(administrator if url_name == "access-log-csv" else coordinator)
    rows = table(fetch(client, url_name, kwargs(world)), file_format)
    cells = [row[column] for row in rows for column in columns if str(row[column] or "").lstrip("'")[:1] == prefix]
    assert len(cells) >= len(columns), f"the typed values are not in the {export}"
    assert all(cell.startswith("'" + prefix) for cell in cells), cells
    # Nothing anywhere in the file starts as a formula.
    assert not any(str(value).startswith(tuple(PREFIXES)) for row in rows for value in row.values() if value)


@pytest.mark.parametrize("text", ["=1+1", "+44 1234", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "-5", "-01/02/2026"])
def test_text_that_could_run_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


def test_numbers_dates_and_blanks_are_left_alone():
    values = [-5, 2.5, decimal.Decimal("-1.5"), True, None, datetime.date(2026, 1, 31), datetime.time(9, 30)]
    assert safe_row(values) == values
    assert safe_cell("Home visit") == "Home visit"
    assert safe_cell("") == ""


def test_lazy_text_is_treated_as_text():
    label = lazy(lambda: "=1+1", str)()
    assert safe_cell(label) == "'=1+1"


def test_a_real_negative_number_stays_a_number_in_xlsx():
    workbook = Workbook()
    workbook.active.append(safe_row([-5, "-5"]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    number, text = next(load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows(values_only=True))
    assert number == -5
    assert text == "'-5"


def test_csv_writer_neutralises_every_cell_including_the_header():
    content = to_csv(["=Header"], [["=1+1"], [None], [datetime.date(2026, 1, 31)], [-5]])
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["'=Header"], ["'=1+1"], [""], ["31/01/2026"], ["-5"]]
