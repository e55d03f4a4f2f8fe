"""URL patterns of audits.returns (full paths from the site root)."""

from django.urls import path, register_converter

from audits.returns.permissions import KINDS
from audits.returns.views import assignment, chronologies, chronology_files, completion, decisions, integrated, tools


class ReturnKind:
    """The first segment of a return's URL: "tools" or "chronologies"."""

    regex = "|".join(KINDS)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ReturnKind, "return_kind")

tools_patterns = [
    path("tools/<int:pk>/", tools.tool_detail, name="tool-detail"),
    path("tools/<int:pk>/sections/<int:section_pk>/", tools.tool_section, name="tool-section"),
    path("tools/<int:pk>/check/", tools.tool_check, name="tool-check"),
    path("tools/<int:pk>/pdf/", tools.tool_pdf, name="tool-pdf"),
    path("tools/<int:pk>/submit/", tools.tool_submit, name="tool-submit"),
    path("tools/<int:pk>/return/", tools.tool_return, name="tool-return"),
    path("tools/<int:pk>/accept/", tools.tool_accept, name="tool-accept"),
]

chronologies_patterns = [
    path("chronologies/<int:pk>/", chronologies.chronology_detail, name="chronology-detail"),
    path("chronologies/<int:pk>/entries/add/", chronologies.entry_add, name="entry-add"),
    path("chronologies/<int:pk>/entries/<int:entry_pk>/edit/", chronologies.entry_edit, name="entry-edit"),
    path("chronologies/<int:pk>/entries/<int:entry_pk>/delete/", chronologies.entry_delete, name="entry-delete"),
    path("chronologies/<int:pk>/submit/", chronologies.chronology_submit, name="chronology-submit"),
    path("chronologies/<int:pk>/return/", chronologies.chronology_return, name="chronology-return"),
    path("chronologies/<int:pk>/accept/", chronologies.chronology_accept, name="chronology-accept"),
]

chronology_files_patterns = [
    path("chronologies/<int:pk>/import/", chronology_files.chronology_import, name="chronology-import"),
    path(
        "chronologies/<int:pk>/import/preview/",
        chronology_files.chronology_import_preview,
        name="chronology-import-preview",
    ),
    path(
        "chronologies/<int:pk>/import/<int:import_pk>/",
        chronology_files.chronology_import_status,
        name="chronology-import-status",
    ),
    path("chronologies/<int:pk>/entries/delete/", chronologies.entries_delete, name="entries-delete"),
    path("chronologies/<int:pk>/export.csv", chronology_files.chronology_export_csv, name="chronology-export-csv"),
    path("chronologies/<int:pk>/export.xlsx", chronology_files.chronology_export_xlsx, name="chronology-export-xlsx"),
]

_BASE = "rounds/<int:pk>/cases/<int:number>/chronology/"
integrated_patterns = [
    path(_BASE, integrated.integrated_chronology, name="integrated-chronology"),
    path(_BASE + "export.csv", integrated.integrated_chronology_csv, name="integrated-chronology-csv"),
    path(_BASE + "export.xlsx", integrated.integrated_chronology_xlsx, name="integrated-chronology-xlsx"),
    path(_BASE + "export.pdf", integrated.integrated_chronology_pdf, name="integrated-chronology-pdf"),
]

# What works the same on an audit tool or a chronology: tools/<pk>/... or chronologies/<pk>/...
_EITHER = "<return_kind:kind>/<int:pk>/"
either_patterns = [
    path(_EITHER + "assign/", assignment.return_assign, name="return-assign"),
    path(_EITHER + "ready/", assignment.return_ready, name="return-ready"),
    path(_EITHER + "submitted/", decisions.return_submitted, name="return-submitted"),
    path(_EITHER + "review/", decisions.return_review, name="return-review"),
    path(_EITHER + "accept/confirm/", decisions.return_accept, name="return-accept"),
]

completion_patterns = [
    path("rounds/<int:pk>/completion/", completion.round_completion_page, name="round-completion"),
    path("rounds/<int:pk>/completion.csv", completion.round_completion_csv, name="round-completion-csv"),
]

urlpatterns = (
    tools_patterns
    + chronologies_patterns
    + chronology_files_patterns
    + either_patterns
    + integrated_patterns
    + completion_patterns
)
