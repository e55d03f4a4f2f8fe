"""Reading a candidate list (CSV or XLSX) and drawing a reproducible, stratified random sample.

The column set is documented in the README and on the upload page; ``static/samples/`` holds a
sample file. A file with any bad row is rejected whole, with every problem listed by row and column.
"""

import csv
import datetime
import hashlib
import io
import random
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from audits.models import Case

MAX_ROWS = 5000

COLUMNS = {
    "reference": "The business intelligence reference for the child; unique in the file.",
    "child_name": "The child's name (kept as a restricted identifier).",
    "date_of_birth": "Date of birth, for example 31/01/2015 or 31 January 2015.",
    "plan_type": "None, Early help, CIN, CP or LAC.",
    "needs": "Optional. Needs separated by semicolons, for example Domestic abuse; Neglect.",
    "record_numbers": "Optional. The agencies' record numbers for the child.",
    "age_band": "Optional. Under 1, 1 to 4, 5 to 9, 10 to 15 or 16 to 17; worked out from the "
    "date of birth at the round's launch when blank.",
}
REQUIRED_COLUMNS = ["reference", "child_name", "date_of_birth", "plan_type"]

_PLAN_ALIASES = {
    "none": Case.PlanType.NONE,
    "no plan": Case.PlanType.NONE,
    "early help": Case.PlanType.EARLY_HELP,
    "eh": Case.PlanType.EARLY_HELP,
    "cin": Case.PlanType.CIN,
    "child in need": Case.PlanType.CIN,
    "cp": Case.PlanType.CP,
    "cpp": Case.PlanType.CP,
    "child protection": Case.PlanType.CP,
    "lac": Case.PlanType.LAC,
    "cla": Case.PlanType.LAC,
    "looked after": Case.PlanType.LAC,
    "looked after child": Case.PlanType.LAC,
    "child looked after": Case.PlanType.LAC,
}
_AGE_BAND_ALIASES = {re.sub(r"[^a-z0-9]", "", label.lower()): value for value, label in Case.AgeBand.choices}
_AGE_BAND_ALIASES.update({"01": Case.AgeBand.UNDER_1, "14": Case.AgeBand.AGE_1_4, "59": Case.AgeBand.AGE_5_9})
_DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]


@dataclass
class Candidate:
    row: int
    reference: str
    child_name: str
    date_of_birth: datetime.date
    plan_type: str
    needs: list[str] = field(default_factory=list)  # Need slugs
    record_numbers: str = ""
    age_band: str = ""

    def stratum(self, strata: list[str]) -> tuple:
        return tuple(getattr(self, name) for name in strata)

    @property
    def plan_type_label(self):
        return Case.PlanType(self.plan_type).label

    @property
    def age_band_label(self):
        return Case.AgeBand(self.age_band).label


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def age_band_on(date_of_birth: datetime.date, on: datetime.date) -> str:
    years = on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    if years < 1:
        return Case.AgeBand.UNDER_1
    if years <= 4:
        return Case.AgeBand.AGE_1_4
    if years <= 9:
        return Case.AgeBand.AGE_5_9
    if years <= 15:
        return Case.AgeBand.AGE_10_15
    return Case.AgeBand.AGE_16_17


def parse_uk_date(value) -> datetime.date:
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


def _normalise_header(name) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name or "").strip().lower()).strip("_")


def _read_rows(data: bytes, file_name: str) -> list[list]:
    """Return the file's rows (header first) as lists of cell values."""
    if data[:4] == b"PK\x03\x04":
        if not file_name.lower().endswith(".xlsx"):
            raise ValidationError("The file looks like a spreadsheet: save it as .xlsx or .csv")
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ValidationError("The file could not be read as an Excel workbook (.xlsx)") from exc
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
        workbook.close()
        return rows
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


def parse_candidates(data: bytes, file_name: str, *, launch_date: datetime.date, needs_by_key: dict) -> list[Candidate]:
    """Parse a candidate list. Raises ValidationError listing every problem, row by row.

    ``needs_by_key`` maps a normalised need name or slug to its slug."""
    rows = [row for row in _read_rows(data, file_name) if any(str(c or "").strip() for c in row)]
    if not rows:
        raise ValidationError("The file is empty")
    header = [_normalise_header(cell) for cell in rows[0]]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ValidationError("The first row must name the columns; missing: " + ", ".join(missing))
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError(f"The file has more than {MAX_ROWS} candidates")
    if len(rows) == 1:
        raise ValidationError("The file has no candidates below its header row")
    index = {name: header.index(name) for name in COLUMNS if name in header}

    errors: list[str] = []
    candidates: list[Candidate] = []
    seen: dict[str, int] = {}
    for offset, row in enumerate(rows[1:], start=2):

        def cell(name, row=row):
            position = index.get(name)
            if position is None or position >= len(row) or row[position] is None:
                return ""
            value = row[position]
            return value if isinstance(value, datetime.date) else str(value).strip()

        problems = []
        reference = cell("reference")
        if not reference:
            problems.append("reference: enter the child's reference")
        elif reference in seen:
            problems.append(f"reference: the same reference is on row {seen[reference]}")
        child_name = cell("child_name")
        if not child_name:
            problems.append("child_name: enter the child's name")
        date_of_birth = None
        raw_dob = cell("date_of_birth")
        if raw_dob == "":
            problems.append("date_of_birth: enter the date of birth")
        else:
            try:
                date_of_birth = parse_uk_date(raw_dob)
                if date_of_birth > launch_date:
                    problems.append("date_of_birth: the date of birth is after the round's launch")
                    date_of_birth = None
            except ValueError as exc:
                problems.append(f"date_of_birth: {exc}")
        plan_type = _PLAN_ALIASES.get(re.sub(r"[^a-z ]", "", str(cell("plan_type")).lower()).strip())
        if plan_type is None:
            problems.append("plan_type: use None, Early help, CIN, CP or LAC")
        needs = []
        for part in re.split(r"[;|]", str(cell("needs"))):
            key = _normalise_header(part)
            if not key:
                continue
            slug = needs_by_key.get(key)
            if slug is None:
                problems.append(f"needs: '{part.strip()[:40]}' is not on the list of needs")
            elif slug not in needs:
                needs.append(slug)
        age_band = ""
        raw_band = re.sub(r"[^a-z0-9]", "", str(cell("age_band")).lower())
        if raw_band:
            age_band = _AGE_BAND_ALIASES.get(raw_band, "")
            if not age_band:
                problems.append("age_band: use Under 1, 1 to 4, 5 to 9, 10 to 15 or 16 to 17")
        elif date_of_birth:
            age_band = age_band_on(date_of_birth, launch_date)

        if problems:
            errors.extend(f"Row {offset}, {problem}" for problem in problems)
            continue
        seen[reference] = offset
        candidates.append(
            Candidate(
                row=offset,
                reference=reference[:100],
                child_name=child_name[:200],
                date_of_birth=date_of_birth,
                plan_type=plan_type,
                needs=needs,
                record_numbers=str(cell("record_numbers"))[:1000],
                age_band=age_band,
            )
        )
    if errors:
        shown = errors[:50]
        if len(errors) > len(shown):
            shown.append(f"And {len(errors) - len(shown)} more problems: correct these first")
        raise ValidationError(shown)
    return candidates


def draw(candidates: list[Candidate], *, number: int, strata: list[str], seed: int) -> list[Candidate]:
    """A reproducible stratified random draw.

    The result depends only on the candidates' contents (not their order in the file), the
    number, the strata and the seed. Candidates are grouped by their strata values; the groups
    are shuffled and the draw takes one candidate from each group in turn, so the sample spreads
    across as many age bands / plan types as possible before taking a second from any."""
    rng = random.Random(seed)  # noqa: S311 - reproducibility, not secrecy, is the point
    pool = sorted(candidates, key=lambda c: c.reference)
    if not strata:
        return sorted(rng.sample(pool, min(number, len(pool))), key=lambda c: c.reference)
    groups: dict[tuple, list[Candidate]] = {}
    for candidate in pool:
        groups.setdefault(candidate.stratum(strata), []).append(candidate)
    keys = sorted(groups)
    rng.shuffle(keys)
    for key in keys:
        rng.shuffle(groups[key])
    chosen: list[Candidate] = []
    while len(chosen) < min(number, len(pool)):
        for key in keys:
            if groups[key] and len(chosen) < number:
                chosen.append(groups[key].pop())
    return chosen
