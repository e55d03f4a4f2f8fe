"""Each way the publication guard used to be passed (issue 13): identifiers in link addresses and
their query strings, names in other scripts, names without their diacritics, look-alike and
full-width letters. The guard compares a normal form of both sides (briefings/guard.py); its
messages say where and what kind, never the identifier."""

# This module writes look-alike letters on purpose.
# ruff: noqa: RUF001, RUF003

import datetime
import time
from dataclasses import dataclass

import pytest

from audits.rounds.identifiers import identifiers_save
from briefings import guard
from tests import factories

NAME = "a child's name"
DOB = "a child's date of birth"
RECORD = "a record number"


@dataclass
class FakeContent:
    """What the guard reads of a briefing's content: its cases and its texts."""

    cases: list
    entries: list[tuple[str, str]]

    def texts(self) -> list[tuple[str, str]]:
        return self.entries


def found(coordinator, case, text, place="Key message 1, link 1 address"):
    content = FakeContent([case], [(place, text)])
    return [str(m) for m in guard.check_briefing(user=coordinator, briefing=None, content=content)]


def record(coordinator, case, child_name, date_of_birth=datetime.date(2015, 3, 3), record_numbers="CSC-5501234"):
    identifiers_save(
        actor=coordinator,
        case=case,
        child_name=child_name,
        date_of_birth=date_of_birth,
        record_numbers=record_numbers,
    )


# The fictional identifiers of tests/conftest.py: Zebedee Quillfeather, 29/02/2016, CSC-7734219.
@pytest.mark.parametrize(
    ("address", "kinds"),
    [
        ("https://example.test/form?name=Zebedee+Quillfeather&dob=2016-02-29", [NAME, DOB]),
        ("https://example.test/form?name=Zebedee%20Quillfeather&dob=29%2F02%2F2016", [NAME, DOB]),
        ("https://example.test/form?n=%5A%65%62%65%64%65%65", [NAME]),
        ("https://example.test/form?n=%255A%2565bedee", [NAME]),  # encoded twice
        ("https://example.test/form?n=&#90;ebedee&amp;r=CSC%2D7734219", [NAME, RECORD]),
        ("https://example.test/records/7734219", [RECORD]),
        ("https://example.test/children/quillfeather-z/", [NAME]),
    ],
)
def test_identifiers_in_a_link_address_are_found(coordinator, case, address, kinds):
    assert found(coordinator, case, address) == [f"Key message 1, link 1 address: contains {kind}" for kind in kinds]


def test_identifiers_in_a_rich_text_link_are_found(coordinator, case):
    source = "Read the guide [here](https://example.test/?name=Zebedee&dob=2016-02-29) before the visit."
    assert found(coordinator, case, source, place="Finding 1, text") == [
        "Finding 1, text: contains a child's name",
        "Finding 1, text: contains a child's date of birth",
    ]


def test_markdown_emphasis_inside_a_name_does_not_hide_it(coordinator, case):
    assert found(coordinator, case, "Zebe**dee** said little.") == [f"Key message 1, link 1 address: contains {NAME}"]
    assert found(coordinator, case, r"Zebe\dee said little.") == [f"Key message 1, link 1 address: contains {NAME}"]


def test_invisible_characters_inside_a_name_do_not_hide_it(coordinator, case):
    for joiner in ["\u200b", "\u00ad", "\u2060", "\ufeff"]:
        assert found(coordinator, case, f"Zebe{joiner}dee said little.") != []


@pytest.mark.parametrize(
    "text",
    ["Иван сказал мало.", "Петрова сказала мало.", "Иван Петрова", "ИВАН ПЕТРОВА", "петрова%20иван"],
)
def test_a_name_recorded_in_cyrillic_is_found_in_cyrillic(coordinator, case, text):
    record(coordinator, case, "Иван Петрова")
    assert NAME in " ".join(found(coordinator, case, text))


def test_names_in_other_scripts_are_words(coordinator, case):
    record(coordinator, case, "Νικόλαος Παπαδόπουλος")
    assert found(coordinator, case, "Ο Νικολαος είπε λίγα.") == [f"Key message 1, link 1 address: contains {NAME}"]
    record(coordinator, case, "王小明")
    assert found(coordinator, case, "王小明去了学校。") == [f"Key message 1, link 1 address: contains {NAME}"]


@pytest.mark.parametrize(
    "text",
    ["Chloe Lukasiewicz was seen.", "CHLOE was seen.", "Lukasiewicz family", "chloé łukasiewicz", "Chloe\u0301"],
)
def test_a_name_without_its_diacritics_is_found(coordinator, case, text):
    record(coordinator, case, "Chloé Łukasiewicz")
    assert found(coordinator, case, text) == [f"Key message 1, link 1 address: contains {NAME}"]


@pytest.mark.parametrize(
    ("recorded", "written"),
    [
        ("Søren Ødegård", "Soren Odegard"),
        ("Đorđe Þórsson", "Dorde Thorsson"),
        ("Zoë Müller", "Zoe Mueller"),
        ("Emre Yıldız", "Emre Yildiz"),
        ("Ægir Strauß", "Aegir Strauss"),
    ],
)
def test_letters_that_do_not_decompose_are_spelt_plainly(coordinator, case, recorded, written):
    record(coordinator, case, recorded)
    assert found(coordinator, case, f"Seen: {written}.") == [f"Key message 1, link 1 address: contains {NAME}"]


@pytest.mark.parametrize(
    "text",
    [
        "Z\u0435b\u0435d\u0435\u0435 said little.",  # Cyrillic е
        "Quillfe\u0430ther's school",  # Cyrillic а
        "Qu\u0456llfeather",  # Cyrillic і
        "Zeb\u0435d\u0435e Quillf\u0435\u0430th\u0435r",
        "\u0396\u0395\u0392\u0395DEE",  # Greek capitals Ζ Ε Β Ε
        "Quillfeather".replace("e", "\u0435").replace("a", "\u03b1"),  # Cyrillic е, Greek α
        "\u0455\u0430id Z\u0435bedee",  # Cyrillic ѕ and а in the words around it
    ],
)
def test_look_alike_letters_inside_a_latin_name_are_found(coordinator, case, text):
    kinds = found(coordinator, case, text)
    assert kinds and all(kind.endswith(NAME) for kind in kinds)


def test_look_alike_capitals_are_found(coordinator, case):
    record(coordinator, case, "Hannah Moore")
    assert found(coordinator, case, "\u041d\u0410NN\u0410\u041d") != []  # Cyrillic Н and А


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("\uff3a\uff45\uff42\uff45\uff44\uff45\uff45 said little.", NAME),  # full-width Zebedee
        ("\U0001d419\U0001d41e\U0001d41b\U0001d41e\U0001d41d\U0001d41e\U0001d41e", NAME),  # bold Zebedee
        ("Born \uff12\uff19/\uff10\uff12/\uff12\uff10\uff11\uff16", DOB),  # full-width digits
        ("Record \uff23\uff33\uff23\uff0d\uff17\uff17\uff13\uff14\uff12\uff11\uff19", RECORD),
        ("Record \u0667\u0667\u0663\u0664\u0662\u0661\u0669", RECORD),  # Arabic-Indic digits
    ],
)
def test_full_width_and_styled_characters_are_found(coordinator, case, text, kind):
    assert found(coordinator, case, text) == [f"Key message 1, link 1 address: contains {kind}"]


@pytest.mark.parametrize(
    "text",
    ["Born 3rd of March 2015", "Born 03.03.2015", "https://example.test/?dob=2015-03-03", "Born March 3, 2015"],
)
def test_date_of_birth_forms_are_found(coordinator, case, text):
    record(coordinator, case, "Chloé Łukasiewicz", date_of_birth=datetime.date(2015, 3, 3))
    assert found(coordinator, case, text) == [f"Key message 1, link 1 address: contains {DOB}"]


def test_messages_never_contain_the_identifier(coordinator, case):
    record(coordinator, case, "Chloé Łukasiewicz", record_numbers="CSC-5501234")
    texts = [
        ("Title", "Chloe"),
        ("Key message 1, link 1 address", "https://example.test/?name=Ch%C5%82o%C3%A9&dob=2015-03-03&r=5501234"),
    ]
    content = FakeContent([case], texts)
    messages = [str(m) for m in guard.check_briefing(user=coordinator, briefing=None, content=content)]
    assert messages == [
        "Title: contains a child's name",
        "Key message 1, link 1 address: contains a child's name",
        "Key message 1, link 1 address: contains a child's date of birth",
        "Key message 1, link 1 address: contains a record number",
    ]
    for piece in ["chlo", "łuk", "luk", "2015", "03", "5501234", "csc"]:
        assert all(piece not in message.lower() for message in messages)


@pytest.mark.parametrize(
    "text",
    [
        "Ask who else lives in the home.",
        "https://example.test/safeguarding/escalation-policy?version=2&lang=en",
        "Chlorine, Lukas and Lukasiewiczowa",  # longer words that start with a name part
        "Born 3 March 2016; seen 2015-03-04.",
        "Иванов и Петров",  # other Cyrillic words
        "Record 550123",
        "https://example.test/%E2%9C%93?a=%25",
    ],
)
def test_ordinary_text_is_not_a_match(coordinator, case, text):
    record(coordinator, case, "Chloé Łukasiewicz", date_of_birth=datetime.date(2015, 3, 3))
    assert found(coordinator, case, text) == []


def test_a_short_name_part_is_a_word_only_from_three_letters(coordinator, case):
    """Today's rule, kept: a name part of three letters or more is looked for as a word, even when
    it is an ordinary word too ("May", "Sky"): the guard fails closed and the author rewords.
    A part of one or two letters is looked for only within the whole name."""
    record(coordinator, case, "May Lo")
    assert found(coordinator, case, "Staff may ask for help.") == [f"Key message 1, link 1 address: contains {NAME}"]
    assert found(coordinator, case, "Lo and behold: the school looked into it.") == []
    assert found(coordinator, case, "May Lo was seen.") == [f"Key message 1, link 1 address: contains {NAME}"]
    assert found(coordinator, case, "Staff were dismayed.") == []


def test_a_large_briefing_checks_quickly(coordinator, case):
    """A few hundred items of several texts each (rich text with links, link addresses) against
    ten cases: well under a second (patterns are built once; each text is scanned once)."""
    cases = [case]
    for number in range(2, 11):
        extra = factories.CaseFactory(round=case.round, number=number)
        factories.RestrictedIdentifiersFactory(
            case=extra,
            child_name=f"Fictional Child{chr(96 + number)} Ñoño-Łęcka",
            date_of_birth=datetime.date(2014, number, number),
            record_numbers=f"CSC-{number}0000{number}; Police {number}77{number}",
        )
        cases.append(extra)
    entries = []
    paragraph = (
        "**Information sharing** between agencies was timely; the school nurse *escalated* concerns "
        "to children's social care. See [the escalation policy](https://example.test/policy?step=3&v=2) "
        "and call 0117 496 0000.\n\n- Who else lives in the home?\n  - Have you checked with others?\n"
    )
    for index in range(300):
        entries += [
            (f"Strength {index}, heading", "Timely referral by the school"),
            (f"Strength {index}, text", paragraph * 3),
            (f"Strength {index}, link 1 address", f"https://example.test/guide/{index}?q=neglect%20audit"),
        ]
    content = FakeContent(cases, entries)
    started = time.perf_counter()
    assert guard.check_briefing(user=coordinator, briefing=None, content=content) == []
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0
