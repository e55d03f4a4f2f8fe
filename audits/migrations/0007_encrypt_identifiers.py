"""Encrypt restricted identifiers at rest (config.crypto, under IDENTIFIER_KEYS).

1. The identifier columns (and the draws' candidate references) become plain text columns;
2. every existing value is replaced by its ciphertext, and every file in private storage that
   the database names (candidate lists, briefing PDFs, the logo) is encrypted in place (files
   already encrypted are left alone, so this is safe to repeat);
3. the fields become the encrypted fields, which read and write ciphertext from then on.

Reversing decrypts everything back to clear text."""

import os
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import lib.crypto

IDENTIFIER_FIELDS = ["child_name", "date_of_birth", "record_numbers", "candidate_reference"]


def _convert_rows(apps, convert):
    RestrictedIdentifiers = apps.get_model("audits", "RestrictedIdentifiers")
    for pk, *values in RestrictedIdentifiers.objects.values_list("pk", *IDENTIFIER_FIELDS).iterator():
        changes = {
            field: (None if value is None else convert(value))
            for field, value in zip(IDENTIFIER_FIELDS, values, strict=True)
        }
        RestrictedIdentifiers.objects.filter(pk=pk).update(**changes)
    CaseDraw = apps.get_model("audits", "CaseDraw")
    for pk, references in CaseDraw.objects.values_list("pk", "selected_references").iterator():
        CaseDraw.objects.filter(pk=pk).update(selected_references=convert(references or "[]"))


def encrypt_rows(apps, schema_editor):
    _convert_rows(apps, lib.crypto.encrypt_text)


def decrypt_rows(apps, schema_editor):
    _convert_rows(apps, lib.crypto.decrypt_text)


FILE_FIELDS = [
    ("audits", "CaseDraw", "stored_file"),
    ("briefings", "BriefingRender", "stored_file"),
    ("briefings", "PublishedVersion", "stored_file"),
    ("briefings", "Branding", "logo_file"),
]


def _file_paths(apps):
    """The files the database names (only those: a fresh database touches no file)."""
    root = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
    names = set()
    for app_label, model_name, field in FILE_FIELDS:
        model = apps.get_model(app_label, model_name)
        names.update(model.objects.exclude(**{field: ""}).values_list(field, flat=True))
    for name in sorted(names):
        path = (root / name).resolve()
        if root in path.parents and path.is_file():
            yield path


def _replace(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    temporary.chmod(0o600)
    os.replace(temporary, path)


def encrypt_files(apps, schema_editor):
    for path in _file_paths(apps):
        data = path.read_bytes()
        try:
            lib.crypto.decrypt(data)
        except lib.crypto.DecryptionError:
            if lib.crypto.looks_encrypted(data):
                # Looks like a Fernet token that none of the keys opens: never encrypt it twice.
                raise RuntimeError(
                    f"{path} seems encrypted with a key not in IDENTIFIER_KEYS; set the keys and migrate again"
                ) from None
            _replace(path, lib.crypto.encrypt(data))


def decrypt_files(apps, schema_editor):
    for path in _file_paths(apps):
        data = path.read_bytes()
        try:
            clear = lib.crypto.decrypt(data)
        except lib.crypto.DecryptionError:
            continue  # already clear text
        _replace(path, clear)


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0006_round_closed_at_identifiers_purged_at"),
        ("briefings", "0001_initial"),
    ]

    operations = [
        # 1. Plain text columns.
        migrations.AlterField(
            model_name="restrictedidentifiers", name="child_name", field=models.TextField(blank=True)
        ),
        migrations.AlterField(
            model_name="restrictedidentifiers", name="date_of_birth", field=models.TextField(blank=True, null=True)
        ),
        migrations.AlterField(
            model_name="restrictedidentifiers", name="record_numbers", field=models.TextField(blank=True)
        ),
        migrations.AlterField(
            model_name="restrictedidentifiers", name="candidate_reference", field=models.TextField(blank=True)
        ),
        migrations.AlterField(model_name="casedraw", name="selected_references", field=models.TextField(blank=True)),
        # 2. Ciphertext in them, and in the files.
        migrations.RunPython(encrypt_rows, decrypt_rows),
        migrations.RunPython(encrypt_files, decrypt_files),
        # 3. The encrypted fields.
        migrations.AlterField(
            model_name="casedraw",
            name="selected_references",
            field=lib.crypto.EncryptedJSONField(blank=True, default=list),
        ),
        migrations.AlterField(
            model_name="restrictedidentifiers",
            name="candidate_reference",
            field=lib.crypto.EncryptedTextField(blank=True, max_length=100),
        ),
        migrations.AlterField(
            model_name="restrictedidentifiers",
            name="child_name",
            field=lib.crypto.EncryptedTextField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name="restrictedidentifiers",
            name="date_of_birth",
            field=lib.crypto.EncryptedDateField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="restrictedidentifiers",
            name="record_numbers",
            field=lib.crypto.EncryptedTextField(
                blank=True,
                help_text="The agencies' record numbers for the child, for example CSC 123456; Police 987.",
            ),
        ),
    ]
