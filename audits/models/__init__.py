"""Django finds the app's models here: each feature keeps its own in <feature>/models.py."""

from audits.actions.models import Action, ActionUpdate
from audits.learning.models import LearningPoint, PracticeTheme, ReflectiveQuestion, ResourceLink
from audits.meetings.models import Attendance, CaseDiscussion, Meeting
from audits.returns.models import (
    AuditTool,
    Chronology,
    ChronologyEntry,
    ChronologyImport,
    ReminderSent,
    ToolAnswer,
    ToolSectionState,
    WorkStatus,
)
from audits.rounds.models import STRATA_CHOICES, AuditRound, Case, CaseAgency, CaseDraw, Need, RestrictedIdentifiers
from audits.sent_mail import SentMail
from audits.tool_templates.models import (
    GradeDescriptor,
    TemplateQuestion,
    TemplateSection,
    TemplateVersion,
    ToolTemplate,
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
    "ChronologyImport",
    "GradeDescriptor",
    "LearningPoint",
    "Meeting",
    "Need",
    "PracticeTheme",
    "ReflectiveQuestion",
    "ReminderSent",
    "ResourceLink",
    "RestrictedIdentifiers",
    "SentMail",
    "TemplateQuestion",
    "TemplateSection",
    "TemplateVersion",
    "ToolAnswer",
    "ToolSectionState",
    "ToolTemplate",
    "WorkStatus",
]
