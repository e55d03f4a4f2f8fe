import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from audits.rounds.candidates import age_band_on, draw, parse_candidates, parse_uk_date

LAUNCH = datetime.date(2026, 11, 2)
NEEDS = {"domestic_abuse": "domestic-abuse", "neglect": "neglect"}
HEADER = "reference,child_name,date_of_birth,plan_type,needs,record_numbers\n"


def parse(text: str, name="list.csv"):
    return parse_candidates(text.encode(), name, launch_date=LAUNCH, needs_by_key=NEEDS)


def many(n=30):
    plans = ["None", "Early help", "CIN", "CP", "LAC"]
    rows = [
        f"R{i:03},Fictional Child {i},{1 + i % 27:02}/{1 + i % 12:02}/{2009 + i % 17},{plans[i % 5]},,"
        for i in range(n)
    ]
    return parse(HEADER + "\n".join(rows) + "\n")


@pytest.mark.parametrize(
    "text",
    [
        "31/01/2015",
        "31/1/2015",
        "31-01-2015",
        "31.01.2015",
        "2015-01-31",
        "31 January 2015",
        "31 Jan 2015",
        "31st January 2015",
    ],
)
def test_uk_date_forms(text):
    assert parse_uk_date(text) == datetime.date(2015, 1, 31)


@pytest.mark.parametrize("text", ["01/31/2015", "31/02/2015", "yesterday", "2015"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_uk_date(text)


def test_age_band_at_launch():
    assert age_band_on(datetime.date(2026, 1, 1), LAUNCH) == "under_1"
    assert age_band_on(datetime.date(2021, 11, 2), LAUNCH) == "5_9"  # fifth birthday on launch day
    assert age_band_on(datetime.date(2021, 11, 3), LAUNCH) == "1_4"
    assert age_band_on(datetime.date(2009, 1, 1), LAUNCH) == "16_17"


def test_reads_a_good_csv_with_needs_and_derived_age_band():
    (candidate,) = parse(HEADER + "A1,Fictional One,03/03/2019,CP,Domestic abuse; Neglect,CSC 1\n")
    assert candidate.reference == "A1"
    assert candidate.plan_type == "cp"
    assert candidate.needs == ["domestic-abuse", "neglect"]
    assert candidate.age_band == "5_9"


def test_headers_are_matched_loosely_and_extra_columns_ignored():
    text = "Reference,Child Name,Date of birth,Plan Type,Ward\nA1,Fictional One,03/03/2019,Child in need,East\n"
    (candidate,) = parse(text)
    assert candidate.plan_type == "cin"


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_returned():
    text = HEADER + (
        "A1,Fictional One,03/03/2019,CP,,\nA2,,31/02/2019,CP,,\nA1,Fictional Three,03/03/2019,Sometimes,Dragons,\n"
    )
    with pytest.raises(ValidationError) as caught:
        parse(text)
    messages = caught.value.messages
    assert "Row 3, child_name: enter the child's name" in messages
    assert any(m.startswith("Row 3, date_of_birth:") for m in messages)
    assert "Row 4, reference: the same reference is on row 2" in messages
    assert "Row 4, plan_type: use None, Early help, CIN, CP or LAC" in messages
    assert "Row 4, needs: 'Dragons' is not on the list of needs" in messages


def test_missing_columns_are_named():
    with pytest.raises(ValidationError, match="missing: date_of_birth, plan_type"):
        parse("reference,child_name\nA1,Fictional\n")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "list.csv", "empty"),
        (b"PK\x03\x04garbage", "list.xlsx", "could not be read as an Excel workbook"),
        (b"reference,child_name", "list.xlsx", "not a real Excel workbook"),
        (b"\x00\x01\x02", "list.csv", "not a text CSV"),
        (b"a,b", "list.pdf", "must be a CSV or an Excel workbook"),
    ],
)
def test_files_that_are_not_candidate_lists_are_refused(data, name, message):
    with pytest.raises(ValidationError, match=message):
        parse_candidates(data, name, launch_date=LAUNCH, needs_by_key=NEEDS)


def test_reads_xlsx_with_real_dates():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["reference", "child_name", "date_of_birth", "plan_type"])
    sheet.append(["X1", "Fictional Xl", datetime.datetime(2014, 5, 6), "LAC"])
    sheet.append(["X2", "Fictional Xm", "07/08/2012", "EH"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    candidates = parse_candidates(buffer.getvalue(), "list.xlsx", launch_date=LAUNCH, needs_by_key=NEEDS)
    assert [(c.reference, c.date_of_birth, c.plan_type) for c in candidates] == [
        ("X1", datetime.date(2014, 5, 6), "lac"),
        ("X2", datetime.date(2012, 8, 7), "early_help"),
    ]


def test_same_seed_same_draw_whatever_the_row_order():
    candidates = many()
    first = draw(candidates, number=4, strata=["plan_type"], seed=42)
    again = draw(list(reversed(candidates)), number=4, strata=["plan_type"], seed=42)
    assert [c.reference for c in first] == [c.reference for c in again]


def test_other_seeds_give_other_draws():
    candidates = many()
    draws = {tuple(c.reference for c in draw(candidates, number=4, strata=[], seed=s)) for s in range(10)}
    assert len(draws) > 5


def test_stratified_draw_spreads_across_strata_before_repeating():
    candidates = many()
    chosen = draw(candidates, number=5, strata=["plan_type"], seed=7)
    assert len({c.plan_type for c in chosen}) == 5
    chosen = draw(candidates, number=7, strata=["plan_type"], seed=7)
    assert len(chosen) == 7
    assert len({c.reference for c in chosen}) == 7


def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_refused():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"a" * (20 * 1024 * 1024))
    with pytest.raises(ValidationError, match="too large to read"):
        parse_candidates(buffer.getvalue(), "list.xlsx", launch_date=LAUNCH, needs_by_key=NEEDS)
