"""Hostile XLSX files, written part by part with zipfile (fast, and free to lie where openpyxl
would not): millions of shared strings or cells in a few megabytes, a huge declared dimension,
a zip bomb. Used by tests/lib/test_spreadsheet_caps.py and the upload_bomb benchmark."""

import io
import random
import zipfile

from lib.spreadsheets import MAX_SHARED_STRINGS, MAX_VALUES

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def content_types(strings_part: str = "/xl/sharedStrings.xml") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        f'<Override PartName="{strings_part}" ContentType="{STRINGS_TYPE}"/>'
        "</Types>"
    ).encode()


def workbook_parts(strings_part: str = "xl/sharedStrings.xml") -> dict[str, bytes]:
    target = strings_part.removeprefix("xl/")
    return {
        "[Content_Types].xml": content_types("/" + strings_part),
        "_rels/.rels": (
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="{target}"/></Relationships>'
        ).encode(),
    }


def sheet(rows: bytes | str, dimension: str = "A1:C2") -> bytes:
    rows = rows.encode() if isinstance(rows, str) else rows
    return (
        f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>'.encode()
        + rows
        + b"</sheetData></worksheet>"
    )


def strings(count: int, *, declared: int | None = None) -> bytes:
    """``count`` shared strings of random letters (so they compress no better than real text)."""
    rng = random.Random(count)
    declared_attribute = f' uniqueCount="{declared}"' if declared is not None else ""
    text = rng.randbytes(3 * count).hex()  # 6 random hexadecimal digits a string
    body = "".join(f"<si><t>{text[6 * n : 6 * n + 6]}</t></si>" for n in range(count))
    return f'<sst xmlns="{MAIN}"{declared_attribute}>{body}</sst>'.encode()


HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>date</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>event_type</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>what_happened</t></is></c></row>'
)
GOOD_ROW = (
    '<row r="2"><c r="A2" t="inlineStr"><is><t>31/01/2026</t></is></c>'
    '<c r="B2" t="inlineStr"><is><t>Home visit</t></is></c>'
    '<c r="C2" t="inlineStr"><is><t>Child 1 seen alone.</t></is></c></row>'
)


def xlsx(*, sheet_xml: bytes | None = None, strings_xml: bytes | None = None, extra=None, **names) -> bytes:
    """A workbook of the given parts (a good two-row sheet and no strings unless given)."""
    parts = workbook_parts(**names)
    parts["xl/worksheets/sheet1.xml"] = sheet_xml if sheet_xml is not None else sheet(HEADER_ROW + GOOD_ROW)
    parts[names.get("strings_part", "xl/sharedStrings.xml")] = (
        strings_xml if strings_xml is not None else strings(0, declared=0)
    )
    parts.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def million_cells(count: int, *, with_references: bool, strings: int = 1000) -> bytes:
    """A sheet of ``count`` cells, 50 to a row, each pointing at a random one of ``strings`` shared
    strings (``with_references``: each cell names its place, as Excel writes; without, each is a
    few bytes, so that two million fit within every size limit)."""
    rng = random.Random(count)
    columns = [_letters(n) for n in range(1, 51)]
    values = [f"<v>{index}</v></c>" for index in range(strings)]
    rows = []
    for row in range(1, count // 50 + 1):
        picked = rng.choices(values, k=50)
        if with_references:
            cells = "".join(
                f'<c r="{letter}{row}" t="s">{value}' for letter, value in zip(columns, picked, strict=True)
            )
        else:
            cells = '<c t="s">' + '<c t="s">'.join(picked)
        rows.append(f"<row>{cells}</row>")
    return sheet("".join(rows), dimension="A1:AX1")


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def hostile_files() -> dict[str, bytes]:
    """The hostile workbooks the upload_bomb benchmark sends, by name: each within the 5 MB upload
    limit, so each reaches the reader (the issue's was 4.65 MB with about two million cells)."""
    return {
        "2 million shared-string cells": xlsx(
            sheet_xml=million_cells(2_000_000, with_references=False), strings_xml=strings(1000, declared=1000)
        ),
        "1 million shared-string cells, each named": xlsx(
            sheet_xml=million_cells(1_000_000, with_references=True), strings_xml=strings(1000, declared=1000)
        ),
        "600,000 shared strings, count not declared": xlsx(strings_xml=strings(600_000)),
        "600,000 shared strings, count declared": xlsx(strings_xml=strings(600_000, declared=600_000)),
        "600,000 shared strings under another name": xlsx(strings_xml=strings(600_000), strings_part="xl/other.xml"),
        "huge dimension": xlsx(sheet_xml=sheet(HEADER_ROW + GOOD_ROW, dimension="A1:XFD1048576")),
        "zip bomb": xlsx(extra={"xl/styles.xml": b"<styleSheet>" + b" " * (45 * 1024 * 1024) + b"</styleSheet>"}),
    }


def largest_within_caps() -> bytes:
    """The most a workbook may hold and still be read: as many filled cells and shared strings as
    the caps allow (lib.spreadsheets.MAX_VALUES), 50 to a row. What openpyxl is left to parse."""
    return xlsx(
        sheet_xml=million_cells(MAX_VALUES - 50, with_references=True, strings=MAX_SHARED_STRINGS),
        strings_xml=strings(MAX_SHARED_STRINGS),
    )
