from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone


def normalise_email(address) -> str:
    """The one spelling of an e-mail address that the service keys on: as typed, without the
    spaces around it, in lower case. Sign-in ignores letter case (``get_by_natural_key``), so
    everything counted per address (lockouts) must ignore it too."""
    return str(address or "").strip().lower()


class AccountStatus(models.TextChoices):
    """An account's state on the people pages (``User.account_status``), with its tag's colour."""

    DEACTIVATED = "deactivated", "Deactivated"
    INVITED = "invited", "Invited"
    NO_TWO_FACTOR = "no_two_factor", "No two-factor yet"
    ACTIVE = "active", "Active"

    @property
    def tag_class(self) -> str:
        colours = {"deactivated": "grey", "invited": "blue", "no_two_factor": "yellow", "active": "green"}
        return f"govuk-tag--{colours[self.value]}"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def with_two_factor(self):
        """Each user with ``has_two_factor`` (a confirmed authenticator app), which
        ``User.account_status`` needs: one subquery, nothing per row."""
        return self.get_queryset().annotate(
            has_two_factor=Exists(self.model.objects.filter(pk=OuterRef("pk"), totpdevice__confirmed=True))
        )

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=normalise_email(self.normalize_email(email)), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their e-mail address.

    What they may do comes from their partnership role (a group) and, for agency staff,
    their membership of one agency.
    """

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField("can use the administration site", default=False, help_text="Administrators only.")
    date_joined = models.DateTimeField(default=timezone.now)
    access_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Goes up whenever what the person may do or how they sign in changes, so that every "
        "session of theirs works it out again (agencies.accounts.access_cache).",
    )
    # A coordinator sees children's identifiers only once confirmed (``identifiers_confirmed``):
    # cleared whenever the Coordinator role is given or taken away (agencies.people.signals).
    identifiers_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    identifiers_confirmed_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    # Who last gave them the Coordinator role through the service (they may not confirm it).
    coordinator_granted_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    # Four eyes (``agencies.administration.permissions.confirmation_refusal``): who made the
    # account, who last gave the Administrator role, and when the Administrator or Coordinator
    # role (the two that may confirm a coordinator; nobody holds both) was last given.
    invited_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    administrator_granted_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    role_granted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def membership(self):
        """The user's agency membership, or None; looked up once per user object."""
        if not hasattr(self, "_membership"):
            try:
                self._membership = Membership.objects.select_related("agency").get(user=self)
            except Membership.DoesNotExist:
                self._membership = None
        return self._membership

    @property
    def agency(self):
        membership = self.membership
        return membership.agency if membership else None

    @property
    def is_agency_lead(self):
        membership = self.membership
        return bool(membership and membership.role == Membership.Role.LEAD)

    @property
    def is_invited(self) -> bool:
        """Invited and not in yet: an active account whose holder has never set a password (their
        link may have expired: they can be sent a new one)."""
        return self.is_active and not self.has_usable_password()

    @property
    def account_status(self) -> "AccountStatus":
        """What the people pages show of the account: the one rule. Needs ``has_two_factor``,
        annotated by ``User.objects.with_two_factor()``."""
        if not self.is_active:
            return AccountStatus.DEACTIVATED
        if self.is_invited:
            return AccountStatus.INVITED
        return AccountStatus.ACTIVE if self.has_two_factor else AccountStatus.NO_TWO_FACTOR

    @property
    def identifiers_confirmed(self) -> bool:
        """Confirmed by another coordinator or an administrator to see children's identifiers
        (whether they may at all is ``agencies.permissions.can_read_identifiers``)."""
        return self.identifiers_confirmed_at is not None


class Area(models.Model):
    """A local authority area of the partnership; rounds run per area."""

    name = models.CharField(max_length=100, unique=True)
    short_name = models.CharField(max_length=20, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Agency(models.Model):
    class Sector(models.TextChoices):
        CHILDRENS_SOCIAL_CARE = "csc", "Children's social care"
        POLICE = "police", "Police"
        ACUTE_HEALTH = "acute_health", "Acute health"
        COMMUNITY_HEALTH = "community_health", "Community health"
        MENTAL_HEALTH = "mental_health", "Mental health / CAMHS"
        GP_ICB = "gp_icb", "GP / ICB"
        EDUCATION = "education", "Education"
        PROBATION = "probation", "Probation"
        YOUTH_JUSTICE = "youth_justice", "Youth justice"
        HOUSING = "housing", "Housing"
        ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
        VOLUNTARY = "voluntary", "Voluntary sector"
        OTHER = "other", "Other"

    name = models.CharField(max_length=150, unique=True)
    short_name = models.CharField(max_length=30, unique=True)
    sector = models.CharField(max_length=30, choices=Sector.choices)
    is_active = models.BooleanField(default=True, help_text="Inactive agencies cannot be added to new cases.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's place in one agency. One agency per user (a OneToOne), by design."""

    class Role(models.TextChoices):
        LEAD = "lead", "Agency lead"
        AUDITOR = "auditor", "Auditor"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="agency_membership")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        ordering = ["agency__name", "user__full_name"]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.agency.short_name})"

    def get_absolute_url(self):
        return reverse("admin:agencies_membership_change", args=[self.pk])


class AccessEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The access log cannot be changed")

    def delete(self):
        raise PermissionError("The access log cannot be deleted from")


class AccessEvent(models.Model):
    """One line of the access log: who did what, when and from where.

    Append-only: the app never changes or deletes a row. ``what`` names the thing by its service
    reference (round, case number, export format), never by a child's identifiers."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out"
        SIGN_OUT = "sign_out", "Signed out"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        TWO_FACTOR_SET_UP = "two_factor_set_up", "Two-factor set up"
        TWO_FACTOR_VERIFIED = "two_factor_verified", "Two-factor code accepted"
        TWO_FACTOR_FAILED = "two_factor_failed", "Two-factor code refused"
        RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
        TWO_FACTOR_RESET = "two_factor_reset", "Two-factor reset by an administrator"
        IDENTIFIERS_VIEWED = "identifiers_viewed", "Identifiers viewed"
        IDENTIFIERS_CHANGED = "identifiers_changed", "Identifiers changed"
        EXPORT = "export", "Export"
        RETENTION_PURGE = "retention_purge", "Retention purge"
        KEY_ROTATED = "key_rotated", "Identifier key rotated"
        BRIEFING_APPROVED = "briefing_approved", "Briefing approved"
        BRIEFING_PUBLISHED = "briefing_published", "Briefing published"
        ACCOUNT_CREATED = "account_created", "Account created"
        ACCOUNT_DEACTIVATED = "account_deactivated", "Account deactivated"
        ACCOUNT_DELETED = "account_deleted", "Account deleted"
        ACCOUNT_REACTIVATED = "account_reactivated", "Account reactivated"
        ROLE_GRANTED = "role_granted", "Role given"
        ROLE_REMOVED = "role_removed", "Role taken away"
        AGENCY_CHANGED = "agency_changed", "Agency or agency role changed"
        COORDINATOR_CONFIRMED = "coordinator_confirmed", "Coordinator confirmed to see identifiers"
        COORDINATOR_UNCONFIRMED = "coordinator_unconfirmed", "Coordinator's confirmation cleared"
        INVITATION_SENT = "invitation_sent", "Invitation sent"

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, db_index=True)
    # Kept if the account is later deleted: the e-mail address it had (or the one typed at sign-in).
    user = models.ForeignKey("agencies.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    user_email = models.CharField(max_length=254, blank=True)
    what = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["user", "-occurred_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log cannot be deleted from")


class Invitation(models.Model):
    """A single-use link, sent by e-mail, for a new person to set their password (and then their
    two-factor sign-in). Only a hash of the link's token is stored; the token itself is in the
    e-mail alone, and is never logged. A newer invitation replaces the person's older ones."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Invitation for {self.user} ({self.created_at:%Y-%m-%d})"

    @property
    def is_usable(self) -> bool:
        """Not used, not expired, and for an account that is still active."""
        return self.used_at is None and self.expires_at > timezone.now() and self.user.is_active
