"""The audit programme's models: rounds and cases, audit tools, chronologies."""

from audits.models.actions import Action, ActionUpdate
from audits.models.chronologies import Chronology, ChronologyEntry
from audits.models.meetings import (
    Attendance,
    CaseDiscussion,
    LearningPoint,
    Meeting,
    PracticeTheme,
    ReflectiveQuestion,
    ResourceLink,
)
from audits.models.programme import (
    STRATA_CHOICES,
    AuditRound,
    Case,
    CaseAgency,
    CaseDraw,
    Need,
    RestrictedIdentifiers,
)
from audits.models.reminders import ReminderSent
from audits.models.tools import (
    AuditTool,
    TemplateQuestion,
    TemplateSection,
    TemplateVersion,
    ToolAnswer,
    ToolSectionState,
    ToolTemplate,
    WorkStatus,
)

__all__ = [
    "STRATA_CHOICES",
    "Action",
    "ActionUpdate",
    "Attendance",
    "AuditRound",
    "AuditTool",
    "Case",
    "CaseAgency",
    "CaseDiscussion",
    "CaseDraw",
    "Chronology",
    "ChronologyEntry",
    "LearningPoint",
    "Meeting",
    "Need",
    "PracticeTheme",
    "ReflectiveQuestion",
    "ReminderSent",
    "ResourceLink",
    "RestrictedIdentifiers",
    "TemplateQuestion",
    "TemplateSection",
    "TemplateVersion",
    "ToolAnswer",
    "ToolSectionState",
    "ToolTemplate",
    "WorkStatus",
]
