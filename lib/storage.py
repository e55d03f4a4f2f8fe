"""Private file storage: candidate lists (which name children), briefing PDFs and the logo.

Files live under PRIVATE_STORAGE_ROOT, outside the static and media roots, with random names;
nothing serves them by URL. Every file is encrypted at rest (``lib.crypto``, under
IDENTIFIER_KEYS): what is on disk is ciphertext; ``write`` encrypts and ``read_bytes`` decrypts,
so callers see clear bytes (a published PDF still matches its SHA-256). A backup of the folder
is unreadable without the keys. ``rotate_all`` re-encrypts every file with the first key."""

import os
import uuid
from pathlib import Path

from django.conf import settings

from lib import crypto


class PrivateStorage:
    def _path(self, name: str) -> Path:
        if not name:
            raise ValueError("No file name")
        root = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
        path = (root / name).resolve()
        if root not in path.parents:
            raise ValueError("Refusing a path outside private storage")
        return path

    def _write_raw(self, name: str, data: bytes) -> None:
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

    def _read_raw(self, name: str) -> bytes:
        return self._path(name).read_bytes()

    def write(self, name: str, data: bytes) -> None:
        self._write_raw(name, crypto.encrypt(data))

    def read_bytes(self, name: str) -> bytes:
        return crypto.decrypt(self._read_raw(name))

    def exists(self, name: str) -> bool:
        return self._path(name).exists()

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)

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
        root = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
        if not root.is_dir():
            return []
        return sorted(
            str(path.relative_to(root)) for path in root.rglob("*") if path.is_file() and not path.name.startswith(".")
        )

    def rotate_all(self) -> int:
        """Re-encrypt every file with the first key; returns how many needed it."""
        return sum(self.rotate(name) for name in self.names())


private_storage = PrivateStorage()
