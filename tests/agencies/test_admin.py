from django.urls import reverse

from agencies.models import User


def _change(client, user, **overrides):
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "job_title": "",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [],
        "agency_membership-TOTAL_FORMS": "0",
        "agency_membership-INITIAL_FORMS": "0",
        "agency_membership-MIN_NUM_FORMS": "0",
        "agency_membership-MAX_NUM_FORMS": "1",
    }
    data.update(overrides)
    return client.post(reverse("admin:agencies_user_change", args=[user.pk]), data)


def test_administrator_cannot_make_anyone_a_superuser(client, administrator, coordinator):
    client.force_login(administrator)
    response = _change(client, coordinator)
    assert response.status_code == 302
    assert not User.objects.get(pk=coordinator.pk).is_superuser


def test_administrator_cannot_change_their_own_roles(client, administrator, coordinator):
    client.force_login(administrator)
    coordinator_group = coordinator.groups.get()
    _change(client, administrator, groups=[coordinator_group.pk])
    administrator.refresh_from_db()
    assert not administrator.is_superuser
    assert not administrator.groups.filter(pk=coordinator_group.pk).exists()
    assert not administrator.has_perm("audits.view_restricted_identifiers")
