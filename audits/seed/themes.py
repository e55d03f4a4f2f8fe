"""The starting list of practice themes; coordinators and administrators can add more."""

from audits.models import PracticeTheme

THEMES = [
    ("Voice of the child", "Whether the child's wishes and feelings were sought and shaped what happened."),
    ("Lived experience of the child", "What daily life was like for the child, seen from the child's side."),
    ("Information sharing", "Timely sharing of what agencies knew, with the right people."),
    ("Multi-agency working", "Agencies planning and acting together around the child."),
    ("Professional curiosity", "Looking beyond what is presented and asking the next question."),
    ("Challenge and escalation", "Using professional challenge and escalation when agencies disagree."),
    ("Engagement of fathers", "Including fathers and male carers in assessment and planning."),
    ("Disguised compliance", "Recognising apparent co-operation that does not change the child's situation."),
    ("Cross-border working", "Working with agencies in other areas when families move or live apart."),
    ("Transitions", "Moves between services, schools, teams and into adulthood."),
    ("Management oversight", "Supervision and managers' grip on decisions and drift."),
    ("Assessment quality", "How well assessments understood needs and risks."),
    ("Planning and step-down", "Plans that say who does what by when, and safe step-down."),
    ("Safety planning", "Concrete plans that keep the child safe day to day."),
    ("Wider family", "Involving grandparents, siblings and the wider network."),
    ("Young carers", "Children caring for family members, and the support they get."),
    ("Think family", "Adult services considering the children of the adults they support."),
    ("Neglect", "Recognising and responding to the cumulative harm of neglect."),
    ("Domestic abuse", "The impact on children of abuse between adults in the home."),
    ("Exploitation", "Criminal and sexual exploitation of children outside the home."),
]


def ensure_themes(**kwargs):
    """Add any missing theme from the starting list (after every migrate, and after test flushes)."""

    existing = set(PracticeTheme.objects.values_list("name", flat=True))
    PracticeTheme.objects.bulk_create(
        [PracticeTheme(name=name, description=text) for name, text in THEMES if name not in existing]
    )
