"""Evidence-bearing export bundles: a zip holding the JSON export and the attached files.

Import is defensive: only ``assessment.json`` and ``evidence/<sha256>`` entries are accepted (no
paths to traverse, nothing absolute), sizes are limited while reading (not trusted from headers),
and every file must hash to its name and be cited by the export.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from app.domain.limits import MAX_EVIDENCE_BYTES
from app.persistence.errors import DatabaseError
from app.services.context import ServiceContext
from app.services.errors import InvalidInput, StorageError
from app.services.exchange import MAX_IMPORT_BYTES, ExchangeService
from app.services.outputs import guard_output, write_output

DOCUMENT = "assessment.json"
_EVIDENCE = re.compile(r"^evidence/([0-9a-f]{64})$")
MAX_FILE_BYTES = MAX_EVIDENCE_BYTES  # what can be attached can be moved in a bundle
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_ENTRIES = 10_000
CHUNK = 1 << 20


def is_bundle(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


class _Changed(Exception):
    """An evidence file that no longer hashes to its name, found while writing a bundle."""


class BundleService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.exchange = ExchangeService(ctx)

    def export_bundle(
        self, assessment_id: int, target: Path | BinaryIO, *, force: bool = False
    ) -> Path | None:
        """Write a bundle (the export and its evidence files) to ``target``: a path (atomically,
        guarded as every output) or a binary stream. Returns the path (None for a stream).

        Raises NotFound, InvalidInput, NeedsConfirmation or StorageError (also when an evidence
        file is missing or changed in the store: nothing is written then).
        """
        if isinstance(target, (str, Path)):  # refuse before reading anything
            guard_output(self.ctx.location, Path(target), "bundle", force=force)
        doc = self.exchange.document(assessment_id)
        hashes = sorted({e.sha256 for a in doc.answers for e in a.evidence if e.sha256})
        store = self.ctx.evidence
        try:
            missing = [h for h in hashes if not store.exists(h)]
        except DatabaseError as exc:
            raise StorageError(str(exc)) from exc
        if missing:
            raise self._not_written(len(missing), missing[0])
        payload = self.exchange.serialize(doc)

        def write(fh) -> None:  # type: ignore[no-untyped-def]
            # Each file is read once, in chunks: copied into the zip and re-hashed on the way;
            # one that no longer has its hash stops the write (nothing is left behind).
            with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                zf.writestr(DOCUMENT, payload)
                for sha in hashes:
                    digest = hashlib.sha256()
                    with zf.open(f"evidence/{sha}", "w", force_zip64=True) as entry:
                        for chunk in store.chunks(sha):
                            digest.update(chunk)
                            entry.write(chunk)
                    if digest.hexdigest() != sha:
                        raise _Changed(sha)

        try:
            return write_output(
                self.ctx.location, target, "bundle", write, force=force, what="the bundle"
            )
        except _Changed as exc:
            raise self._not_written(1, str(exc)) from None
        except DatabaseError as exc:
            raise StorageError(f"{exc}; the bundle was not written") from exc

    @staticmethod
    def _not_written(count: int, first: str) -> StorageError:
        return StorageError(
            f"{count} evidence file(s) are missing or changed in the store "
            f"(first: {first[:12]}…); the bundle was not written"
        )

    def import_bundle(self, source: Path) -> int:
        source = Path(source)
        name = str(source)
        with tempfile.TemporaryDirectory(prefix="airmf-bundle-") as tmp:
            staged = Path(tmp)
            doc_path, files = self._extract_checked(source, staged)
            doc = self.exchange.parse(doc_path)  # refuses with the inner path named
            cited = {e.sha256 for a in doc.answers for e in a.evidence if e.sha256}
            uncited = set(files) - cited
            if uncited:
                raise InvalidInput(
                    f"{name}: evidence/{sorted(uncited)[0]}: not cited by any answer"
                )
            absent = cited - set(files)
            if absent:
                raise InvalidInput(
                    f"{name}: evidence/{sorted(absent)[0]}: cited but not in the bundle"
                )
            try:
                for sha, path in files.items():
                    stored, _ = self.ctx.evidence.add_file(path)
                    if stored != sha:  # pragma: no cover - hashed while extracting
                        raise InvalidInput(f"{name}: evidence/{sha}: content does not match")
            except (OSError, DatabaseError) as exc:
                raise StorageError(f"cannot copy evidence into the store: {exc}") from exc
            new_id = self.exchange.import_parsed(doc)
            # A clean-up by another instance may have removed the files, uncited until this
            # commit; now that they are cited, nothing removes them again.
            try:
                for sha, path in files.items():
                    if not self.ctx.evidence.exists(sha):
                        self.ctx.evidence.add_file(path)
            except (OSError, DatabaseError) as exc:
                raise StorageError(f"cannot copy evidence into the store: {exc}") from exc
            return new_id

    def _extract_checked(self, source: Path, staged: Path) -> tuple[Path, dict[str, Path]]:
        name = str(source)
        try:
            zf = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError) as exc:
            raise InvalidInput(f"{name}: not a readable bundle (zip): {exc}") from exc
        files: dict[str, Path] = {}
        doc_path: Path | None = None
        total = 0
        with zf:
            infos = zf.infolist()
            if len(infos) > MAX_ENTRIES:
                raise InvalidInput(f"{name}: too many entries ({len(infos)})")
            for info in infos:
                entry = info.filename
                m = _EVIDENCE.match(entry)
                if entry != DOCUMENT and not m:
                    raise InvalidInput(
                        f"{name}: {entry!r}: unexpected entry (only {DOCUMENT} and "
                        "evidence/<sha256> are allowed)"
                    )
                if entry == DOCUMENT and doc_path is not None or m and m.group(1) in files:
                    raise InvalidInput(f"{name}: {entry}: appears twice")
                limit = MAX_IMPORT_BYTES if entry == DOCUMENT else MAX_FILE_BYTES
                target = staged / (DOCUMENT if entry == DOCUMENT else m.group(1))  # type: ignore[union-attr]
                digest, size = hashlib.sha256(), 0
                try:
                    with zf.open(info) as src, target.open("wb") as dst:
                        while chunk := src.read(CHUNK):
                            size += len(chunk)
                            total += len(chunk)
                            if size > limit or total > MAX_TOTAL_BYTES:
                                raise InvalidInput(f"{name}: {entry}: larger than allowed")
                            digest.update(chunk)
                            dst.write(chunk)
                except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError) as exc:
                    raise InvalidInput(f"{name}: {entry}: cannot be read: {exc}") from exc
                if m:
                    if digest.hexdigest() != m.group(1):
                        raise InvalidInput(f"{name}: {entry}: content does not match its SHA-256")
                    files[m.group(1)] = target
                else:
                    doc_path = target
        if doc_path is None:
            raise InvalidInput(f"{name}: {DOCUMENT}: missing from the bundle")
        return doc_path, files
