"""Private file storage for uploads that hold identifiers (candidate lists).

Files live under PRIVATE_STORAGE_ROOT, outside the static and media roots, with random names;
nothing serves them by URL."""

from pathlib import Path

from django.conf import settings


class PrivateStorage:
    def _path(self, name: str) -> Path:
        root = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
        path = (root / name).resolve()
        if root not in path.parents:
            raise ValueError("Refusing a path outside private storage")
        return path

    def write(self, name: str, data: bytes) -> None:
        path = self._path(name)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_bytes(data)
        path.chmod(0o600)

    def read_bytes(self, name: str) -> bytes:
        return self._path(name).read_bytes()

    def exists(self, name: str) -> bool:
        return self._path(name).exists()

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)


private_storage = PrivateStorage()
