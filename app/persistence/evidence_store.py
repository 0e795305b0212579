"""The managed evidence store: attached files copied in and named by their SHA-256."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from app.persistence.files import write_atomic

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class EvidenceStore:
    """Files live at ``root/ab/abcdef...`` (the hash); identical files are stored once."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def add_file(self, source: Path, max_bytes: int | None = None) -> tuple[str, int]:
        """Copy ``source`` into the store; return (sha256, size). Safe against partial copies.

        Raises ValueError (nothing stored) when ``source`` holds more than ``max_bytes``: the
        limit is applied while reading, so a file that grows (or a device) cannot exceed it.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".incoming.", dir=self.root)
        tmp = Path(tmp_name)
        digest = hashlib.sha256()
        size = 0
        try:
            with source.open("rb") as src, os.fdopen(fd, "wb") as dst:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise ValueError(f"larger than the limit of {max_bytes:,} bytes")
                    dst.write(chunk)
                dst.flush()
                os.fsync(dst.fileno())
            sha = digest.hexdigest()
            final = self.path_for(sha)
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.exists() and sha256_of(final) == sha:
                tmp.unlink()
            else:
                os.replace(tmp, final)
            return sha, size
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def add_bytes(self, data: bytes) -> tuple[str, int]:
        sha = hashlib.sha256(data).hexdigest()
        final = self.path_for(sha)
        if not (final.exists() and sha256_of(final) == sha):
            final.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(final, data)
        return sha, len(data)

    def check(self, sha256: str) -> str:
        """ "ok", "missing" or "changed" (the file no longer has the recorded hash)."""
        path = self.path_for(sha256)
        if not path.is_file():
            return "missing"
        return "ok" if sha256_of(path) == sha256 else "changed"

    def copy_out(self, sha256: str, target: Path) -> None:
        shutil.copyfile(self.path_for(sha256), target)
