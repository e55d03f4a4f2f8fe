"""The private storage in an S3-compatible bucket (PRIVATE_STORAGE=s3), against moto's server on
127.0.0.1: what is written comes back, the bucket holds only ciphertext with a private ACL, and
deleting, listing and key rotation work there as on disk."""

import pytest
from botocore.exceptions import ClientError
from cryptography.fernet import Fernet

from lib import crypto
from lib.storage import private_storage

CONTENT = b"reference,child_name\nQX-4471,Zebedee Quillfeather\n"


def raw_object(s3, prefix, name):
    return s3.client().get_object(Bucket=s3.bucket, Key=f"{prefix}/{name}")


def test_a_file_written_comes_back_and_the_bucket_holds_only_ciphertext(s3_storage):
    s3, prefix = s3_storage
    private_storage.write("candidate-lists/abc123", CONTENT)

    assert private_storage.exists("candidate-lists/abc123")
    assert private_storage.read_bytes("candidate-lists/abc123") == CONTENT
    stored = raw_object(s3, prefix, "candidate-lists/abc123")
    body = stored["Body"].read()
    assert body != CONTENT and b"Quillfeather" not in body and b"QX-4471" not in body
    assert crypto.looks_encrypted(body) and crypto.decrypt(body) == CONTENT
    assert stored["ContentType"] == "application/octet-stream"

    private_storage.delete("candidate-lists/abc123")
    assert not private_storage.exists("candidate-lists/abc123")
    with pytest.raises(ClientError):
        raw_object(s3, prefix, "candidate-lists/abc123")
    private_storage.delete("candidate-lists/abc123")  # deleting what is gone is no error


def test_objects_are_private_to_the_bucket_owner(s3_storage):
    s3, prefix = s3_storage
    private_storage.write("briefings/1/version-1.pdf", b"%PDF-1.7 a briefing")
    grants = s3.client().get_object_acl(Bucket=s3.bucket, Key=f"{prefix}/briefings/1/version-1.pdf")["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)


def test_a_missing_file_is_not_found(s3_storage):
    assert not private_storage.exists("exports/nothing-here")
    with pytest.raises(FileNotFoundError):
        private_storage.read_bytes("exports/nothing-here")


def test_names_outside_the_storage_are_refused(s3_storage):
    for name in ("../elsewhere", "candidate-lists/../../elsewhere", "/absolute", ""):
        with pytest.raises(ValueError):
            private_storage.write(name, CONTENT)
        with pytest.raises(ValueError):
            private_storage.read_bytes(name)


def test_names_list_this_storage_only_and_rotation_re_encrypts_in_the_bucket(s3_storage, settings):
    s3, prefix = s3_storage
    private_storage.write("candidate-lists/one", CONTENT)
    private_storage.write("branding/logo-1.png", b"\x89PNG a logo")
    s3.client().put_object(Bucket=s3.bucket, Key="someone-else/file", Body=b"not ours")
    assert private_storage.names() == ["branding/logo-1.png", "candidate-lists/one"]

    before = raw_object(s3, prefix, "candidate-lists/one")["Body"].read()
    settings.IDENTIFIER_KEYS = [Fernet.generate_key().decode(), *settings.IDENTIFIER_KEYS]
    assert private_storage.rotate_all() == 2
    after = raw_object(s3, prefix, "candidate-lists/one")["Body"].read()
    assert after != before and crypto.is_current(after)
    assert private_storage.read_bytes("candidate-lists/one") == CONTENT
    assert private_storage.rotate_all() == 0


def test_local_disk_stays_the_default(settings, tmp_path):
    assert settings.PRIVATE_STORAGE == "local"
    private_storage.write("candidate-lists/local", CONTENT)
    raw = (settings.PRIVATE_STORAGE_ROOT / "candidate-lists" / "local").read_bytes()
    assert raw != CONTENT and crypto.decrypt(raw) == CONTENT
