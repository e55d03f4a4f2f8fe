"""The audit tool template every installation starts with, written for this service.

Each section: (title, guidance, [(prompt, guidance, kind, required), ...])."""

from django.db import transaction

from audits.models import GradeDescriptor, TemplateQuestion, TemplateSection, TemplateVersion, ToolTemplate
from audits.tool_templates.descriptors import DEFAULT_DESCRIPTORS

GRADE, YES_NO, TEXT = "grade", "yes_no", "text"

NAME = "Multi-agency case audit tool"
DESCRIPTION = "The partnership's standard audit tool: one for each case and agency in a round."

SECTIONS = [
    (
        "Your agency's involvement",
        "Tell us what your agency did for this child and family during the period the round looks at.",
        [
            (
                "Summarise your agency's involvement with the child and family",
                "Who was involved, how often and why. Use roles, not names.",
                TEXT,
                True,
            ),
            ("Which period does your review cover?", "For example, 1 April 2026 to 30 September 2026.", TEXT, True),
        ],
    ),
    (
        "Assessment and planning",
        "Consider the quality of assessments and plans your agency made or contributed to.",
        [
            ("How well did assessments identify the child's needs and the risks to them?", "", GRADE, True),
            (
                "Were plans specific about what would change, by whom and by when, and were they reviewed?",
                "",
                YES_NO,
                True,
            ),
        ],
    ),
    (
        "Voice and lived experience of the child",
        "Think about what a day in this child's life was like, and whether practice showed it.",
        [
            ("Were the child's wishes and feelings sought, recorded and acted on?", "", YES_NO, True),
            ("How well did practice reflect the child's daily lived experience?", "", GRADE, True),
        ],
    ),
    (
        "Information sharing",
        "",
        [
            ("Did your agency share information with partners when it needed to?", "", YES_NO, True),
            ("How good was the information your agency received from partners?", "", GRADE, False),
        ],
    ),
    (
        "Multi-agency working",
        "",
        [
            ("How well did agencies work together for this child?", "", GRADE, True),
            (
                "When agencies disagreed, was professional challenge or escalation used?",
                "Answer not applicable if there was no disagreement.",
                YES_NO,
                True,
            ),
        ],
    ),
    (
        "Management oversight and supervision",
        "",
        [
            ("Is there evidence of management oversight of decisions?", "", YES_NO, True),
            ("Did supervision help practitioners reflect on this child's situation?", "", GRADE, False),
        ],
    ),
    (
        "Impact and outcomes for the child",
        "",
        [
            ("What difference did your agency's work make to the child's safety and wellbeing?", "", GRADE, True),
        ],
    ),
    (
        "Overall grade",
        "Grade your agency's practice in this case overall and give your reasons in the evidence box.",
        [
            ("Overall grade for your agency's practice in this case", "", GRADE, True),
        ],
    ),
    (
        "Learning",
        "",
        [
            ("What has your agency learned from this case?", "", TEXT, True),
            ("What would your agency do differently next time?", "", TEXT, True),
        ],
    ),
]


@transaction.atomic
def ensure_default_template(**kwargs):
    """Create the starting template when an installation has none (after migrate and test flushes)."""
    if ToolTemplate.objects.exists():
        return
    template = ToolTemplate.objects.create(name=NAME, description=DESCRIPTION, is_default=True)
    version = TemplateVersion.objects.create(template=template, number=1)
    for s_position, (title, guidance, questions) in enumerate(SECTIONS, start=1):
        section = TemplateSection.objects.create(version=version, position=s_position, title=title, guidance=guidance)
        TemplateQuestion.objects.bulk_create(
            TemplateQuestion(
                section=section, position=q_position, prompt=prompt, guidance=q_guidance, kind=kind, required=required
            )
            for q_position, (prompt, q_guidance, kind, required) in enumerate(questions, start=1)
        )
    GradeDescriptor.objects.bulk_create(
        GradeDescriptor(version=version, grade=grade, text=text) for grade, text in DEFAULT_DESCRIPTORS.items()
    )
