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


def _superuser():
    return User.objects.create_superuser(email="root@example.test", password="root-password-long-enough")


def test_administrator_cannot_take_over_a_superuser(client, administrator):
    """Setting a superuser's password or address, resetting their two-factor sign-in or deleting
    them is for superusers only: otherwise an administrator could become one."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    root = _superuser()
    TOTPDevice.objects.create(user=root, name="Authenticator app", confirmed=True)
    client.force_login(administrator)
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    response = client.post(password_url, {"password1": "taken-over-2026!", "password2": "taken-over-2026!"})
    # Django's admin is for superusers only: an administrator is sent away from all of it.
    assert response.status_code == 302
    root.refresh_from_db()
    assert not root.check_password("taken-over-2026!")
    response = client.post(
        reverse("admin:agencies_user_change", args=[root.pk]),
        {"email": "admin@example.test", "full_name": "x"},
    )
    assert response.status_code in (302, 403, 200)
    root.refresh_from_db()
    assert root.email == "root@example.test"
    client.post(
        reverse("admin:agencies_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [root.pk]},
    )
    assert TOTPDevice.objects.filter(user=root).exists()
    assert client.post(reverse("admin:agencies_user_delete", args=[root.pk]), {"post": "yes"}).status_code == 302
    assert User.objects.filter(pk=root.pk).exists()


def test_a_password_set_in_the_admin_is_logged(client, coordinator):
    from agencies.models import AccessEvent

    administrator = _superuser()
    client.force_login(administrator)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[coordinator.pk]),
        {"password1": "a-new-long-password-2026", "password2": "a-new-long-password-2026"},
    )
    assert response.status_code == 302
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.PASSWORD_CHANGED)
    assert event.user == administrator
    assert event.what == f"Password set by an administrator for user #{coordinator.pk}"


def test_two_factor_devices_are_not_in_the_admin_site(client, django_user_model):
    """Their keys and recovery codes would be readable and changeable there without a trace."""
    root = _superuser()
    client.force_login(root)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404
