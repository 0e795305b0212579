"""Catalog: loads and validates every framework, profile and rating scheme under frameworks/."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from app.catalog.errors import CatalogError, validation_error
from app.catalog.paths import frameworks_root, resources_root
from app.catalog.reading import display_name, read_json, validate
from app.domain.framework import Framework, Profile
from app.domain.rating import RatingScheme

if TYPE_CHECKING:
    from app.catalog.cache import Cached

__all__ = ["Catalog", "CatalogError", "frameworks_root", "resources_root"]

FRAMEWORK_FILE = "framework.json"
# Held while a catalog loads its whole frameworks on first use (Catalog._frameworks).
_LOADING = threading.Lock()
PROFILE_FILE = "profile.json"
SCHEMES_DIR = "schemes"


class Catalog:
    """The frameworks and rating schemes of one ``frameworks/`` folder, validated and immutable.

    Layout: ``<framework-id>/framework.json``, ``<framework-id>/profiles/<profile-id>/profile.json``
    and ``schemes/<scheme-id>.json``; each id must equal its folder or file name. A file that is
    malformed or inconsistent makes the whole load fail with a CatalogError naming it.
    """

    def __init__(
        self,
        root: Path,
        frameworks: Mapping[str, Framework] | Callable[[], Mapping[str, Framework]],
        schemes: Mapping[str, RatingScheme],
        *,
        outlines: Mapping[str, Framework] | None = None,
    ) -> None:
        """``frameworks``: id -> Framework, or a function that returns them when first needed
        (then ``outlines`` must be given: id -> ``Framework.outline()``, in the same order)."""
        self._root = root
        self._schemes = MappingProxyType(dict(schemes))
        self._full: Mapping[str, Framework] | None = None
        self._load_full: Callable[[], Mapping[str, Framework]] | None = None
        if callable(frameworks):
            assert outlines is not None, "frameworks loaded on use need their outlines"
            self._load_full = frameworks
        else:
            self._full = MappingProxyType(dict(frameworks))
        self._outlines = None if outlines is None else MappingProxyType(dict(outlines))

    @classmethod
    def load(cls, root: Path | None = None, *, cache_dir: Path | None = None) -> Catalog:
        """Load ``root`` (default: the shipped ``frameworks/`` folder).

        ``cache_dir``: where a copy of the validated models is kept between processes (see
        ``app.catalog.cache``); it is used only when made from the very same files and code,
        and rewritten after each validation. None: always validate. Raises CatalogError.
        """
        root = frameworks_root() if root is None else Path(root)
        if cache_dir is None:
            return cls._validated(root)
        from app.catalog import cache

        if not root.is_dir():
            return cls._validated(root)  # names the missing folder
        # The metadata key first (no file read); it is taken before the content key, so that
        # a change made meanwhile never pairs new metadata with old content.
        stat = cache.stat_key(root)
        cached = cache.read(cache_dir, stat, by_stat=True) if stat else None
        if cached is None:
            key = cache.source_key(root)
            cached = cache.read(cache_dir, key) if key else None
            if cached is not None and stat and key:
                # Same files, new metadata (a checkout, a copy): record it.
                cache.write_payload(cache_dir, key, cached.payload, stat=stat)
        if cached is not None:
            whole = _whole_or_validated(cached, root, cache_dir)
            return cls(root, whole, cached.schemes, outlines=cached.outlines)
        return cls._validated_and_cached(root, cache_dir, stat)

    @classmethod
    def _validated_and_cached(cls, root: Path, cache_dir: Path, stat: str | None) -> Catalog:
        """Validate ``root`` and write the cache (``stat``: its metadata key, taken before)."""
        from app.catalog import cache

        key = cache.source_key(root)
        catalog = cls._validated(root)
        # Written only if no file changed while it was validated (the key would not be its own).
        if key and cache.source_key(root) == key:
            cache.write(cache_dir, key, catalog._frameworks(), catalog._schemes, stat=stat)
        return catalog

    @classmethod
    def _validated(cls, root: Path) -> Catalog:
        if not root.is_dir():
            raise CatalogError(f"the frameworks folder {root} does not exist")
        frameworks = {}
        for folder in sorted(_visible(root.iterdir())):
            if folder.is_dir() and (folder / FRAMEWORK_FILE).is_file():
                framework = _load_framework(folder, root)
                frameworks[framework.id] = framework
        if not frameworks:
            raise CatalogError(f"no framework (a folder with {FRAMEWORK_FILE}) in {root}")
        schemes = {}
        for path in sorted(_visible((root / SCHEMES_DIR).glob("*.json"))):
            scheme = _load_scheme(path, root)
            schemes[scheme.id] = scheme
        if not schemes:
            raise CatalogError(f"no rating scheme ({SCHEMES_DIR}/*.json) in {root}")
        return cls(root, frameworks, schemes)

    @property
    def root(self) -> Path:
        return self._root

    def frameworks(self) -> list[Framework]:
        return list(self._frameworks().values())

    def framework(self, framework_id: str) -> Framework:
        """The whole framework: its structure, texts, Playbook guidance and profiles. Raises
        CatalogError for an unknown id (or, loaded from a damaged cache, broken files)."""
        self._require_known(framework_id)
        return self._frameworks()[framework_id]

    def outline(self, framework_id: str) -> Framework:
        """The framework's outline (``Framework.outline``: functions, categories, subcategories
        and their texts; no guidance, no profiles), for what reads only those (scoring,
        resolving a subcategory id); taken from the cache without the whole framework.
        Raises CatalogError for an unknown id."""
        self._require_known(framework_id)
        if self._outlines is None:
            self._outlines = MappingProxyType(
                {k: f.outline() for k, f in self._frameworks().items()}
            )
        return self._outlines[framework_id]

    def schemes(self) -> list[RatingScheme]:
        return list(self._schemes.values())

    def scheme(self, scheme_id: str) -> RatingScheme:
        try:
            return self._schemes[scheme_id]
        except KeyError:
            known = ", ".join(self._schemes)
            raise CatalogError(f"unknown rating scheme {scheme_id!r} (known: {known})") from None

    def _frameworks(self) -> Mapping[str, Framework]:
        if self._full is None:
            # The window's readers run on worker threads: the first to need them loads them.
            with _LOADING:
                if self._full is None:
                    assert self._load_full is not None
                    self._full = MappingProxyType(dict(self._load_full()))
                    self._load_full = None
        return self._full

    def _require_known(self, framework_id: str) -> None:
        ids = self._outlines if self._outlines is not None else self._frameworks()
        if framework_id not in ids:
            known = ", ".join(ids)
            raise CatalogError(f"unknown framework {framework_id!r} (known: {known})")


def _whole_or_validated(
    cached: Cached, root: Path, cache_dir: Path
) -> Callable[[], Mapping[str, Framework]]:
    """The whole frameworks of a cache, when first needed: unpickled, or, when that part of
    the file is damaged, validated from ``root`` again (and the cache rewritten). Raises
    CatalogError only when the files themselves are broken."""

    def whole() -> Mapping[str, Framework]:
        found = cached.frameworks()
        if found is not None:
            return found
        from app.catalog import cache

        stat = cache.stat_key(root)
        return Catalog._validated_and_cached(root, cache_dir, stat)._frameworks()

    return whole


def _visible(paths: Any) -> list[Path]:
    """Skip hidden entries (editor backups, interrupted atomic writes)."""
    return [p for p in paths if not p.name.startswith(".")]


def _load_framework(folder: Path, root: Path) -> Framework:
    path = folder / FRAMEWORK_FILE
    name = display_name(path, root)
    data = read_json(path, name)
    framework = validate(Framework, data, name, relocate=_nested_paths(data))
    _require_id_matches(framework.id, folder.name, name)
    if framework.profiles:
        raise CatalogError(
            f"profiles: must be empty; each profile lives in profiles/<id>/{PROFILE_FILE}",
            file=name,
        )
    profiles = []
    for profile_dir in sorted(_visible((folder / "profiles").glob("*"))):
        profile_path = profile_dir / PROFILE_FILE
        if profile_dir.is_dir() and profile_path.is_file():
            profiles.append(_load_profile(profile_path, framework, root))
    return _with_profiles(framework, tuple(profiles), name, relocate=None)


def _load_profile(path: Path, framework: Framework, root: Path) -> Profile:
    name = display_name(path, root)
    profile = validate(Profile, read_json(path, name), name)
    _require_id_matches(profile.id, path.parent.name, name)
    # Checked alone against the framework, so any problem is reported against this file.
    _with_profiles(framework, (profile,), name, relocate=_strip_prefix("profiles.0."))
    return profile


def _with_profiles(
    framework: Framework,
    profiles: tuple[Profile, ...],
    name: str,
    relocate: Callable[[str], str] | None,
) -> Framework:
    """A new Framework (not a model_copy) so that its cross-checks run over the profiles too."""
    try:
        fields = {f: getattr(framework, f) for f in Framework.model_fields}
        return Framework(**{**fields, "profiles": profiles})
    except ValidationError as exc:
        raise validation_error(exc, name, relocate) from exc


def _load_scheme(path: Path, root: Path) -> RatingScheme:
    name = display_name(path, root)
    scheme = validate(RatingScheme, read_json(path, name), name)
    _require_id_matches(scheme.id, path.stem, name)
    return scheme


def _require_id_matches(model_id: str, expected: str, name: str) -> None:
    if model_id != expected:
        raise CatalogError(f"id: {model_id!r} does not match its file name {expected!r}", file=name)


def _strip_prefix(prefix: str) -> Callable[[str], str]:
    return lambda path: path.removeprefix(prefix)


_FLAT = re.compile(r"^(categories|subcategories)\.(\d+)(\..*)?$")


def _nested_paths(data: Any) -> Callable[[str], str]:
    """Map the framework validator's flat "subcategories.N" paths to their place in the file."""

    def relocate(path: str) -> str:
        m = _FLAT.match(path)
        if not m or not isinstance(data, dict):
            return path
        places: list[str] = []
        for f, function in enumerate(data.get("functions") or ()):
            for c, category in enumerate(function.get("categories") or ()):
                base = f"functions.{f}.categories.{c}"
                if m.group(1) == "categories":
                    places.append(base)
                else:
                    subs = category.get("subcategories") or ()
                    places.extend(f"{base}.subcategories.{s}" for s in range(len(subs)))
        index = int(m.group(2))
        return places[index] + (m.group(3) or "") if index < len(places) else path

    return relocate
