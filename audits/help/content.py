"""What the help pages say that is data rather than layout: the glossary, the round guides (one per
role) and the grade scale. The wording is the service's own, in plain English."""

from dataclasses import dataclass

from agencies.permissions import is_administrator, is_board_approver, is_coordinator


@dataclass(frozen=True)
class Term:
    term: str
    stands_for: str  # what an abbreviation stands for ("" when it is not one)
    meaning: str

    @property
    def anchor(self) -> str:
        return "".join(c if c.isalnum() else "-" for c in self.term.lower()).strip("-")


# Alphabetical by term; a page lists them in this order.
GLOSSARY = [
    Term(
        "Action plan",
        "",
        "The list of actions agreed at the multi-agency meeting: what will change, which agency leads it, who owns "
        "it and by when. Actions are tracked, with progress updates, until they are complete, even after the "
        "round closes.",
    ),
    Term(
        "Agency",
        "",
        "An organisation that works with children and families and takes part in the partnership's audits, for "
        "example children's social care, the police, a health trust, a school or a voluntary organisation.",
    ),
    Term(
        "Audit round",
        "",
        "One themed audit in one area: a handful of children's cases, looked at by every agency involved, from "
        "planning to a published briefing. Rounds usually recur every six months.",
    ),
    Term(
        "Audit tool",
        "",
        "The form an agency fills in for one case: questions grouped in sections, each answered with a grade or "
        "yes, partly, no or not applicable, and the evidence for the answer.",
    ),
    Term(
        "CAMHS",
        "Child and adolescent mental health services",
        "NHS services that assess and treat children and young people with emotional, behavioural or mental "
        "health difficulties.",
    ),
    Term(
        "Chronology",
        "",
        "An agency's dated list of what happened in a child's case during the audit period: contacts, visits, "
        "referrals, assessments, meetings and incidents, with what was done as a result.",
    ),
    Term(
        "CIN",
        "Child in need",
        "A child who is unlikely to be safe, healthy or to develop well without help from local services. A child "
        "in need plan sets out that help (section 17 of the Children Act 1989).",
    ),
    Term(
        "CLA / LAC",
        "Child looked after / looked-after child",
        "A child in the care of the local authority, for example living with foster carers, in a children's home "
        "or with relatives under a care arrangement. CLA is the newer term; many records still say LAC.",
    ),
    Term(
        "CP",
        "Child protection (plan)",
        "A plan agreed at a child protection conference when a child is judged to be at risk of significant harm. "
        "It says what each agency and the family will do to keep the child safe.",
    ),
    Term(
        "CSC",
        "Children's social care",
        "The local authority's social work service for children and families.",
    ),
    Term(
        "EHA",
        "Early help assessment",
        "An assessment, agreed with the family, of what help they need before problems become serious. It leads "
        "to an early help plan, usually coordinated by one lead professional.",
    ),
    Term(
        "Grade",
        "",
        "The judgement an audit tool question asks for: Outstanding, Good, Requires improvement or Inadequate. "
        "The multi-agency meeting also agrees an overall grade for each case.",
    ),
    Term(
        "ICB",
        "Integrated care board",
        "The NHS body that plans and pays for health services in an area, including GP services; it is one of "
        "the statutory safeguarding partners.",
    ),
    Term(
        "Integrated chronology",
        "",
        "Every agency's chronology of a case merged into one timeline, in date order, so that the meeting can see "
        "who knew what, and when. Agencies can read it once the returns are due.",
    ),
    Term(
        "IRO",
        "Independent reviewing officer",
        "A social worker, independent of the child's case, who chairs the reviews of a looked-after child's care plan.",
    ),
    Term(
        "Key event",
        "",
        "A chronology entry marked as significant, so that the integrated chronology can show the key events "
        "on their own.",
    ),
    Term(
        "Learning summary",
        "",
        "The round's write-up after the meeting: strengths, findings, key messages with reflective questions "
        "for practitioners, recommendations and good practice.",
    ),
    Term(
        "MAPPA",
        "Multi-agency public protection arrangements",
        "How the police, probation and prison services, with other agencies, manage the risk posed by people "
        "convicted of violent or sexual offences living in the community.",
    ),
    Term(
        "MARAC",
        "Multi-agency risk assessment conference",
        "A regular meeting where agencies share information about victims of domestic abuse at the highest risk "
        "and agree a plan to make them, and their children, safer.",
    ),
    Term(
        "MASH",
        "Multi-agency safeguarding hub",
        "A team of staff from several agencies, often in one place, who look at concerns about a child together "
        "and decide quickly what should happen next.",
    ),
    Term(
        "Multi-agency meeting",
        "",
        "The meeting where the agencies of a round discuss each case together, agree its strengths, findings and "
        "overall grade, and agree actions.",
    ),
    Term(
        "Practice theme",
        "",
        "A recurring subject of learning, such as the voice of the child or information sharing, used to tag "
        "strengths, findings and messages so that they can be compared across rounds.",
    ),
    Term(
        "RAG",
        "Red, amber, green",
        "A status shown as a colour and a word: here, whether an action is on track (green), due soon (amber) or "
        "overdue (red).",
    ),
    Term(
        "Restricted identifiers",
        "",
        "A case's real details, such as the child's name, date of birth and record numbers. Everywhere else the "
        "child is 'Child 1', 'Child 2' and so on. Only a few people may see them, every view is logged, and they "
        "are destroyed when the retention period ends.",
    ),
    Term(
        "Section 47 enquiry",
        "",
        "An investigation by children's social care, with other agencies, when there is reasonable cause to "
        "suspect a child is suffering, or likely to suffer, significant harm (section 47 of the Children Act "
        "1989). Often written s47.",
    ),
    Term(
        "6 step briefing",
        "",
        "A short briefing of a round's learning in six parts: the theme and cases, how the audit was done, "
        "strengths, findings, recommendations and good practice.",
    ),
    Term(
        "Strategy discussion",
        "",
        "A discussion, at least between children's social care, the police and health, held when a child may be "
        "at risk of significant harm, to share what is known and decide whether to start a section 47 enquiry.",
    ),
]


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str  # "How a round works for ..."
    who: str  # who this guide is for, in a sentence
    template: str


GUIDES = [
    Guide(
        "coordinator",
        "Audit coordinators",
        "You plan rounds, choose cases and agencies, chase and review returns, run the meeting and write the learning.",
        "help/guides/coordinator.html",
    ),
    Guide(
        "agency-lead",
        "Agency leads",
        "You answer for your agency: you fill in or check its audit tools and chronologies and submit them.",
        "help/guides/agency_lead.html",
    ),
    Guide(
        "auditor",
        "Auditors",
        "You are a practitioner who drafts an audit tool or chronology for your agency's lead to check and submit.",
        "help/guides/auditor.html",
    ),
    Guide(
        "board",
        "Board staff and readers",
        "You read the learning, and board approvers sign briefings off before they are published.",
        "help/guides/board.html",
    ),
    Guide(
        "administrator",
        "Administrators",
        "You look after people's accounts, agencies, areas, audit tool templates and practice themes.",
        "help/guides/administrator.html",
    ),
]
GUIDES_BY_SLUG = {guide.slug: guide for guide in GUIDES}


def guides_for(user) -> set[str]:
    """The guides of the roles a user holds (the same predicates the rest of the service asks)."""
    slugs = set()
    if is_coordinator(user):
        slugs.add("coordinator")
    if user.agency is not None:
        slugs.add("agency-lead" if user.is_agency_lead else "auditor")
    if is_administrator(user):
        slugs.add("administrator")
    # Everyone above reads published briefings too: a board reader is someone who only does that.
    if is_board_approver(user) or (user.has_perm("briefings.view_published") and not slugs):
        slugs.add("board")
    return slugs


@dataclass(frozen=True)
class Grade:
    label: str
    summary: str
    looks_like: list[str]


# The general scale; a template may describe each grade for its own questions.
GRADES = [
    Grade(
        "Outstanding",
        "Practice is consistently strong and makes a real difference to the child.",
        [
            "The child's experience and views are clearly understood and shape what happens.",
            "Agencies share information promptly and act on it together.",
            "Risks are recognised early, reviewed and acted on; the record shows why decisions were made.",
            "Others could learn from how this case was handled.",
        ],
    ),
    Grade(
        "Good",
        "Practice is safe and effective; any gaps are small and did not leave the child at risk.",
        [
            "The child is seen and heard, and plans reflect their needs.",
            "Most information is shared and acted on in good time.",
            "Decisions are sound and recorded, with minor weaknesses.",
        ],
    ),
    Grade(
        "Requires improvement",
        "Practice is not yet good: there are weaknesses, though the child was not left at serious risk.",
        [
            "The child's voice or lived experience is only partly reflected.",
            "Some information was shared late or not followed up.",
            "Plans or reviews drift, or the reasons for decisions are unclear.",
        ],
    ),
    Grade(
        "Inadequate",
        "Serious or widespread failures left the child at risk of harm, or harm was not recognised.",
        [
            "Risks were missed, not escalated or not acted on.",
            "Agencies did not share important information or work together.",
            "There is little evidence that the child was seen, heard or protected.",
        ],
    ),
]
