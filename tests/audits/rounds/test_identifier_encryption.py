"""Restricted identifiers, draws' candidate references and private files are encrypted at rest;
the key can be rotated."""

import base64
import datetime
import hashlib
import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from agencies.models import AccessEvent
from audits.models import CaseDraw, RestrictedIdentifiers
from audits.rounds import services
from audits.rounds.identifiers import identifiers_for_cases
from lib import crypto
from lib.storage import private_storage
from tests import factories

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()

CSV = (
    b"reference,child_name,date_of_birth,plan_type,record_numbers\n"
    b"QX-4471,Zebedee Quillfeather,29/02/2016,CIN,CSC-7734219\n"
    b"QX-4472,Marigold Thistlewood,03/04/2014,CP,\n"
)


def raw_identifier_rows():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT child_name, date_of_birth, record_numbers, candidate_reference FROM audits_restrictedidentifiers"
        )
        return cursor.fetchall()


def raw_references():
    with connection.cursor() as cursor:
        cursor.execute("SELECT selected_references FROM audits_casedraw")
        return [row[0] for row in cursor.fetchall()]


def raw_file(name):
    return private_storage._read_raw(name)


def test_the_database_holds_no_identifier_in_clear_text(case, identifier_texts):
    rows = raw_identifier_rows()
    assert len(rows) == 1
    raw = " ".join(str(value) for value in rows[0])
    for text in [*identifier_texts, "CSC-7734219", "2016"]:
        assert text.lower() not in raw.lower()
    assert all(value.startswith("gAAAAA") for value in rows[0])  # Fernet tokens
    # Read back through the model, they are clear again; the date is a date.
    record = RestrictedIdentifiers.objects.get(case=case)
    assert record.child_name == "Zebedee Quillfeather"
    assert record.date_of_birth == datetime.date(2016, 2, 29)
    assert record.record_numbers == "CSC-7734219"


def test_empty_date_stays_null_and_blank_text_is_still_encrypted(audit_round):
    case = factories.CaseFactory(round=audit_round)
    factories.RestrictedIdentifiersFactory(case=case, child_name="", date_of_birth=None, record_numbers="")
    (row,) = raw_identifier_rows()
    assert row[1] is None
    assert row[0].startswith("gAAAAA")
    record = RestrictedIdentifiers.objects.get()
    assert (record.child_name, record.date_of_birth, record.record_numbers) == ("", None, "")


def test_saving_again_gives_new_ciphertext_and_the_same_values(case):
    before = raw_identifier_rows()[0]
    RestrictedIdentifiers.objects.get(case=case).save()
    after = raw_identifier_rows()[0]
    assert before[0] != after[0]
    assert RestrictedIdentifiers.objects.get(case=case).child_name == "Zebedee Quillfeather"


def test_encrypted_fields_cannot_be_filtered_in_sql(case):
    # An equality on ciphertext would silently match nothing: it is refused instead.
    with pytest.raises(FieldError, match="encrypted"):
        RestrictedIdentifiers.objects.filter(child_name="Zebedee Quillfeather").exists()
    assert RestrictedIdentifiers.objects.filter(date_of_birth__isnull=False).count() == 1


def test_the_publication_guard_still_reads_the_identifiers(case, coordinator):
    from briefings import guard

    records = identifiers_for_cases(user=coordinator, cases=[case])
    patterns = guard._patterns(records)
    assert guard._kinds_in("We met Zebedee at school.", patterns) == [guard.NAME]
    assert guard._kinds_in("Born 29 Feb 2016.", patterns) == [guard.DATE_OF_BIRTH]
    assert guard._kinds_in("Nothing to see.", patterns) == []


def test_candidate_list_file_and_references_are_encrypted(audit_round, coordinator):
    draw = services.draw_preview(
        actor=coordinator,
        audit_round=audit_round,
        data=CSV,
        file_name="list.csv",
        number_of_cases=2,
        strata=[],
        seed=5,
    )
    on_disk = raw_file(draw.stored_file)
    assert b"Quillfeather" not in on_disk and b"QX-4471" not in on_disk and b"2016" not in on_disk
    assert private_storage.read_bytes(draw.stored_file) == CSV
    (references,) = raw_references()
    assert "QX-44" not in references
    assert sorted(CaseDraw.objects.get(pk=draw.pk).selected_references) == ["QX-4471", "QX-4472"]
    cases = services.draw_confirm(actor=coordinator, draw=draw)
    assert len(cases) == 2
    raw = " ".join(str(v) for row in raw_identifier_rows() for v in row)
    assert "Quillfeather" not in raw and "Thistlewood" not in raw and "QX-44" not in raw


def test_files_written_with_a_key_not_configured_cannot_be_read(settings):
    settings.IDENTIFIER_KEYS = [KEY_A]
    private_storage.write("candidate-lists/x", b"secret")
    settings.IDENTIFIER_KEYS = [KEY_B]
    with pytest.raises(crypto.DecryptionError) as excinfo:
        private_storage.read_bytes("candidate-lists/x")
    assert "secret" not in str(excinfo.value)


def test_keys_are_required_without_debug_and_derived_from_the_secret_key_with_it(settings):
    settings.IDENTIFIER_KEYS = []
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt_text("x")
    settings.DEBUG = True
    token = crypto.encrypt_text("demo")
    expected = base64.urlsafe_b64encode(hashlib.sha256(b"identifiers:" + settings.SECRET_KEY.encode()).digest())
    assert Fernet(expected).decrypt(token.encode()) == b"demo"


def test_a_bad_key_is_a_configuration_error(settings):
    settings.IDENTIFIER_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured, match="Fernet key"):
        crypto.encrypt_text("x")


def test_rotation_re_encrypts_everything_with_the_first_key(settings, case, audit_round, coordinator):
    # Everything written under key B alone.
    record = RestrictedIdentifiers.objects.get(case=case)
    settings.IDENTIFIER_KEYS = [KEY_B]
    record.save()
    draw = services.draw_preview(
        actor=coordinator, audit_round=audit_round, data=CSV, file_name="list.csv", number_of_cases=1, strata=[], seed=1
    )
    private_storage.write("briefings/1/v1.pdf", b"%PDF-1.7 fictional")
    # A new key first, the old one kept; rotate.
    settings.IDENTIFIER_KEYS = [KEY_A, KEY_B]
    out = io.StringIO()
    call_command("rotate_identifier_key", stdout=out)
    assert "1 identifier records and 2 files re-encrypted" in out.getvalue()
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.KEY_ROTATED)
    assert event.what.startswith("1 identifier records and 2 files re-encrypted")
    assert "Quillfeather" not in event.what
    # The old key removed: everything still reads.
    settings.IDENTIFIER_KEYS = [KEY_A]
    record = RestrictedIdentifiers.objects.get(case=case)
    assert record.child_name == "Zebedee Quillfeather"
    assert record.date_of_birth == datetime.date(2016, 2, 29)
    assert private_storage.read_bytes(draw.stored_file) == CSV
    assert private_storage.read_bytes("briefings/1/v1.pdf") == b"%PDF-1.7 fictional"
    assert CaseDraw.objects.get(pk=draw.pk).selected_references == draw.selected_references
    # Running it again changes nothing.
    before = raw_identifier_rows(), raw_file(draw.stored_file)
    again = io.StringIO()
    call_command("rotate_identifier_key", stdout=again)
    assert "0 identifier records and 0 files re-encrypted" in again.getvalue()
    assert (raw_identifier_rows(), raw_file(draw.stored_file)) == before


def test_rotation_stops_on_something_no_key_opens(settings, case):
    record = RestrictedIdentifiers.objects.get(case=case)
    settings.IDENTIFIER_KEYS = [KEY_B]
    record.save()
    settings.IDENTIFIER_KEYS = [KEY_A]
    with pytest.raises(CommandError, match="key not in IDENTIFIER_KEYS"):
        call_command("rotate_identifier_key", stdout=io.StringIO())
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.KEY_ROTATED).exists()
    settings.IDENTIFIER_KEYS = [KEY_A, KEY_B]
    assert RestrictedIdentifiers.objects.get(case=case).child_name == "Zebedee Quillfeather"


def test_rotation_encrypts_a_stray_clear_file_and_stops_on_a_file_no_key_opens(settings, db):
    private_storage._write_raw("candidate-lists/stray", b"reference,child_name\nQX-4471,Zebedee Quillfeather\n")
    call_command("rotate_identifier_key", stdout=(out := io.StringIO()))
    assert "0 identifier records and 1 files re-encrypted" in out.getvalue()
    assert b"Quillfeather" not in raw_file("candidate-lists/stray")
    settings.IDENTIFIER_KEYS = [KEY_A]
    private_storage.write("candidate-lists/other", b"x")
    settings.IDENTIFIER_KEYS = [KEY_B]
    with pytest.raises(CommandError, match="candidate-lists/"):
        call_command("rotate_identifier_key", stdout=io.StringIO())
