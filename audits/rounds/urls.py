"""URL patterns of audits.rounds (full paths from the site root)."""

from django.urls import include, path

from audits.returns.views import completion
from audits.rounds.views import identifiers
from audits.rounds.views import rounds as views

case_patterns = [
    path("", views.case_detail, name="case-detail"),
    path("edit/", views.case_edit, name="case-edit"),
    path("agencies/", views.case_agencies, name="case-agencies"),
    path("identifiers/", identifiers.case_identifiers, name="case-identifiers"),
    path("identifiers/edit/", identifiers.case_identifiers_edit, name="case-identifiers-edit"),
    path(
        "identifiers/end-agency-access/",
        identifiers.case_agency_details_end,
        name="case-agency-details-end",
    ),
    path("child-details/", identifiers.child_details, name="case-child-details"),
]

round_patterns = [
    path("", views.round_detail, name="round-detail"),
    path("edit/", views.round_edit, name="round-edit"),
    path("advance/", views.round_advance, name="round-advance"),
    path("history/", views.round_history, name="round-history"),
    path("completion/chase/<int:agency_pk>/", completion.round_chase, name="round-chase"),
    path("cases/add/", views.case_add, name="case-add"),
    path("cases/draw/", views.draw_start, name="draw-start"),
    path("cases/draw/<int:draw_pk>/", views.draw_preview, name="draw-preview"),
    path("cases/<int:number>/", include(case_patterns)),
]

round_list_patterns = [
    path("", views.round_list, name="round-list"),
    path("plan/", views.round_plan, name="round-plan"),
    path("plan/<int:area_pk>/", views.round_plan_details, name="round-plan-details"),
    path("<int:pk>/", include(round_patterns)),
]

urlpatterns = [
    path("rounds/", include(round_list_patterns)),
]
