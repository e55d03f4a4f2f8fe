"""Forms of the audits app, one module per area. The programme's forms are re-exported here."""

from audits.forms.programme import (
    CANDIDATE_COLUMNS,
    AreaChoiceForm,
    CaseAgenciesForm,
    CaseForm,
    DrawForm,
    IdentifiersForm,
    NewCaseForm,
    RoundForm,
)

__all__ = [
    "CANDIDATE_COLUMNS",
    "AreaChoiceForm",
    "CaseAgenciesForm",
    "CaseForm",
    "DrawForm",
    "IdentifiersForm",
    "NewCaseForm",
    "RoundForm",
]
