"""URL patterns of audits.meetings (full paths from the site root)."""

from django.urls import path

from audits.meetings import views

_CASE = "meetings/<int:pk>/cases/<int:number>/"

urlpatterns = [
    path("rounds/<int:pk>/meeting/arrange/", views.meeting_arrange, name="meeting-arrange"),
    path("rounds/<int:pk>/meeting/<int:sitting>/change/", views.meeting_edit, name="meeting-edit"),
    path("rounds/<int:pk>/meeting-pack/", views.meeting_pack, name="meeting-pack"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/invitation.ics", views.meeting_invitation, name="meeting-invitation"),
    path("meetings/<int:pk>/send-invitations/", views.meeting_send_invitations, name="meeting-send-invitations"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting-attendance"),
    path(_CASE, views.meeting_case, name="meeting-case"),
    path(_CASE + "discussion/", views.meeting_discussion, name="meeting-discussion"),
    path(_CASE + "<str:kind>/add/", views.learning_add, name="learning-add"),
    path(_CASE + "learning/<int:point_pk>/change/", views.learning_edit, name="learning-edit"),
    path(_CASE + "learning/<int:point_pk>/remove/", views.learning_remove, name="learning-remove"),
]
