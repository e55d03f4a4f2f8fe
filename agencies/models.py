from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.urls import reverse
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
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
    def is_coordinator(self):
        return self.has_perm("audits.manage_rounds")

    @property
    def is_agency_lead(self):
        membership = self.membership
        return bool(membership and membership.role == Membership.Role.LEAD)


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
