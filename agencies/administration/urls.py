from django.urls import path

from agencies.administration.views import invitations, organisations, people, settings

app_name = "administration"

_PERSON = "administration/people/<int:pk>/"

urlpatterns = [
    path("settings/", settings.settings_index, name="settings"),
    path("administration/", people.administration, name="index"),
    path("administration/people/", people.person_list, name="person-list"),
    path("administration/people/invite/", people.person_invite, name="person-invite"),
    path(_PERSON, people.person_detail, name="person-detail"),
    path(_PERSON + "access/", people.person_access, name="person-access"),
    path(_PERSON + "deactivate/", people.person_deactivate, name="person-deactivate"),
    path(_PERSON + "reactivate/", people.person_reactivate, name="person-reactivate"),
    path(_PERSON + "reset-two-factor/", people.person_two_factor_reset, name="person-two-factor-reset"),
    path(_PERSON + "invite-again/", people.person_invite_again, name="person-invite-again"),
    path(_PERSON + "confirm-coordinator/", people.coordinator_confirm, name="coordinator-confirm"),
    path("administration/agencies/", organisations.agency_list, name="agency-list"),
    path("administration/agencies/add/", organisations.agency_add, name="agency-add"),
    path("administration/agencies/<int:pk>/change/", organisations.agency_edit, name="agency-edit"),
    path("administration/areas/", organisations.area_list, name="area-list"),
    path("administration/areas/add/", organisations.area_add, name="area-add"),
    path("administration/areas/<int:pk>/change/", organisations.area_edit, name="area-edit"),
    path("administration/needs/", organisations.need_list, name="need-list"),
    path("administration/needs/add/", organisations.need_add, name="need-add"),
    path("administration/needs/<int:pk>/change/", organisations.need_edit, name="need-edit"),
    path("invitation/set-password/", invitations.invitation_accept, name="invitation-accept"),
    path("invitation/", invitations.invitation, name="invitation"),
]
