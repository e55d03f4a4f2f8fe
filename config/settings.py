"""One settings module, driven by environment variables (see .env.example)."""

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import (
    contrast_with_white,
    env_bool,
    env_colour,
    env_date,
    env_int,
    env_list,
    env_offsets,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"  # noqa: S105 - DEBUG only; refused above without

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The partnership this installation serves: shown in the header, e-mails and PDFs.
PARTNERSHIP_NAME = env_str("PARTNERSHIP_NAME", "Northvale Safeguarding Children Partnership")
PARTNERSHIP_BRAND_COLOUR = env_colour("PARTNERSHIP_BRAND_COLOUR", "#1d4f5f")
if contrast_with_white(PARTNERSHIP_BRAND_COLOUR) < 4.5:
    # The header, banners and panels put white text on this colour (WCAG 2.2 AA needs 4.5:1).
    raise ImproperlyConfigured("PARTNERSHIP_BRAND_COLOUR is too light for white text: choose a darker colour")
SERVICE_NAME = env_str("SERVICE_NAME", "Multi-agency case audit")
PHASE = env_str("PHASE", "beta")
SUPPORT_EMAIL = env_str("SUPPORT_EMAIL", "audit.team@example.org")
# The accessibility statement and the privacy notice (audits/help): who is responsible for the
# personal data the service holds, where to ask about it, and the dates the texts were written.
DATA_CONTROLLER = env_str("DATA_CONTROLLER", PARTNERSHIP_NAME)
DATA_PROTECTION_EMAIL = env_str("DATA_PROTECTION_EMAIL", "data.protection@example.org")
ACCESSIBILITY_STATEMENT_PREPARED = env_date("ACCESSIBILITY_STATEMENT_PREPARED", datetime.date(2026, 12, 3))
ACCESSIBILITY_STATEMENT_REVIEWED = env_date("ACCESSIBILITY_STATEMENT_REVIEWED", ACCESSIBILITY_STATEMENT_PREPARED)
PRIVACY_NOTICE_UPDATED = env_date("PRIVACY_NOTICE_UPDATED", datetime.date(2026, 12, 3))

# Rounds recur every ROUND_INTERVAL_MONTHS per area; milestones are offsets in days from launch.
ROUND_INTERVAL_MONTHS = env_int("ROUND_INTERVAL_MONTHS", 6)
ROUND_MILESTONE_OFFSETS = env_offsets(
    "ROUND_MILESTONE_OFFSETS",
    {"tools_due": 28, "meeting": 42, "learning_due": 56, "briefing_due": 70},
)

# Four eyes on briefings: a board approver signs a briefing off, and never the person who wrote
# it. Off (a partnership without a separate approver), a coordinator may approve, their own too.
BRIEFING_FOUR_EYES = env_bool("BRIEFING_FOUR_EYES", True)

# A new coordinator sees no child's identifiers until they have set up two-factor sign-in and
# another coordinator or an administrator (never the one who gave them the role) has confirmed
# them (agencies/people). Administrators and superusers never see identifiers.
COORDINATOR_CONFIRMATION_REQUIRED = env_bool("COORDINATOR_CONFIRMATION_REQUIRED", True)
# Days an invitation's link (to set a password and two-factor sign-in) works; it works once.
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "axes",
    "simple_history",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "agencies",
    "audits",
    "briefings",
    "exports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "agencies.accounts.middleware.SessionTouchMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store on every response to a signed-in person (config/middleware.py).
    "config.middleware.NoStoreMiddleware",
    # django-otp's OTPMiddleware, reading the device and permissions from the session while
    # nothing changed (at most three queries before a view: agencies/accounts/access_cache.py).
    "agencies.accounts.access_cache.VerifiedSessionMiddleware",
    "agencies.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A failure after a save committed says "saved"; a commit that may not have happened says so.
    "config.middleware.SavedThenFailedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a lockout is reported after authentication has run.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "config.context_processors.service",
            ],
            "builtins": ["lib.templatetags_richtext"],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiler spends seconds compiling a query it thinks costly before
        # running it in milliseconds; a web service's short queries never gain from it.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "agencies.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so that a locked-out account is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the person's agency with them (one query a request).
    "agencies.accounts.backends.Backend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "sign-in"

# Lockout after repeated failures (django-axes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
# Locked per account, not per address: many staff share one NHS or council address, and an
# address-wide lockout would shut out a whole office (see README, "Security checks").
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "username"
# Counted per address in one spelling (stripped, lower case), as sign-in ignores letter case.
AXES_USERNAME_CALLABLE = "agencies.accounts.lockout.lockout_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Password-reset e-mails, at most this many an hour to one address and for one client's address
# (counted in the cache: shared between servers when CACHE_URL is Redis). Over either, the page
# says the same and sends nothing. A whole office behind one address shares the second limit.
PASSWORD_RESET_PER_ADDRESS = env_int("PASSWORD_RESET_PER_ADDRESS", 3)
PASSWORD_RESET_PER_CLIENT = env_int("PASSWORD_RESET_PER_CLIENT", 10)

# Two-factor sign-in (django-otp): a password and then a code from an authenticator app (or a
# recovery code). Always required when DEBUG is off; with DEBUG on (make run's demo) it is offered
# but may be skipped.
TWO_FACTOR_REQUIRED = not DEBUG
OTP_TOTP_ISSUER = SERVICE_NAME
OTP_TOTP_THROTTLE_FACTOR = 1
# Defence in depth: the devices are not in the admin site (agencies/admin.py), and if they ever
# were, their secrets would stay hidden.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Restricted identifiers are encrypted at rest (Fernet). IDENTIFIER_KEYS is a comma-separated list
# of keys: the first encrypts, all decrypt, so a new key can be put first and the old one kept
# until `manage.py rotate_identifier_key` has re-encrypted everything. With DEBUG on and no keys,
# a key derived from SECRET_KEY is used (demo only).
IDENTIFIER_KEYS = env_list("IDENTIFIER_KEYS", [])
if not IDENTIFIER_KEYS and not DEBUG:
    raise ImproperlyConfigured("IDENTIFIER_KEYS must be set when DEBUG is off (see SECURITY.md)")

# Retention: this many days after a round closes its restricted identifiers are destroyed and its
# candidate lists deleted (`manage.py apply_retention`); the anonymised record and learning stay.
RETENTION_DAYS_AFTER_CLOSE = env_int("RETENTION_DAYS_AFTER_CLOSE", 365)
# Exports (integrated chronology, action plans, access log) are made in the background and their
# files kept this many hours after they are ready; `manage.py apply_retention` deletes them after.
EXPORT_KEEP_HOURS = env_int("EXPORT_KEEP_HOURS", 24)

# The access log records the address a request came from: REMOTE_ADDR, or behind a proxy the
# header it sets (for example HTTP_X_REAL_IP).
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER", "")

# Django's cache: local memory in each process by default; CACHE_URL=redis://host:6379/0 (or
# rediss://) shares one Redis between every web server and worker, and then sessions are read
# from it too (cached_db: written through to the database, read from Redis).
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("CACHE_URL must be a redis://, rediss:// or unix:// address")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions end after SESSION_IDLE_MINUTES without a request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
# ... saved at most once a minute while nothing in them changes (SessionTouchMiddleware).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = env_int("SESSION_TOUCH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Content Security Policy: only the service's own files, and the one inline <style> (the brand
# colour) by nonce; no inline scripts or style attributes anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers ask web servers for /healthz over plain HTTP, behind the TLS proxy.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env_bool("MANIFEST_STATIC", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Private files (candidate lists, which name children; briefing PDFs, the logo, exports), encrypted
# before they are stored (lib/storage.py) and never served by URL: under PRIVATE_STORAGE_ROOT on
# this machine (PRIVATE_STORAGE=local, the default) or in an S3-compatible bucket shared by every
# web server and worker (PRIVATE_STORAGE=s3). The keys may be given as *_FILE; left unset, boto3
# finds credentials itself (AWS_* variables, an instance role). README.md, "Deployment".
PRIVATE_STORAGE = env_str("PRIVATE_STORAGE", "local")
if PRIVATE_STORAGE not in {"local", "s3"}:
    raise ImproperlyConfigured(f"PRIVATE_STORAGE must be local or s3, not {PRIVATE_STORAGE!r}")
PRIVATE_STORAGE_ROOT = Path(env_str("PRIVATE_STORAGE_ROOT", str(BASE_DIR / "private")))
PRIVATE_STORAGE_S3 = {
    "bucket_name": env_str("PRIVATE_STORAGE_BUCKET", ""),
    "endpoint_url": env_str("PRIVATE_STORAGE_ENDPOINT_URL", ""),  # empty: AWS itself
    "region_name": env_str("PRIVATE_STORAGE_REGION", ""),
    "access_key": env_str("PRIVATE_STORAGE_ACCESS_KEY_ID", ""),
    "secret_key": env_str("PRIVATE_STORAGE_SECRET_ACCESS_KEY", ""),
    "location": env_str("PRIVATE_STORAGE_PREFIX", ""),  # a folder in the bucket, e.g. one per partnership
    "addressing_style": env_str("PRIVATE_STORAGE_ADDRESSING_STYLE", "auto"),  # path for most MinIO and Ceph
}
if PRIVATE_STORAGE == "s3" and not PRIVATE_STORAGE_S3["bucket_name"]:
    raise ImproperlyConfigured("PRIVATE_STORAGE=s3 needs PRIVATE_STORAGE_BUCKET")
if PRIVATE_STORAGE_S3["addressing_style"] not in {"auto", "path", "virtual"}:
    raise ImproperlyConfigured("PRIVATE_STORAGE_ADDRESSING_STYLE must be auto, path or virtual")
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
# A confirmed chronology import of at least this many rows runs as a task (a status page shows
# how it went), so a long import never holds a web worker near its timeout.
IMPORT_IN_BACKGROUND_ROWS = env_int("IMPORT_IN_BACKGROUND_ROWS", 2000)

_MAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": _MAIL_BACKEND}}
if _MAIL_BACKEND.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
    }
elif _MAIL_BACKEND.endswith("filebased.EmailBackend"):
    # Each message written to a file in EMAIL_FILE_PATH (make cluster-check counts them there).
    MAILERS["default"]["OPTIONS"] = {"file_path": env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "no-reply@example.org")

# E-mails are sent by tasks (django.tasks), queued when the transaction that caused them commits.
# The immediate backend sends them at once, in the same process; a queue-backed one can replace it.
# TASKS_BACKEND=immediate runs each task at once in the web process (make run, tests); =database
# queues it in the database for `python manage.py run_worker` (django-tasks-db's db_worker) to run: production.
_TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.backend.DatabaseBackend",
}
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {sorted(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
# A task still "running" TASK_STALE_SECONDS after it started was left by a worker that died:
# `manage.py recover_tasks` (every minute) and `manage.py run_worker` (when it starts) queue it
# again until it has been tried TASK_ATTEMPTS times, then mark it failed. A PDF or an export that
# has shown no sign of life for that long is shown as failed, with "Try again".
TASK_STALE_SECONDS = env_int("TASK_STALE_SECONDS", 240)
TASK_ATTEMPTS = env_int("TASK_ATTEMPTS", 3)
# Links in e-mails are absolute: the address people reach the service at, without a trailing slash.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# send_reminders reminds agency leads this many days before their work is due (and once after).
REMINDER_DAYS_BEFORE = env_int("REMINDER_DAYS_BEFORE", 7)
# An open action turns amber this many days before it is due (red once it is overdue).
ACTION_AMBER_DAYS = env_int("ACTION_AMBER_DAYS", 14)

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

DEFAULT_EXCEPTION_REPORTER_FILTER = "config.reporting.SafeExceptionReporterFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Libraries that are chatty at INFO; nothing of theirs is needed in the service's log.
    "loggers": {
        **{name: {"level": "WARNING"} for name in ["axes", "weasyprint", "fontTools", "django.tasks"]},
        # An expected 403 is one line, without a traceback (config/log_filters.py).
        "django.request": {"filters": ["expected_refusals"]},
    },
    "filters": {"expected_refusals": {"()": "config.log_filters.ExpectedRefusalFilter"}},
}
