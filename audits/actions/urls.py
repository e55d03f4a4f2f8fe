"""URL patterns of audits.actions (full paths from the site root)."""

from django.urls import path

from audits.actions import views

_ROUND = "rounds/<int:pk>/actions/"
_ACTION = "actions/<int:pk>/"
urlpatterns = [
    path(_ROUND, views.round_actions, name="round-actions"),
    path(_ROUND + "export.csv", views.round_actions_export, {"fmt": "csv"}, name="round-actions-csv"),
    path(_ROUND + "export.xlsx", views.round_actions_export, {"fmt": "xlsx"}, name="round-actions-xlsx"),
    path(_ROUND + "export.pdf", views.round_actions_export, {"fmt": "pdf"}, name="round-actions-pdf"),
    path(_ROUND + "add/", views.action_add, name="action-add"),
    path("actions/", views.action_list, name="action-list"),
    path("actions/export.csv", views.action_list_export, {"fmt": "csv"}, name="action-list-csv"),
    path("actions/export.xlsx", views.action_list_export, {"fmt": "xlsx"}, name="action-list-xlsx"),
    path("actions/export.pdf", views.action_list_export, {"fmt": "pdf"}, name="action-list-pdf"),
    path(_ACTION, views.action_detail, name="action-detail"),
    path(_ACTION + "edit/", views.action_edit, name="action-edit"),
    path(_ACTION + "update/", views.action_update, name="action-update"),
    path(_ACTION + "propose-completion/", views.action_propose, name="action-propose"),
    path(_ACTION + "confirm-completion/", views.action_confirm, name="action-confirm"),
    path(_ACTION + "reopen/", views.action_reopen, name="action-reopen"),
    path(_ACTION + "not-going-ahead/", views.action_not_going_ahead, name="action-not-going-ahead"),
]
