"""Encryption at rest for restricted identifiers and the files that hold them.

Fernet (AES-128-CBC with HMAC-SHA256) under ``settings.IDENTIFIER_KEYS``: the first key encrypts,
every key decrypts, so a new key is put first, ``manage.py rotate_identifier_key`` re-encrypts
everything with it, and only then is the old key removed. With DEBUG on and no keys set, a key
derived from SECRET_KEY is used, so that the demo runs without configuration.

The encrypted model fields store ciphertext in a text column and give back clear values in
Python. Ciphertext differs on every save, so the database cannot filter or search on these
fields: anything that compares identifiers (the publication guard) decrypts them first. Errors
never include the values.
"""

import base64
import datetime
import functools
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import validators
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection, models
from django.db.models.lookups import IsNull


class DecryptionError(Exception):
    """A value could not be decrypted with any of IDENTIFIER_KEYS (wrong key, or not ciphertext)."""


def demo_key(secret_key: str) -> str:
    digest = hashlib.sha256(b"identifiers:" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def _configured_keys() -> tuple[str, ...]:
    keys = tuple(key.strip() for key in settings.IDENTIFIER_KEYS if key.strip())
    if keys:
        return keys
    if settings.DEBUG:
        return (demo_key(settings.SECRET_KEY),)
    raise ImproperlyConfigured("IDENTIFIER_KEYS must be set when DEBUG is off")


@functools.lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    try:
        fernets = [Fernet(key) for key in keys]
    except ValueError as exc:
        raise ImproperlyConfigured(
            "Each of IDENTIFIER_KEYS must be a Fernet key (32 url-safe base64-encoded bytes)"
        ) from exc
    return MultiFernet(fernets), fernets[0]


def _current() -> tuple[MultiFernet, Fernet]:
    # Keyed on the keys themselves, so a change of settings (in tests, say) takes effect at once.
    return _fernets(_configured_keys())


def encrypt(data: bytes) -> bytes:
    return _current()[0].encrypt(data)


def decrypt(token: bytes) -> bytes:
    try:
        return _current()[0].decrypt(token)
    except InvalidToken:
        raise DecryptionError("Something is encrypted with a key not in IDENTIFIER_KEYS") from None


def encrypt_text(value: str) -> str:
    return encrypt(value.encode()).decode("ascii")


def decrypt_text(token: str) -> str:
    return decrypt(token.encode("ascii")).decode()


def is_current(token: bytes) -> bool:
    """Whether a token is already encrypted with the first (current) key."""
    try:
        _current()[1].decrypt(token)
    except InvalidToken:
        return False
    return True


def looks_encrypted(data: bytes) -> bool:
    """Whether data has the shape of a Fernet token (version byte 0x80, base64): a clear CSV, PDF
    or PNG never does."""
    return data.startswith(b"gAAAAA")


def rotate(token: bytes) -> bytes:
    """Re-encrypt a token with the first key (raises DecryptionError if no key opens it)."""
    try:
        return _current()[0].rotate(token)
    except InvalidToken:
        raise DecryptionError("Something is encrypted with a key not in IDENTIFIER_KEYS") from None


def stale_pks(model, fields: list[str]) -> list:
    """The primary keys of a model's rows where any of the encrypted ``fields`` is not under the
    first key: what a key rotation must re-encrypt. Reads the raw columns (ciphertext)."""
    quote = connection.ops.quote_name
    columns = [model._meta.pk.column] + [model._meta.get_field(name).column for name in fields]
    sql = f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(model._meta.db_table)}"  # noqa: S608 (names from the model, quoted)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    return [pk for pk, *values in rows if any(v is not None and not is_current(v.encode("ascii")) for v in values)]


# Encrypted model fields ---------------------------------------------------------------------


class EncryptedTextField(models.TextField):
    """Text kept encrypted in the database. ``max_length`` limits the clear text (validation and
    forms); the column is unlimited text because ciphertext is longer. None stays NULL."""

    description = "Text encrypted at rest"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def get_lookup(self, lookup_name):
        # Ciphertext differs on every save: an equality or search in SQL would silently find
        # nothing. Only "is null" means anything.
        if lookup_name == "isnull":
            return IsNull
        raise FieldError(f"{self.name} is encrypted: it cannot be filtered in the database (decrypt in Python)")

    def to_clear(self, value) -> str:
        """The clear text stored for a Python value."""
        return str(value)

    def from_clear(self, text: str):
        return text

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        return encrypt_text(self.to_clear(self.to_python(value)))

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return self.from_clear(decrypt_text(value))


class EncryptedDateField(EncryptedTextField):
    """A date kept encrypted as ISO text (YYYY-MM-DD)."""

    description = "Date encrypted at rest"

    def to_python(self, value):
        return models.DateField().to_python(value)

    def to_clear(self, value) -> str:
        return value.isoformat()

    def from_clear(self, text: str):
        return datetime.date.fromisoformat(text)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else value.isoformat()

    def formfield(self, **kwargs):
        from django import forms

        return super(models.TextField, self).formfield(**{"form_class": forms.DateField, **kwargs})


class EncryptedJSONField(EncryptedTextField):
    """JSON (a list of references, say) kept encrypted."""

    description = "JSON encrypted at rest"

    def to_python(self, value):
        return value

    def to_clear(self, value) -> str:
        return json.dumps(value, separators=(",", ":"))

    def from_clear(self, text: str):
        return json.loads(text)

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj))
