from django.urls import include, path

from audits.views import programme

app_name = "audits"

case_patterns = [
    path("", programme.case_detail, name="case-detail"),
    path("edit/", programme.case_edit, name="case-edit"),
    path("agencies/", programme.case_agencies, name="case-agencies"),
    path("identifiers/", programme.case_identifiers, name="case-identifiers"),
    path("identifiers/edit/", programme.case_identifiers_edit, name="case-identifiers-edit"),
]

round_patterns = [
    path("", programme.round_detail, name="round-detail"),
    path("edit/", programme.round_edit, name="round-edit"),
    path("advance/", programme.round_advance, name="round-advance"),
    path("history/", programme.round_history, name="round-history"),
    path("cases/add/", programme.case_add, name="case-add"),
    path("cases/draw/", programme.draw_start, name="draw-start"),
    path("cases/draw/<int:draw_pk>/", programme.draw_preview, name="draw-preview"),
    path("cases/<int:number>/", include(case_patterns)),
]

round_list_patterns = [
    path("", programme.round_list, name="round-list"),
    path("plan/", programme.round_plan, name="round-plan"),
    path("plan/<int:area_pk>/", programme.round_plan_details, name="round-plan-details"),
    path("<int:pk>/", include(round_patterns)),
]

# Each area's views module lists its own patterns (full paths from the site root).
urlpatterns = [
    path("rounds/", include(round_list_patterns)),
    path("", include("audits.views.tools")),
    path("", include("audits.views.chronologies")),
    path("", include("audits.views.chronology_files")),
    path("", include("audits.views.integrated")),
    path("", include("audits.views.tool_templates")),
    path("", include("audits.views.completion")),
    path("", include("audits.views.meetings")),
    path("", include("audits.views.themes")),
    path("", include("audits.views.actions")),
    path("", include("audits.views.learning")),
    path("", include("audits.views.library")),
]
