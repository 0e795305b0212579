"""A cache of the validated catalog, so that a process need not parse and validate frameworks/.

Scripts run ``airmf`` once per answer (issue 13: a command at most 3x a bare
``python -c "import pydantic, sqlite3"``). Reading and validating the framework files costs
about as much as that whole floor; unpickling the models they validated into costs a tenth.

The cache is one file, ``catalog.pickle`` in the folder it is given (the user cache folder; see
``app.config.paths.default_cache_dir``). It holds a header line with the key (a SHA-256 over
every file under the frameworks folder, the code that validates them and the versions of the
app, Python and Pydantic) and the pickled models. It is only ever a copy of what validation
produced. The pickle holds each framework's outline (``Framework.outline``: no guidance, no
profiles) and the schemes, and the whole frameworks as a pickle of their own with its SHA-256:
a command that only scores or records an answer unpickles the outline (~100 objects), and the
whole frameworks (~1,200: the Playbook's links, the AI 600-1 actions) are unpickled on first
use.

- reading every file to hash it costs a process more than the rest of the load, so the header
  also holds a key over the files' metadata (``stat_key``: path, size, modification and change
  times, inode, of the same files and code). When that matches, the files are not read. It is
  recorded only when every file is older than a few seconds, so that an edit made in the same
  tick of the file system's clock as the cache cannot go unseen (the "racily clean" rule of
  git's index); any later change to a file changes its change time. Otherwise, or when it
  differs, the content key decides, and a match records the new metadata key;

- a key that differs (a framework file edited, an upgrade) or a file that cannot be read or
  unpickled is ignored and the catalog validated again, then the cache rewritten;
- it is written atomically (a temp file in the same folder, fsync, rename), so a reader never
  sees half a file; two processes writing at once write the same bytes;
- unpickling resolves only the catalog's own model classes (the "restricting globals" recipe of
  the ``pickle`` documentation): a planted file cannot run code, it is refused as unreadable;
- a cache that cannot be written (read-only or full disk) costs speed, never a load.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pydantic

from app import __version__
from app.domain.framework import Framework
from app.domain.rating import RatingScheme

CACHE_FILE = "catalog.pickle"
# Bump when the cached layout changes (what is pickled, or the header).
_FORMAT = b"airmf-catalog-cache 3"
# A file changed less than this many seconds ago may change again within the same tick of the
# file system's clock (up to 2 s on FAT): no metadata key is recorded for it.
_SETTLED_SECONDS = 3.0
# In the header in place of a metadata key that was not recorded.
_NO_STAT_KEY = "-"
# The modules whose classes a cache may contain; nothing else is resolved when unpickling.
_MODEL_MODULES = frozenset({"app.domain.framework", "app.domain.rating"})
# The code that decides what a valid catalog is: a change to any of it invalidates the cache.
_RULES_MODULES = (
    "app.domain.framework",
    "app.domain.rating",
    "app.catalog.loader",
    "app.catalog.reading",
    "app.catalog.cache",
)


def source_key(root: Path) -> str | None:
    """The cache key of the catalog in ``root``: SHA-256 hex over every file below it (relative
    path and bytes, in sorted order), the validating code and the versions that shape the
    pickled models. None when a file cannot be read (validation then names it)."""
    digest = hashlib.sha256()
    for part in (_FORMAT, __version__, sys.version, pydantic.VERSION):
        _add(digest, str(part).encode())
    for name in _RULES_MODULES:
        _add(digest, _code_of(name))
    try:
        files = sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            _add(digest, path.relative_to(root).as_posix().encode())
            _add(digest, path.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def stat_key(root: Path) -> str | None:
    """The cache's metadata key of the catalog in ``root``: SHA-256 hex over the versions in
    ``source_key`` and the path, size, modification and change times (ns) and inode of every
    file below ``root`` and of the validating code. None when a file cannot be read or changed
    less than _SETTLED_SECONDS ago (then only ``source_key`` can match)."""
    digest = hashlib.sha256()
    for part in (_FORMAT, __version__, sys.version, pydantic.VERSION, str(root)):
        _add(digest, str(part).encode())
    settled = time.time_ns() - int(_SETTLED_SECONDS * 1e9)
    try:
        paths = [_code_path(name) for name in _RULES_MODULES]
        paths += sorted(p for p in root.rglob("*") if p.is_file())
        for path in paths:
            st = path.stat()
            if max(st.st_mtime_ns, st.st_ctime_ns) > settled:
                return None
            _add(digest, path.as_posix().encode())
            _add(digest, f"{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}".encode())
    except OSError:
        return None
    return digest.hexdigest()


class Cached:
    """One cache file's content: ``outlines`` and ``schemes`` (id -> model, unpickled) and the
    whole frameworks, unpickled by ``frameworks()``. ``payload``: the file after its header."""

    __slots__ = ("_digest", "_whole", "outlines", "payload", "schemes")

    def __init__(
        self,
        outlines: dict[str, Framework],
        schemes: dict[str, RatingScheme],
        whole: bytes,
        digest: bytes,
        payload: bytes,
    ) -> None:
        self.outlines, self.schemes, self.payload = outlines, schemes, payload
        self._whole, self._digest = whole, digest

    def frameworks(self) -> dict[str, Framework] | None:
        """The whole frameworks (id -> Framework, the outlines' ids in their order), or None
        when their pickle does not match its SHA-256, cannot be unpickled or holds anything
        else (then validate instead)."""
        if hashlib.sha256(self._whole).digest() != self._digest:
            return None
        try:
            loaded = _ModelUnpickler(io.BytesIO(self._whole)).load()
        except Exception:  # any damage: validate instead
            return None
        if not (
            isinstance(loaded, dict)
            and list(loaded) == list(self.outlines)
            and all(isinstance(f, Framework) and f.id == k for k, f in loaded.items())
        ):
            return None
        return loaded


def read(cache_dir: Path, key: str, *, by_stat: bool = False) -> Cached | None:
    """The catalog cached in ``cache_dir`` under ``key`` (a ``source_key``; with ``by_stat``, a
    ``stat_key``), or None when there is no such cache, it was made for other files or code,
    or its outlines and schemes are unreadable in any way (the whole frameworks are checked
    when ``Cached.frameworks`` unpickles them)."""
    try:
        raw = (cache_dir / CACHE_FILE).read_bytes()
    except OSError:
        return None
    end = raw.find(b"\n")
    words = raw[:end].split(b" ") if end > 0 else []
    if len(words) != 4 or b" ".join(words[:2]) != _FORMAT:
        return None
    if words[3 if by_stat else 2] != key.encode() or key == _NO_STAT_KEY:
        return None
    payload = raw[end + 1 :]
    try:
        loaded = _ModelUnpickler(io.BytesIO(payload)).load()
    except Exception:  # any damage (truncated, foreign, refused class): validate instead
        return None
    if not _well_formed(loaded):
        return None
    outlines, schemes, whole, digest = loaded
    return Cached(outlines, schemes, whole, digest, payload)


def write(
    cache_dir: Path,
    key: str,
    frameworks: Mapping[str, Framework],
    schemes: Mapping[str, RatingScheme],
    stat: str | None = None,
) -> bool:
    """Store the validated models under ``key`` (and the metadata key ``stat``, taken before
    ``key``; None: none) in ``cache_dir`` (created if missing), replacing any previous cache
    atomically. Returns False, leaving any previous file in place, when it cannot be written
    (the catalog is then validated again next time)."""
    whole = pickle.dumps(dict(frameworks), protocol=pickle.HIGHEST_PROTOCOL)
    outlines = {k: f.outline() for k, f in frameworks.items()}
    payload = pickle.dumps(
        (outlines, dict(schemes), whole, hashlib.sha256(whole).digest()),
        protocol=pickle.HIGHEST_PROTOCOL,
    )
    return write_payload(cache_dir, key, payload, stat)


def write_payload(cache_dir: Path, key: str, payload: bytes, stat: str | None = None) -> bool:
    """``write`` for a payload read before (``Cached.payload``): the same models under a new
    header (new metadata of the same files). Returns False when it cannot be written."""
    import tempfile  # on write only: a process that reads the cache needs none (~5 ms)

    data = _header(key, stat) + payload
    tmp: Path | None = None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{CACHE_FILE}.", suffix=".part", dir=cache_dir)
        tmp = Path(name)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, cache_dir / CACHE_FILE)
        return True
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        return False


class _ModelUnpickler(pickle.Unpickler):
    """Resolves only the Pydantic model classes of the catalog's modules."""

    def find_class(self, module: str, name: str) -> Any:
        if module in _MODEL_MODULES:
            found = getattr(sys.modules[module], name, None)
            if isinstance(found, type) and issubclass(found, pydantic.BaseModel):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not a catalog model")


def _well_formed(loaded: Any) -> bool:
    if not (isinstance(loaded, tuple) and len(loaded) == 4):
        return False
    outlines, schemes, whole, digest = loaded
    return (
        isinstance(outlines, dict)
        and isinstance(schemes, dict)
        and isinstance(whole, bytes)
        and isinstance(digest, bytes)
        and bool(outlines)
        and bool(schemes)
        and all(isinstance(f, Framework) and f.id == k for k, f in outlines.items())
        and all(isinstance(s, RatingScheme) and s.id == k for k, s in schemes.items())
    )


def _header(key: str, stat: str | None) -> bytes:
    return b" ".join((_FORMAT, key.encode(), (stat or _NO_STAT_KEY).encode())) + b"\n"


def _add(digest: Any, part: bytes) -> None:
    # Length-prefixed, so that no two different sequences of parts hash alike.
    digest.update(len(part).to_bytes(8, "big"))
    digest.update(part)


def _code_path(module_name: str) -> Path:
    """The file of a module's code (in a frozen build, the executable)."""
    path = getattr(sys.modules.get(module_name), "__file__", None)
    return Path(path) if path else Path(sys.executable)


def _code_of(module_name: str) -> bytes:
    """The source of a module; in a frozen build (no sources), the executable's size and time,
    which change with every build."""
    module = sys.modules.get(module_name)
    path = getattr(module, "__file__", None)
    if path:
        with contextlib.suppress(OSError):
            return Path(path).read_bytes()
    with contextlib.suppress(OSError):
        st = os.stat(sys.executable)
        return f"{module_name} {st.st_size} {st.st_mtime_ns}".encode()
    return module_name.encode()
