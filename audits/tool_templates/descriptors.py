"""The general grade descriptors: what Outstanding, Good, Requires improvement and Inadequate
mean when a template does not say otherwise. A new template starts with them (and so does the
seeded default); a template's editors may then reword them for their own questions."""

from audits.models import TemplateQuestion

Grade = TemplateQuestion.Grade

DEFAULT_DESCRIPTORS = {
    Grade.OUTSTANDING: (
        "Practice is consistently strong and makes a real difference to the child. The child's experience "
        "and views shape what happens, information is shared promptly and acted on together, and the "
        "record shows why decisions were made. Others could learn from it."
    ),
    Grade.GOOD: (
        "Practice is safe and effective. The child is seen and heard, plans reflect their needs and most "
        "information is shared and acted on in good time. Any gaps are small and did not leave the child "
        "at risk."
    ),
    Grade.REQUIRES_IMPROVEMENT: (
        "Practice is not yet good. The child's voice is only partly reflected, some information was shared "
        "late or not followed up, or plans drifted. The child was not left at serious risk of harm."
    ),
    Grade.INADEQUATE: (
        "Serious or widespread failures left the child at risk of harm, or harm was not recognised. Risks "
        "were missed or not acted on, or agencies did not share important information or work together."
    ),
}
