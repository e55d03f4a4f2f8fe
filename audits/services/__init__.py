"""Writes to the audit programme. Every change names its actor and runs in one transaction.

The programme (rounds, cases, draws) is re-exported here; tools, chronologies and templates have
their own modules."""

from audits.services.programme import (
    ROUND_FIELDS,
    ROUND_TRANSITIONS,
    _add_months,
    case_create,
    case_set_agencies,
    case_update,
    draw_candidates,
    draw_confirm,
    draw_preview,
    period_label_for,
    read_candidate_file,
    round_advance,
    round_create,
    round_open_problems,
    round_proposal,
    round_update,
)

__all__ = [
    "ROUND_FIELDS",
    "ROUND_TRANSITIONS",
    "_add_months",
    "case_create",
    "case_set_agencies",
    "case_update",
    "draw_candidates",
    "draw_confirm",
    "draw_preview",
    "period_label_for",
    "read_candidate_file",
    "round_advance",
    "round_create",
    "round_open_problems",
    "round_proposal",
    "round_update",
]
