"""Reading a candidate list (CSV or XLSX) and drawing a reproducible, stratified random sample.

The column set is documented in the README and on the upload page; ``static/samples/`` holds a
sample file. A file with any bad row is rejected whole, with every problem listed by row and column.
"""

import datetime
import hashlib
import random
import re
from dataclasses import dataclass, field

from audits.models import Case
from lib.spreadsheets import normalise_header, parse_uk_date, problems_error, read_table

__all__ = ["COLUMNS", "Candidate", "draw", "file_sha256", "normalise_header", "parse_candidates", "parse_uk_date"]

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


def parse_candidates(data: bytes, file_name: str, *, launch_date: datetime.date, needs_by_key: dict) -> list[Candidate]:
    """Parse a candidate list. Raises ValidationError listing every problem, row by row.

    ``needs_by_key`` maps a normalised need name or slug to its slug."""
    table = read_table(data, file_name, columns=COLUMNS, required=REQUIRED_COLUMNS, noun="candidates")
    errors: list[str] = []
    candidates: list[Candidate] = []
    seen: dict[str, int] = {}
    for offset, row in table.rows:

        def cell(name, row=row):
            return table.cell(row, name)

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
            key = normalise_header(part)
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
        raise problems_error(errors)
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
