"""Reading and writing the spreadsheets people bring and take away (CSV and XLSX).

One place for what every import and export shares: telling a real workbook from a renamed file,
reading either into rows, checking the header row, UK dates, and neutralising cells a spreadsheet
would run as formulas."""

import csv
import datetime
import decimal
import io
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

MAX_ROWS = 5000
MAX_COLUMNS = 50
# A workbook is a zip: refuse one that would unpack to more than this, or that compresses so well
# it can only be built to exhaust memory.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]


def parse_uk_date(value) -> datetime.date:
    """A date as people in England write it (31/01/2015, 31 January 2015, ...), or a real date."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = re.sub(r"\s+", " ", str(value).strip())
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
        if parsed.year < 1900:
            break
        return parsed
    raise ValueError("enter a real date, for example 31/01/2015")


def normalise_header(name) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name or "").strip().lower()).strip("_")


def read_rows(data: bytes, file_name: str) -> list[list]:
    """The file's rows (header first) as lists of cell values. The content decides what the file
    is, not its name: a renamed file is refused."""
    if data[:4] == b"PK\x03\x04":
        if not file_name.lower().endswith(".xlsx"):
            raise ValidationError("The file looks like a spreadsheet: save it as .xlsx or .csv")
        _check_unpacked_size(data)
        # openpyxl parses untrusted XML lazily and a workbook broken inside can fail with almost any
        # exception (ParseError, IndexError, TypeError, ...), while opening or while reading rows:
        # each means the same to the person uploading it.
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                return [
                    list(row) for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS)
                ]
            finally:
                workbook.close()
        except Exception as exc:
            raise ValidationError("The file could not be read as an Excel workbook (.xlsx)") from exc
    if file_name.lower().endswith(".xlsx"):
        raise ValidationError("The file is not a real Excel workbook: save it again as .xlsx or as .csv")
    if not file_name.lower().endswith(".csv"):
        raise ValidationError("The file must be a CSV or an Excel workbook (.xlsx)")
    if b"\x00" in data:
        raise ValidationError("The file is not a text CSV file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise ValidationError("The file's characters could not be read: save it as CSV UTF-8")
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise ValidationError("The CSV file could not be read: check it is saved as comma-separated values") from exc


def _check_unpacked_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError("The file could not be read as an Excel workbook (.xlsx)") from exc
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_COMPRESSION_RATIO * max(len(data), 1):
        raise ValidationError("The workbook is too large to read: save it as CSV, or split it into smaller files")


@dataclass
class Table:
    """The rows below a checked header row, with a way to read a named cell of a row."""

    index: dict[str, int]
    rows: list[tuple[int, list]]  # (row number in the file, cells)

    def cell(self, row: list, name: str):
        position = self.index.get(name)
        if position is None or position >= len(row) or row[position] is None:
            return ""
        value = row[position]
        return value if isinstance(value, datetime.date | datetime.time | bool) else str(value).strip()


def read_table(data: bytes, file_name: str, *, columns, required, noun: str) -> Table:
    """Read a file whose first row names its columns; ``noun`` names what each row is."""
    rows = [row for row in read_rows(data, file_name) if any(str(c if c is not None else "").strip() for c in row)]
    if not rows:
        raise ValidationError("The file is empty")
    header = [normalise_header(cell) for cell in rows[0]]
    missing = [column for column in required if column not in header]
    if missing:
        raise ValidationError("The first row must name the columns; missing: " + ", ".join(missing))
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError(f"The file has more than {MAX_ROWS} {noun}: split it into smaller files")
    if len(rows) == 1:
        raise ValidationError(f"The file has no {noun} below its header row")
    index = {name: header.index(name) for name in columns if name in header}
    return Table(index=index, rows=list(enumerate(rows[1:], start=2)))


def problems_error(errors: list[str], limit: int = 50) -> ValidationError:
    shown = errors[:limit]
    if len(errors) > limit:
        shown.append(f"And {len(errors) - limit} more problems: correct these first")
    return ValidationError(shown)


def safe_cell(value):
    """The one guard against spreadsheet formula injection, for every CSV and XLSX the service
    writes: text starting with = + - @, a tab or a carriage return (OWASP's list) gets a leading
    apostrophe, so a spreadsheet shows it as text instead of running it. Numbers, dates and
    booleans pass unchanged (a real negative number stays a number); anything else, such as a
    lazily translated label, is treated as the text it shows."""
    if value is None or isinstance(value, int | float | decimal.Decimal | datetime.date | datetime.time):
        return value
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_row(row) -> list:
    """A row of cells, each through ``safe_cell``: what every XLSX writer appends to its sheet."""
    return [safe_cell(value) for value in row]


def _csv_text(value) -> str:
    value = safe_cell(value)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M:%S") if timezone.is_aware(value) else str(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def to_csv(header, rows) -> bytes:
    """A CSV file in UTF-8 with a byte order mark (so Excel reads accented letters correctly),
    every cell neutralised by ``safe_cell``; dates as UK dates, blanks for None."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_text(value) for value in header])
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(header: list[str], rows, *, title: str, widths: dict | None = None, wide=(), dates=()) -> bytes:
    """An XLSX workbook of one sheet: a bold, frozen header row, then ``rows`` made formula-safe.
    ``widths`` sets column widths by header name (others 20, or 50 for ``wide`` columns, which
    also wrap); ``dates`` names the columns shown as DD/MM/YYYY."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    date_columns = [position for position, name in enumerate(header, start=1) if name in dates]
    for row in rows:
        sheet.append(safe_row(row))
        for column in date_columns:
            sheet.cell(row=sheet.max_row, column=column).number_format = "DD/MM/YYYY"
    widths = widths or {}
    for position, name in enumerate(header, start=1):
        letter = sheet.cell(row=1, column=position).column_letter
        sheet.column_dimensions[letter].width = widths.get(name, 50 if name in wide else 20)
        if name in wide:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
