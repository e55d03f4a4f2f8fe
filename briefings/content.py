"""What a briefing shows: the one structure the preview page, the PDF, the DOCX and the publication
guard all read (built by ``briefings.selectors.briefing_content``).

A briefing is its title, headline (the rounds' themes), introduction and sections in the author's
order. A learning section holds groups (a case, a practice theme, or one list) of items; the
other sections hold facts of each round (its cases and how they were chosen, what happened,
the actions agreed). ``texts()`` lists every piece of free text and every link address with
where it is, so the guard checks every word the reader sees without knowing the layout."""

from dataclasses import dataclass, field

from audits.models import Action, AuditRound, Case, LearningPoint
from briefings.models import Briefing, BriefingSection
from lib.richtext import link_urls

Kind = BriefingSection.Kind


@dataclass(frozen=True)
class Item:
    """A printed learning point, numbered within its kind ("Key message 2"), with the cases it
    cites in words ("Cases 1 and 2"; "" for the round as a whole)."""

    learning_point: LearningPoint
    label: str
    case_refs: str

    def texts(self) -> list[tuple[str, str]]:
        point, label = self.learning_point, self.label
        texts = [
            (f"{label}, heading", point.heading),
            (f"{label}, text", point.text),
            (f"{label}, call-out line", point.callout),
        ]
        texts += [(f"{label}, reflective question {q.position}", q.text) for q in point.questions.all()]
        for link in point.links.all():
            texts += [
                (f"{label}, link {link.position} title", link.title),
                (f"{label}, link {link.position} address", link.url),
            ]
        return texts


@dataclass(frozen=True)
class Group:
    """Items under one heading: a case ("Case 1"), a practice theme, "Across the cases", or none
    (a section shown as one list). ``show_refs``: print each item's cases after it."""

    heading: str
    items: list[Item]
    show_refs: bool = True


@dataclass(frozen=True)
class RoundFacts:
    """One round in the "Theme and cases" and "Process" sections: its cases with their summaries,
    how they were chosen, and what happened in the round."""

    round: AuditRound
    label: str  # the round's heading when the briefing has several ("North, spring 2026")
    cases: list[Case]
    selection: str
    process: list[str]


@dataclass(frozen=True)
class Section:
    kind: str
    grouping: str
    heading: str  # numbered in a 6 step briefing ("3. Strengths identified per case")
    groups: list[Group] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    @property
    def partial(self) -> str:
        if self.kind == Kind.CASES:
            return "briefings/sections/_cases.html"
        if self.kind == Kind.PROCESS:
            return "briefings/sections/_process.html"
        if self.kind == Kind.ACTIONS:
            return "briefings/sections/_actions.html"
        if self.kind == Kind.KEY_MESSAGE:
            return "briefings/sections/_key_messages.html"
        return "briefings/sections/_learning.html"

    @property
    def is_empty(self) -> bool:
        return not any(group.items for group in self.groups) and not self.actions


@dataclass(frozen=True)
class LeftOut:
    """A learning point of the briefing's rounds that the briefing does not print, and why."""

    learning_point: LearningPoint
    label: str  # "Finding, Case 1"
    reason: str


@dataclass(frozen=True)
class BriefingContent:
    briefing: Briefing
    rounds: list[AuditRound]
    round_facts: list[RoundFacts]
    cases: list[Case]
    sections: list[Section]
    items: list[Item]  # every printed item, in print order
    themes_covered: list[str]
    left_out: list[LeftOut]

    @property
    def caption(self) -> str:
        return f"Multi-agency case audit: {self.briefing.get_format_display()}"

    @property
    def several_rounds(self) -> bool:
        return len(self.rounds) > 1

    @property
    def headline(self) -> list[str]:
        """The rounds' themes, each once, in round order: the headline of every real briefing."""
        themes = []
        for audit_round in self.rounds:
            if audit_round.theme and audit_round.theme not in themes:
                themes.append(audit_round.theme)
        return themes

    @property
    def where(self) -> str:
        """The areas and periods of the rounds, for the caption ("North and South, 2026")."""
        areas = list(dict.fromkeys(r.area.name for r in self.rounds))
        periods = list(dict.fromkeys(r.period_label for r in self.rounds))
        return f"{join_words(areas)}, {join_words(periods)}"

    def texts(self) -> list[tuple[str, str]]:
        """Every piece of free text the briefing shows, and every link address, with where it is."""
        texts = [("Title", self.briefing.title), ("Introduction", self.briefing.introduction)]
        texts += [(f"Round {facts.label or 1}, theme", facts.round.theme) for facts in self.round_facts]
        texts += [(f"{case.label} summary", case.summary) for case in self.cases]
        for item in self.items:
            texts += item.texts()
        for section in self.sections:
            texts += [(f"Action {n}", action.what) for n, action in enumerate(section.actions, start=1)]
        # Link addresses inside rich text (percent-decoded), besides the text as typed.
        texts += [
            (f"{place}, link address", url)
            for place, text in list(texts)
            if not place.endswith("address")
            for url in link_urls(text or "")
        ]
        return texts


def join_words(words: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
