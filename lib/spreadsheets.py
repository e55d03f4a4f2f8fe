"""Reading and writing the spreadsheets people bring and take away (CSV and XLSX).

One place for what every import and export shares: telling a real workbook from a renamed file,
reading either into rows, checking the header row, UK dates, and neutralising cells a spreadsheet
would run as formulas.

An upload is hostile until read: a few megabytes of XLSX can hold millions of shared strings or
cells, or unpack to gigabytes. So a workbook is measured before openpyxl parses anything: the zip's
members (their unpacked sizes and compression ratios, read from the directory), then its shared
strings and its first sheet, streamed through expat a chunk at a time and counted (strings, rows,
columns, cells) against the caps below, stopping at the first one passed. Only a workbook within
every cap is handed to openpyxl, in read-only (streaming) mode. A CSV is read row by row with the
same caps on rows and columns."""

import csv
import datetime
import decimal
import io
import re
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.packaging.manifest import Manifest
from openpyxl.reader.excel import SHARED_STRINGS, _find_workbook_part
from openpyxl.reader.workbook import WorkbookParser
from openpyxl.styles import Alignment, Font
from openpyxl.xml.constants import ARC_CONTENT_TYPES
from openpyxl.xml.functions import fromstring

MAX_ROWS = 5000
MAX_COLUMNS = 50
# A workbook is a zip: refuse one that would unpack to more than this, or that compresses so well
# it can only be built to exhaust memory.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Caps on what a workbook may hold, counted while streaming, before openpyxl reads it: cells of any
# kind (empty formatted ones too) in the first sheet, shared strings, and the unpacked size of each
# XML part openpyxl parses whole (the shared strings, the styles, the workbook itself).
MAX_CELLS = 2 * (MAX_ROWS + 1) * MAX_COLUMNS
# Cells holding a value: every row full to 20 columns (the imports use 8 and 15), so that the
# largest workbook within the caps is still read in about a second.
MAX_VALUES = (MAX_ROWS + 1) * 20
MAX_SHARED_STRINGS = MAX_VALUES
MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024
MAX_PART_BYTES = 4 * 1024 * 1024
TOO_LARGE = "The workbook is too large to read: save it as CSV, or split it into smaller files"
UNREADABLE = "The file could not be read as an Excel workbook (.xlsx)"
TOO_MANY_ROWS = "The file has more than {limit} {noun}: split it into smaller files"
TOO_MANY_COLUMNS = (
    f"The file has more than {MAX_COLUMNS} columns: delete the columns the import does not use, or "
    "anything typed to the right of them"
)
TOO_MANY_CELLS = (
    "The sheet has too many cells to read, most of them empty: delete the rows and columns below and "
    "beside your data, or save it as CSV"
)
TOO_MANY_VALUES = (
    "The file holds more than {limit:,} filled cells: delete the columns the import does not use, "
    "or split it into smaller files"
)
TOO_MANY_STRINGS = "The workbook holds more than {limit:,} pieces of text: split it into smaller files"
_REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
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


def read_rows(data: bytes, file_name: str, *, noun: str = "rows below its header row") -> list[list]:
    """The file's rows that hold anything (header first) as lists of cell values, at most
    ``MAX_COLUMNS`` wide. The content decides what the file is, not its name: a renamed file is
    refused. A file past a cap (rows, columns, cells, shared strings, unpacked size) is refused
    with a ValidationError before the work grows with it."""
    if data[:4] == b"PK\x03\x04":
        if not file_name.lower().endswith(".xlsx"):
            raise ValidationError("The file looks like a spreadsheet: save it as .xlsx or .csv")
        return _read_workbook(data, noun)
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
        return _capped_rows(csv.reader(io.StringIO(text)), noun)
    except csv.Error as exc:
        raise ValidationError("The CSV file could not be read: check it is saved as comma-separated values") from exc


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _capped_rows(rows, noun: str) -> list[list]:
    """The rows that hold anything, refused past ``MAX_ROWS`` below the header or with anything
    beyond ``MAX_COLUMNS``; blank rows are dropped as they stream by, so they cost nothing."""
    kept = []
    for row in rows:
        if any(not _blank(value) for value in row[MAX_COLUMNS:]):
            raise ValidationError(TOO_MANY_COLUMNS)
        row = list(row[:MAX_COLUMNS])
        if all(_blank(value) for value in row):
            continue
        if len(kept) > MAX_ROWS:
            raise ValidationError(TOO_MANY_ROWS.format(limit=MAX_ROWS, noun=noun))
        kept.append(row)
    return kept


def _read_workbook(data: bytes, noun: str) -> list[list]:
    check_workbook(data, noun=noun)
    # openpyxl parses untrusted XML lazily and a workbook broken inside can fail with almost any
    # exception (ParseError, IndexError, TypeError, ...), while opening or while reading rows:
    # each means the same to the person uploading it. The checks above bound what it can meet.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS)
            return _capped_rows(rows, noun)
        finally:
            workbook.close()
    except ValidationError:
        raise
    except Exception as exc:
        raise ValidationError(UNREADABLE) from exc


def check_workbook(data: bytes, *, noun: str = "rows below its header row") -> None:
    """Refuse a workbook past any cap, reading no more of it than it takes to tell: the zip's
    directory first (unpacked sizes, ratios), then the shared strings and the first sheet streamed
    and counted, without building them. The parts are found as openpyxl finds them (its manifest
    and workbook readers, on parts already capped in size), so a renamed part is counted too.
    Raises ValidationError; returns None for one within every cap (which may still be damaged:
    openpyxl finds that)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {info.filename: info for info in archive.infolist()}
            _check_sizes(members, len(data))
            if ARC_CONTENT_TYPES not in members:
                raise ValidationError(UNREADABLE)
            package = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
            strings = package.find(SHARED_STRINGS)
            strings_part = strings.PartName[1:] if strings is not None else None
            workbook_part = _find_workbook_part(package).PartName[1:]
            if workbook_part not in members or members[workbook_part].file_size > MAX_PART_BYTES:
                raise ValidationError(UNREADABLE if workbook_part not in members else TOO_LARGE)
            workbook = WorkbookParser(archive, workbook_part)
            workbook.parse()
            worksheets = [
                rel.target
                for _, rel in workbook.find_sheets()
                if rel.target in members and "chartsheet" not in (rel.Type or "")
            ]
            for name, info in members.items():
                # Only the strings and the sheets may be large; every other part is read whole.
                if info.file_size > MAX_PART_BYTES and name != strings_part and name not in worksheets:
                    raise ValidationError(TOO_LARGE)
            if strings_part in members:
                if members[strings_part].file_size > MAX_SHARED_STRINGS_BYTES:
                    raise ValidationError(TOO_MANY_STRINGS.format(limit=MAX_SHARED_STRINGS))
                _stream(archive, strings_part, _SharedStringCounter())
            # The first sheet is the one read (openpyxl's worksheets[0]); the others are never parsed.
            if worksheets:
                _stream(archive, worksheets[0], _SheetCounter(noun))
    except ValidationError:
        raise
    except Exception as exc:
        # A broken manifest, workbook or relationship part: openpyxl would fail on it the same way.
        raise ValidationError(UNREADABLE) from exc


def _check_sizes(members: dict, packed: int) -> None:
    unpacked = sum(info.file_size for info in members.values())
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_COMPRESSION_RATIO * max(packed, 1):
        raise ValidationError(TOO_LARGE)
    for info in members.values():
        # Each part on its own too: a small part that unpacks a thousandfold is built to exhaust.
        if info.file_size > 1024 * 1024 and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise ValidationError(TOO_LARGE)
    # The parts read to find the others (the manifest and the relationships) are read whole.
    if any(info.file_size > MAX_PART_BYTES for name, info in members.items() if name.endswith((".rels", "].xml"))):
        raise ValidationError(TOO_LARGE)


def _stream(archive, name: str, counter) -> None:
    """Feed a part through expat a chunk at a time; the counter's handlers raise at a cap. A
    document type declaration (and so any entity) is refused: no workbook part has one."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = counter.start
    parser.EndElementHandler = counter.end
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    try:
        with archive.open(name) as part:
            while chunk := part.read(64 * 1024):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise ValidationError(UNREADABLE) from exc


def _refuse_doctype(*args):
    raise ValidationError(UNREADABLE)


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


class _SharedStringCounter:
    """Counts the shared strings (<si>): the declared count first, then the real one."""

    count = 0

    def start(self, name, attrs):
        local = _local(name)
        if local == "si":
            self.count += 1
            if self.count > MAX_SHARED_STRINGS:
                raise ValidationError(TOO_MANY_STRINGS.format(limit=MAX_SHARED_STRINGS))
        elif local == "sst":
            declared = attrs.get("uniqueCount") or ""
            if declared.isdigit() and int(declared) > MAX_SHARED_STRINGS:
                raise ValidationError(TOO_MANY_STRINGS.format(limit=MAX_SHARED_STRINGS))

    def end(self, name):
        pass


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


class _SheetCounter:
    """Counts a sheet's cells as they stream by: refuses a declared dimension past the cell cap,
    more cells of any kind than ``MAX_CELLS`` or holding a value than ``MAX_VALUES``, and a value
    beyond row ``MAX_ROWS`` + 1 (the header's) or column ``MAX_COLUMNS``."""

    def __init__(self, noun: str):
        self.noun = noun
        self.cells = self.values = self.row = self.column = 0
        self.in_cell = False

    def start(self, name, attrs):
        local = _local(name)
        if local == "c":
            self.cells += 1
            if self.cells > MAX_CELLS:
                raise ValidationError(TOO_MANY_CELLS)
            reference = _REFERENCE.match(attrs.get("r") or "")
            if reference:
                self.column, self.row = _column_number(reference[1]), int(reference[2])
            else:
                self.column += 1
            self.in_cell = True
        elif local == "row":
            number = attrs.get("r") or ""
            self.row = int(number) if number.isdigit() else self.row + 1
            self.column = 0
        elif local in ("v", "is") and self.in_cell:
            self.values += 1
            if self.values > MAX_VALUES:
                raise ValidationError(TOO_MANY_VALUES.format(limit=MAX_VALUES))
            if self.row > MAX_ROWS + 1:
                raise ValidationError(TOO_MANY_ROWS.format(limit=MAX_ROWS, noun=self.noun))
            if self.column > MAX_COLUMNS:
                raise ValidationError(TOO_MANY_COLUMNS)
        elif local == "dimension":
            _check_dimension(attrs.get("ref") or "")

    def end(self, name):
        if _local(name) == "c":
            self.in_cell = False


def _check_dimension(ref: str) -> None:
    corners = [_REFERENCE.match(part) for part in ref.split(":")]
    if len(corners) != 2 or not all(corners):
        return
    (left, top), (right, bottom) = ((_column_number(m[1]), int(m[2])) for m in corners)
    if (abs(right - left) + 1) * (abs(bottom - top) + 1) > MAX_CELLS:
        raise ValidationError(TOO_MANY_CELLS)


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
    rows = read_rows(data, file_name, noun=noun)
    if not rows:
        raise ValidationError("The file is empty")
    header = [normalise_header(cell) for cell in rows[0]]
    missing = [column for column in required if column not in header]
    if missing:
        raise ValidationError("The first row must name the columns; missing: " + ", ".join(missing))
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
