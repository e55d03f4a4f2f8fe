"""What every signed-in request needs before its view, kept so that it costs at most three
queries: the session (none with a shared cache), the user with their agency membership (one
query, ``backends.Backend``), and nothing more while nothing changed.

The session remembers, beside ``User.access_version``, the two-factor device that verified it
and the user's permissions. Anything that changes what a person may do or how they signed in
(their roles, their agency, a role's permissions, their two-factor devices) adds one to their
``access_version`` (the receivers below), so every session of theirs, on every server, works
it out again on its next request: the version is read with the user on every request."""

import functools

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in
from django.db.models import F, Q
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.accounts.middleware import touch
from agencies.models import Membership, User

SESSION_KEY = "access_cache"


def changed(user_ids) -> None:
    """What these people may do, or how they signed in, has changed: their sessions find out."""
    User.objects.filter(pk__in=list(user_ids)).update(access_version=F("access_version") + 1)


def _cached(request, user) -> dict | None:
    cached = request.session.get(SESSION_KEY)
    if not isinstance(cached, dict) or cached.get("version") != user.access_version:
        return None
    if cached.get("user") != user.pk or cached.get("device") != request.session.get(DEVICE_ID_SESSION_KEY):
        return None
    return cached


def remember(request, user, *, version: int | None = None) -> None:
    """Keep what this session's requests need about ``user`` in the session."""
    request.session[SESSION_KEY] = {
        "version": user.access_version if version is None else version,
        "user": user.pk,
        "device": request.session.get(DEVICE_ID_SESSION_KEY),
        "perms": sorted(user.get_all_permissions()),
    }


@receiver(user_logged_in, dispatch_uid="access_cache.signed_in")
def _signed_in(sender, request, user, **kwargs):
    # Worked out as people sign in, so that their first page costs no more than the next.
    # The version is read again: the object signing in may be older than its last change.
    if request is not None and hasattr(request, "session"):
        version = User.objects.filter(pk=user.pk).values_list("access_version", flat=True).first()
        remember(request, user, version=version)
        touch(request.session, now=True)


def _cached_is_verified(user) -> bool:
    return user.otp_device is not None


class VerifiedSessionMiddleware(OTPMiddleware):
    """django-otp's OTPMiddleware (``user.otp_device``, ``user.is_verified()``), reading the device
    and the permissions from the session while the user's ``access_version`` is unchanged. The
    device is then loaded only if something uses it; the permissions fill the auth backend's own
    cache (``_perm_cache``). Otherwise it does what OTPMiddleware does and remembers the result."""

    def _install_lazy_accessors(self, request):
        super()._install_lazy_accessors(request)
        user = getattr(request, "user", None)
        if isinstance(user, SimpleLazyObject):
            # Worked out now rather than on first use: nearly every page asks (the sign-in
            # requirement, the navigation), and a plain object answers faster than a lazy one.
            user.pk  # noqa: B018
            request.user = user._wrapped

    def _verify_user_sync(self, request, user):
        if not user.is_authenticated:
            return super()._verify_user_sync(request, user)
        cached = _cached(request, user)
        if cached is None:
            user = super()._verify_user_sync(request, user)
            remember(request, user)
            return user
        self._init_user_fields(user)
        user._perm_cache = set(cached["perms"])
        persistent_id = cached["device"]
        if persistent_id:
            user.otp_device = SimpleLazyObject(functools.partial(Device.from_persistent_id, persistent_id))
        # Verified while the session's device was verified when the version was last read: any
        # change to the person's devices (a reset, a new app) bumps the version, and then
        # django-otp's own checks run again on the next request.
        user.is_verified = functools.partial(_cached_is_verified, user)
        return user


# What changes what someone may do ------------------------------------------------------------


@receiver([post_save, post_delete], sender=Membership, dispatch_uid="access_cache.membership")
def _membership_changed(sender, instance, **kwargs):
    changed([instance.user_id])


@receiver(post_init, sender=TOTPDevice, dispatch_uid="access_cache.totp_loaded")
@receiver(post_init, sender=StaticDevice, dispatch_uid="access_cache.static_loaded")
def _device_loaded(sender, instance, **kwargs):
    instance._access_as_loaded = (instance.user_id, instance.confirmed)


@receiver([post_save, post_delete], sender=TOTPDevice, dispatch_uid="access_cache.totp")
@receiver([post_save, post_delete], sender=StaticDevice, dispatch_uid="access_cache.static")
def _device_changed(sender, instance, created=False, **kwargs):
    before = getattr(instance, "_access_as_loaded", (None, None))
    now = (instance.user_id, instance.confirmed)
    if kwargs.get("signal") is post_save and (created or before == now):
        # A new device leaves the one that verified a session as it was; a code checked
        # (throttling, last use) changes nothing either.
        instance._access_as_loaded = now
        return
    changed({user_id for user_id in (before[0], now[0]) if user_id is not None})
    instance._access_as_loaded = now


FLAGS = ("is_superuser", "is_staff", "is_active")


@receiver(pre_save, sender=User, dispatch_uid="access_cache.user_saving")
def _user_saving(sender, instance, update_fields=None, **kwargs):
    # Superusers hold every permission: taking that (or staff, or the account) away must be seen.
    # A save never writes back an older version than the database holds.
    instance._access_bump = False
    if instance.pk is None or (update_fields is not None and not {*FLAGS, "access_version"} & set(update_fields)):
        return
    before = User.objects.filter(pk=instance.pk).values("access_version", *FLAGS).first()
    if before:
        instance.access_version = before["access_version"]
        instance._access_bump = any(before[flag] != getattr(instance, flag) for flag in FLAGS)


@receiver(post_save, sender=User, dispatch_uid="access_cache.user_saved")
def _user_saved(sender, instance, **kwargs):
    if getattr(instance, "_access_bump", False):
        changed([instance.pk])
        instance._access_bump = False


@receiver(pre_delete, sender=Group, dispatch_uid="access_cache.group_deleted")
def _group_deleted(sender, instance, **kwargs):
    changed(User.objects.filter(groups=instance).values_list("pk", flat=True))


@receiver(pre_delete, sender=Permission, dispatch_uid="access_cache.permission_deleted")
def _permission_deleted(sender, instance, **kwargs):
    users = User.objects.filter(Q(user_permissions=instance) | Q(groups__permissions=instance))
    changed(users.values_list("pk", flat=True).distinct())


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="access_cache.user_groups")
@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="access_cache.user_permissions")
def _user_m2m_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if not reverse:
        if action != "pre_clear":  # after the change, so that no request caches the old one
            changed([instance.pk])
    elif action == "post_clear":
        return
    elif action == "pre_clear":  # a group or permission about to lose every user: who they are
        field = "groups" if sender is User.groups.through else "user_permissions"
        changed(User.objects.filter(**{field: instance}).values_list("pk", flat=True))
    else:
        changed(pk_set)


@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="access_cache.group_permissions")
def _group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        groups = [instance]
    elif action == "pre_clear":  # a permission about to leave every group: which they are
        groups = list(Group.objects.filter(permissions=instance))
    else:
        groups = list(Group.objects.filter(pk__in=pk_set))
    changed(User.objects.filter(groups__in=groups).values_list("pk", flat=True).distinct())
