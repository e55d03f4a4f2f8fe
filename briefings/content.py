"""What a briefing shows, typed per format: the one structure the preview page, the PDF and the
publication guard all read (built by ``briefings.selectors.briefing_content``).

Every format shows the title, the introduction, its cases' summaries and its included items;
``texts()`` lists all of that free text with where it is, so the guard checks every word the
reader sees without knowing how a format lays it out."""

from dataclasses import dataclass
from typing import ClassVar

from audits.models import AuditRound, Case, LearningPoint
from briefings.models import Briefing


@dataclass(frozen=True)
class Item:
    """An included learning point, numbered within its kind ("Key message 2"), with the cases
    it comes from."""

    learning_point: LearningPoint
    label: str
    case_refs: list[str]

    def texts(self) -> list[tuple[str, str]]:
        point, label = self.learning_point, self.label
        texts = [
            (f"{label}, heading", point.heading),
            (f"{label}, text", point.text),
            (f"{label}, call-out line", point.callout),
        ]
        texts += [(f"{label}, reflective question {q.position}", q.text) for q in point.questions.all()]
        texts += [(f"{label}, link {link.position} title", link.title) for link in point.links.all()]
        return texts


@dataclass(frozen=True)
class CaseItems:
    """One case's items of one kind."""

    case: Case
    items: list[Item]


@dataclass(frozen=True)
class ThemeItems:
    """The strengths under one practice theme."""

    name: str
    items: list[Item]


@dataclass(frozen=True)
class RoundFacts:
    """Steps 1 and 2 of a 6 step briefing for one round: its cases, how they were chosen, and
    what happened in the round."""

    round: AuditRound
    cases: list[Case]
    selection: str
    process: list[str]


@dataclass(frozen=True)
class CaseLearning:
    """A case's section of a learning summary by case."""

    case: Case
    strengths: list[Item]
    key_messages: list[Item]


@dataclass(frozen=True)
class BriefingContent:
    """What every format shows. A format's partial (``partial``) lays out the rest."""

    caption: ClassVar[str] = "Multi-agency case audit: learning summary"
    partial: ClassVar[str]

    briefing: Briefing
    rounds: list[AuditRound]
    cases: list[Case]
    items: list[Item]

    @property
    def several_rounds(self) -> bool:
        return len(self.rounds) > 1

    def texts(self) -> list[tuple[str, str]]:
        """Every piece of free text the briefing shows, with where it is: (place, text)."""
        texts = [("Title", self.briefing.title), ("Introduction", self.briefing.introduction)]
        texts += [(f"{case} summary", case.summary) for case in self.cases]
        for item in self.items:
            texts += item.texts()
        return texts


@dataclass(frozen=True)
class SixStepContent(BriefingContent):
    caption: ClassVar[str] = "Multi-agency case audit: 6 step briefing"
    partial: ClassVar[str] = "briefings/_six_step.html"

    round_facts: list[RoundFacts]
    strengths: list[CaseItems]
    findings: list[CaseItems]
    recommendations: list[Item]
    good_practice: list[Item]


@dataclass(frozen=True)
class ByThemeContent(BriefingContent):
    partial: ClassVar[str] = "briefings/_by_theme.html"

    themes: list[ThemeItems]
    key_messages: list[Item]


@dataclass(frozen=True)
class ByCaseContent(BriefingContent):
    partial: ClassVar[str] = "briefings/_by_case.html"

    by_case: list[CaseLearning]
    other_key_messages: list[Item]
