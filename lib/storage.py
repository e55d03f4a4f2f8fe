"""Private file storage: candidate lists (which name children), briefing PDFs, the logo and exports.

Where the files live is a setting, ``PRIVATE_STORAGE``:

- ``local`` (the default, what ``make run`` uses): under PRIVATE_STORAGE_ROOT on this machine's
  disk, outside the static and media roots, written beside the file and moved into place;
- ``s3``: in a bucket of any S3-compatible object store (AWS, MinIO, Ceph, a cloud's own), through
  django-storages (``PRIVATE_STORAGE_S3``: bucket, endpoint, region, credentials), so that several
  web servers and workers share one set of files. Objects are written with the private ACL.

Either way the files have random names and nothing serves them by URL: every download goes
through a view, after its permission check and the access log. Every file is encrypted before it
leaves the product (``lib.crypto``, under IDENTIFIER_KEYS): what is on disk or in the bucket is
ciphertext; ``write`` encrypts and ``read_bytes`` decrypts, so callers see clear bytes (a published
PDF still matches its SHA-256). A backup of the folder or the bucket is unreadable without the
keys. ``rotate_all`` re-encrypts every file with the first key.

The storage is chosen on each call from the settings, so a change of settings (in tests, say)
takes effect at once."""

import functools
import os
import posixpath
import uuid
from pathlib import Path

from botocore.config import Config
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from storages.backends.s3 import S3Storage

from lib import crypto

# A load balancer's health check and an upload both wait on these: a store that does not answer
# fails in seconds rather than holding a web server's worker.
S3_CLIENT_TIMEOUTS = {"connect_timeout": 5, "read_timeout": 60, "retries": {"max_attempts": 3, "mode": "standard"}}


class _Disk:
    """Files under PRIVATE_STORAGE_ROOT, readable by this machine's service account only."""

    def _root(self) -> Path:
        return Path(settings.PRIVATE_STORAGE_ROOT).resolve()

    def _path(self, name: str) -> Path:
        root = self._root()
        path = (root / name).resolve()
        if root not in path.parents:
            raise ValueError("Refusing a path outside private storage")
        return path

    def write(self, name: str, data: bytes) -> None:
        # Written beside the file and moved into place, so a reader never sees half a file.
        path = self._path(name)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        try:
            temporary.write_bytes(data)
            temporary.chmod(0o600)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)

    def read(self, name: str) -> bytes:
        return self._path(name).read_bytes()

    def exists(self, name: str) -> bool:
        return self._path(name).exists()

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)

    def names(self) -> list[str]:
        root = self._root()
        if not root.is_dir():
            return []
        return sorted(
            str(path.relative_to(root)) for path in root.rglob("*") if path.is_file() and not path.name.startswith(".")
        )


class _Bucket:
    """Objects in an S3-compatible bucket, through django-storages' S3Storage. An object is
    written whole in one request, so a reader never sees half a file either."""

    def __init__(self, options: dict):
        if not options.get("bucket_name"):
            raise ImproperlyConfigured("PRIVATE_STORAGE=s3 needs PRIVATE_STORAGE_BUCKET")
        self.location = options.get("location") or ""
        self.storage = S3Storage(
            bucket_name=options["bucket_name"],
            endpoint_url=options.get("endpoint_url") or None,
            region_name=options.get("region_name") or None,
            # None: boto3 finds credentials itself (AWS_* variables, an instance or pod role).
            access_key=options.get("access_key") or None,
            secret_key=options.get("secret_key") or None,
            location=self.location,
            # Never readable by anyone the bucket's policy does not name, never by a URL.
            default_acl="private",
            querystring_auth=True,
            file_overwrite=True,
            # Ciphertext, whatever the name says: no store or browser should try to read it.
            object_parameters={"ContentType": "application/octet-stream"},
            client_config=Config(
                s3={"addressing_style": options.get("addressing_style") or "auto"},
                **S3_CLIENT_TIMEOUTS,
            ),
        )

    def write(self, name: str, data: bytes) -> None:
        stored = self.storage.save(name, ContentFile(data))
        if stored != name:
            self.storage.delete(stored)
            raise ValueError("Refusing a file name the object store would change")

    def read(self, name: str) -> bytes:
        with self.storage.open(name, "rb") as handle:
            return handle.read()

    def exists(self, name: str) -> bool:
        return self.storage.exists(name)

    def delete(self, name: str) -> None:
        self.storage.delete(name)

    def names(self) -> list[str]:
        prefix = f"{self.location.strip('/')}/" if self.location.strip("/") else ""
        keys = (item.key for item in self.storage.bucket.objects.filter(Prefix=prefix))
        return sorted(posixpath.relpath(key, prefix) if prefix else key for key in keys if not key.endswith("/"))


@functools.lru_cache(maxsize=8)
def _bucket(options: tuple) -> _Bucket:
    # One client per set of options (and per thread, inside S3Storage), made on first use.
    return _Bucket(dict(options))


_DISK = _Disk()


class PrivateStorage:
    def _store(self) -> _Disk | _Bucket:
        kind = settings.PRIVATE_STORAGE
        if kind == "local":
            return _DISK
        if kind == "s3":
            return _bucket(tuple(sorted(settings.PRIVATE_STORAGE_S3.items())))
        raise ImproperlyConfigured(f"PRIVATE_STORAGE must be 'local' or 's3', not {kind!r}")

    def _checked(self, name: str) -> str:
        if not name:
            raise ValueError("No file name")
        if name.startswith("/") or ".." in name.split("/"):
            raise ValueError("Refusing a path outside private storage")
        return name

    def _write_raw(self, name: str, data: bytes) -> None:
        self._store().write(self._checked(name), data)

    def _read_raw(self, name: str) -> bytes:
        return self._store().read(self._checked(name))

    def write(self, name: str, data: bytes) -> None:
        self._write_raw(name, crypto.encrypt(data))

    def read_bytes(self, name: str) -> bytes:
        return crypto.decrypt(self._read_raw(name))

    def exists(self, name: str) -> bool:
        return self._store().exists(self._checked(name))

    def delete(self, name: str) -> None:
        self._store().delete(self._checked(name))

    def rotate(self, name: str) -> bool:
        """Re-encrypt a file with the first key. Returns False if it already was (or is gone).

        A file that is not a Fernet token at all is clear text left from before encryption (a
        stray upload, say): it is encrypted now, so nothing in the folder stays readable."""
        if not self.exists(name):
            return False
        token = self._read_raw(name)
        if crypto.is_current(token):
            return False
        if not crypto.looks_encrypted(token):
            self._write_raw(name, crypto.encrypt(token))
            return True
        try:
            self._write_raw(name, crypto.rotate(token))
        except crypto.DecryptionError:
            raise crypto.DecryptionError(f"The file {name} is encrypted with a key not in IDENTIFIER_KEYS") from None
        return True

    def names(self) -> list[str]:
        """Every stored file (not the temporary ones being written), relative to the root."""
        return self._store().names()

    def rotate_all(self) -> int:
        """Re-encrypt every file with the first key; returns how many needed it."""
        return sum(self.rotate(name) for name in self.names())


private_storage = PrivateStorage()
