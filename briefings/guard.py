"""The publication guard: no briefing is approved or published while its text holds a restricted
identifier of one of its rounds' cases.

Comparison ignores case, spacing and punctuation: texts become lists of lower-case words
(letters and digits), and identifiers are looked for as word sequences, or, for record numbers
and whole names, in the text with everything but letters and digits taken out. A match is
reported by where it is and what kind of identifier it is, never by the identifier itself."""

import re
from dataclasses import dataclass

from audits.rounds.identifiers import identifiers_for_cases
from briefings.content import BriefingContent

NAME, DATE_OF_BIRTH, RECORD_NUMBER = "a child's name", "a child's date of birth", "a record number"
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
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


@dataclass(frozen=True)
class Match:
    place: str  # "Key message 2, text"
    kind: str  # NAME, DATE_OF_BIRTH or RECORD_NUMBER

    def __str__(self):
        return f"{self.place}: contains {self.kind}"


def _words(text: str) -> list[str]:
    words = []
    for word in re.split(r"[^0-9a-z]+", text.lower()):
        if not word:
            continue
        ordinal = _ORDINAL.match(word)
        if ordinal:
            word = ordinal.group(1)
        if word.isdigit():
            word = word.lstrip("0") or "0"
        words.append(word)
    return words


def _squashed(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def _date_forms(date) -> list[tuple[str, ...]]:
    day, month, year, short = str(date.day), str(date.month), str(date.year), str(date.year % 100)
    forms = [(day, month, year), (day, month, short), (year, month, day)]
    for name in MONTHS[date.month - 1]:
        forms += [(day, name, year), (name, day, year), (day, name, short)]
    return forms


@dataclass
class _Patterns:
    sequences: list[tuple[tuple[str, ...], str]]  # word sequences and their kind
    squashed: list[tuple[str, str]]  # letters-and-digits strings and their kind


def _patterns(identifiers) -> _Patterns:
    patterns = _Patterns([], [])
    for record in identifiers:
        name_words = _words(record.child_name)
        if name_words:
            patterns.sequences.append((tuple(name_words), NAME))
            patterns.squashed.append(("".join(name_words), NAME))
            patterns.sequences += [((word,), NAME) for word in name_words if len(word) >= 3 and not word.isdigit()]
        if record.date_of_birth:
            patterns.sequences += [(form, DATE_OF_BIRTH) for form in _date_forms(record.date_of_birth)]
        for number in re.split(r"[;,\n]+", record.record_numbers):
            whole = _squashed(number)
            if len(whole) >= 4:
                patterns.squashed.append((whole, RECORD_NUMBER))
            for digits in re.findall(r"\d{5,}", re.sub(r"[^0-9a-z]+", "", number.lower())):
                patterns.squashed.append((digits, RECORD_NUMBER))
    return patterns


def _kinds_in(text: str, patterns: _Patterns) -> list[str]:
    words = _words(text)
    squashed = _squashed(text)
    found = []
    for sequence, kind in patterns.sequences:
        size = len(sequence)
        if kind not in found and any(tuple(words[i : i + size]) == sequence for i in range(len(words) - size + 1)):
            found.append(kind)
    for value, kind in patterns.squashed:
        if kind not in found and value in squashed:
            found.append(kind)
    order = [NAME, DATE_OF_BIRTH, RECORD_NUMBER]
    return sorted(found, key=order.index)


def check_briefing(*, user, briefing, content: BriefingContent) -> list[Match]:
    """Where the briefing's text holds a restricted identifier of its rounds' cases (empty: none)."""
    identifiers = identifiers_for_cases(user=user, cases=content.cases)
    patterns = _patterns(identifiers)
    return [Match(place, kind) for place, text in content.texts() for kind in _kinds_in(text, patterns)]
