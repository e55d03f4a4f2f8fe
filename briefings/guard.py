"""The publication guard: no briefing is approved or published while its text holds a restricted
identifier of one of its rounds' cases.

Every text the briefing shows (``content.texts()``: fields, link addresses, rich-text source) and
every identifier are compared in one normal form, so that writing an identifier differently does
not hide it:

1. decoded: percent-encoding (``+`` as a space) and HTML entities, repeatedly (double encoding);
   the text as typed is checked too;
2. Unicode NFKC (full-width and styled letters become plain ones), then case-folded;
3. diacritics stripped (NFKD, combining marks dropped) and letters that do not decompose spelt
   plainly (ł to l, ø to o, ß to ss, æ to ae, þ to th, dotless i to i ...);
4. look-alike letters of other scripts (Cyrillic a, Greek omicron ...) mapped to the Latin letter they
   imitate, from the Unicode confusables table that ``confusable-homoglyphs`` ships; digits of
   every script become 0-9; invisible format characters (zero-width space, soft hyphen) dropped;
5. split into words on anything that is not a letter, digit or mark, in any script. Markdown's
   emphasis characters (``* _ ~ `` and backslash) are tried both as word breaks and as nothing,
   since ``Zebe**dee**`` shows as one word.

Identifiers are then looked for as word sequences (the whole name, every name part of three
letters or more, the date of birth in the usual written forms), or, for whole names and record
numbers, in the text with everything but letters and digits taken out. A name part that is also an
ordinary word ("May", "Rose") is still found wherever that word is: the guard fails closed and the
author rewords. A match is reported by where it is and what kind of identifier it is, never by the
identifier itself."""

import functools
import html
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_plus

import confusable_homoglyphs

from audits.rounds.identifiers import identifiers_for_cases
from briefings.content import BriefingContent

NAME, DATE_OF_BIRTH, RECORD_NUMBER = "a child's name", "a child's date of birth", "a record number"
KIND_ORDER = [NAME, DATE_OF_BIRTH, RECORD_NUMBER]
MONTHS = [
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
]
# A whole word of digits, maybe with leading zeros or an ordinal ending (after a space: see _words).
_NUMBER_WORD = re.compile(r" 0*([0-9]+)(?:st|nd|rd|th)?(?= |$)")
# Enough for text encoded three times over; each round is cheap and stops as soon as nothing changes.
_DECODING_ROUNDS = 5
# Markdown emphasis and escapes: "Zebe**dee**" and "Zebe\dee" show as one word.
_MARKUP = re.compile(r"[*_~`\\]+")

# Letters that NFKD does not take apart into a base letter and a mark (after case folding).
_PLAIN_LETTERS = {
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
    "\u0131": "i",  # dotless i
    "ħ": "h",
    "ŧ": "t",
    "ŋ": "n",
    "ĸ": "k",
    "ƀ": "b",
    "ɨ": "i",
    "ʉ": "u",
    "ƶ": "z",
    "ǥ": "g",
    "ȼ": "c",
    "ɇ": "e",
    "ɉ": "j",
    "ɍ": "r",
    "ɏ": "y",
    "ꝉ": "l",
    "ŀ": "l",
}
# How a name recorded with these letters is also often written (Müller as Mueller, Åse as Aase).
_SPELT_OUT = {"ä": "ae", "ö": "oe", "ü": "ue", "å": "aa", "ø": "oe"}
# Scripts written without spaces between words: a name part is looked for inside the text.
_UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR")


@dataclass(frozen=True)
class Match:
    place: str  # "Key message 2, text"
    kind: str  # NAME, DATE_OF_BIRTH or RECORD_NUMBER

    def __str__(self):
        return f"{self.place}: contains {self.kind}"


@functools.cache
def _look_alikes() -> dict[str, str]:
    """Each (case-folded) letter outside ASCII that looks like a Latin letter, to that letter.
    The package's table lists, for each character, the characters it can be taken for; capitals
    count for their small letter (Cyrillic capital en, folded to its small letter, reads as h)."""
    data_file = Path(confusable_homoglyphs.__file__).with_name("confusables.json")
    data = json.loads(data_file.read_text(encoding="utf-8"))
    own, from_capital = {}, {}
    for char, homoglyphs in data.items():
        if len(char) != 1 or char.isascii() or not char.isalpha():
            continue
        latin = [
            target.lower()
            for target in (h["c"].strip("\u200e\u200f") for h in homoglyphs)
            if len(target) == 1 and target.isascii() and target.isalpha()
        ]
        if not latin:
            continue
        folded = char.casefold()
        if len(folded) != 1:
            continue
        # A letter's own look-alike wins over its capital's; among several, the first listed.
        (own if folded == char else from_capital).setdefault(folded, latin[0])
    return from_capital | own


def _char_form(char: str) -> str:
    """One character of case-folded NFKD text in the normal form: itself, its plain or Latin
    spelling, "" (a mark, an invisible character) or " " (a word break)."""
    if char.isascii():
        return char if char.isalnum() else " "
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf"):
        return ""
    if char in _PLAIN_LETTERS:
        return _PLAIN_LETTERS[char]
    if category == "Nd":
        return str(unicodedata.decimal(char))
    if char.isalpha():
        return _look_alikes().get(char, char)
    if char.isalnum() or category == "Mc":
        return char
    return " "


# Each character's normal form, as a ``str.translate`` table: ASCII from the start, any other
# character added the first time a text holds it (a plain dict: translating is then all in C).
_TABLE = {code: _char_form(chr(code)) for code in range(128)}


def _normal(text: str) -> str:
    """The text in the normal form: lower-case letters and digits, words separated by spaces."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    if not text.isascii():
        for char in set(text):
            if ord(char) not in _TABLE:
                _TABLE[ord(char)] = _char_form(char)
    return text.translate(_TABLE)


def _decodings(text: str) -> list[str]:
    """The text as typed and every distinct decoding of it (percent-encoding, HTML entities)."""
    forms = [text]
    for _ in range(_DECODING_ROUNDS):
        if "%" not in text and "&" not in text and "+" not in text:
            break
        decoded = html.unescape(unquote_plus(text))
        if decoded == text:
            break
        forms.append(decoded)
        text = decoded
    return forms


def _without_markup_inside_words(text: str) -> str | None:
    """The text without the Markdown characters that sit between two letters or digits, or None
    when there are none (most texts: the check is one scan)."""
    inside = [
        run.span()
        for run in _MARKUP.finditer(text)
        if run.start() > 0 and run.end() < len(text) and text[run.start() - 1].isalnum() and text[run.end()].isalnum()
    ]
    if not inside:
        return None
    pieces, last = [], 0
    for start, end in inside:
        pieces.append(text[last:start])
        last = end
    return "".join(pieces) + text[last:]


def _words(normal: str) -> list[str]:
    """The words of a normal text, numbers without leading zeros or ordinal endings ("03rd": "3")."""
    return _NUMBER_WORD.sub(r" \1", " " + normal).split()


def _squashed(normal: str) -> str:
    return normal.replace(" ", "")


def _is_unspaced(word: str) -> bool:
    return any(unicodedata.name(char, "").startswith(_UNSPACED_SCRIPTS) for char in word)


def _date_forms(date) -> list[tuple[str, ...]]:
    day, month, year, short = str(date.day), str(date.month), str(date.year), str(date.year % 100)
    forms = [(day, month, year), (day, month, short), (year, month, day), (month, day, year)]
    # 29022016 and 20160229 as one word (leading zeros go, as in every word of the text).
    forms += [(f"{date.day:02}{date.month:02}{date.year}".lstrip("0"),), (f"{year}{date.month:02}{date.day:02}",)]
    for name in MONTHS[date.month - 1]:
        forms += [
            (day, name, year),
            (day, "of", name, year),
            (name, day, year),
            (name, "the", day, year),
            (day, name, short),
            (day, "of", name, short),
        ]
    return forms


class _Patterns:
    """What is looked for, built once per check: word sequences, each indexed by its longest word
    (a year rather than a day: few texts hold it, so most are passed over at C speed), and the
    letters-and-digits strings looked for anywhere in the text with its spaces taken out."""

    def __init__(self):
        # word -> (its position in the sequence, the sequence, its kind)
        self.sequences: dict[str, list[tuple[int, tuple[str, ...], str]]] = {}
        self.squashed: dict[str, str] = {}

    def add_sequence(self, words: tuple[str, ...], kind: str):
        key = max(words, key=len)
        entry = (words.index(key), words, kind)
        entries = self.sequences.setdefault(key, [])
        if entry not in entries:
            entries.append(entry)

    def add_squashed(self, value: str, kind: str):
        self.squashed.setdefault(value, kind)


def _name_spellings(name: str) -> list[str]:
    spellings = [_normal(name)]
    folded = unicodedata.normalize("NFKC", name).casefold()
    if any(letter in folded for letter in _SPELT_OUT):
        spelt = "".join(_SPELT_OUT.get(char, char) for char in folded)
        spellings.append(_normal(spelt))
    return spellings


def _patterns(identifiers) -> _Patterns:
    patterns = _Patterns()
    for record in identifiers:
        for spelling in _name_spellings(record.child_name or ""):
            name_words = _words(spelling)
            if not name_words:
                continue
            patterns.add_sequence(tuple(name_words), NAME)
            patterns.add_squashed("".join(name_words), NAME)
            for word in name_words:
                if word.isdigit():
                    continue
                if len(word) >= 3:
                    patterns.add_sequence((word,), NAME)
                if len(word) >= 2 and _is_unspaced(word):
                    patterns.add_squashed(word, NAME)
        if record.date_of_birth:
            for form in _date_forms(record.date_of_birth):
                patterns.add_sequence(form, DATE_OF_BIRTH)
        for number in re.split(r"[;,\n]+", record.record_numbers or ""):
            whole = _squashed(_normal(number))
            if len(whole) >= 4:
                patterns.add_squashed(whole, RECORD_NUMBER)
            for digits in re.findall(r"\d{5,}", whole):
                patterns.add_squashed(digits, RECORD_NUMBER)
    return patterns


def _kinds_in(text: str, patterns: _Patterns) -> list[str]:
    found = set()
    normals = {}
    for decoded in _decodings(text):
        normals[_normal(decoded)] = True
        joined = _without_markup_inside_words(decoded)
        if joined:
            normals[_normal(joined)] = True
    for normal in normals:
        words = _words(normal)
        keys = patterns.sequences.keys() & set(words)
        for position, word in enumerate(words) if keys else ():
            if word not in keys:
                continue
            for offset, sequence, kind in patterns.sequences[word]:
                start = position - offset
                if kind not in found and start >= 0 and tuple(words[start : start + len(sequence)]) == sequence:
                    found.add(kind)
        squashed = _squashed(normal)
        for value, kind in patterns.squashed.items():
            if kind not in found and value in squashed:
                found.add(kind)
    return sorted(found, key=KIND_ORDER.index)


def check_briefing(*, user, briefing, content: BriefingContent) -> list[Match]:
    """Where the briefing's text holds a restricted identifier of its rounds' cases (empty: none)."""
    identifiers = identifiers_for_cases(user=user, cases=content.cases)
    if not identifiers:
        return []
    patterns = _patterns(identifiers)
    return [Match(place, kind) for place, text in content.texts() if text for kind in _kinds_in(text, patterns)]
