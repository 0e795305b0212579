"""Catalog: loads and validates every framework, profile and rating scheme under frameworks/."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import ValidationError

from app.catalog.errors import CatalogError, validation_error
from app.catalog.paths import frameworks_root, resources_root
from app.catalog.reading import display_name, read_json, validate
from app.domain.framework import Framework, Profile
from app.domain.rating import RatingScheme

__all__ = ["Catalog", "CatalogError", "frameworks_root", "resources_root"]

FRAMEWORK_FILE = "framework.json"
PROFILE_FILE = "profile.json"
SCHEMES_DIR = "schemes"


class Catalog:
    """The frameworks and rating schemes of one ``frameworks/`` folder, validated and immutable.

    Layout: ``<framework-id>/framework.json``, ``<framework-id>/profiles/<profile-id>/profile.json``
    and ``schemes/<scheme-id>.json``; each id must equal its folder or file name. A file that is
    malformed or inconsistent makes the whole load fail with a CatalogError naming it.
    """

    def __init__(
        self, root: Path, frameworks: Mapping[str, Framework], schemes: Mapping[str, RatingScheme]
    ) -> None:
        self._root = root
        self._frameworks = MappingProxyType(dict(frameworks))
        self._schemes = MappingProxyType(dict(schemes))

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
        if cached is not None:
            return cls(root, *cached)
        key = cache.source_key(root)
        cached = cache.read(cache_dir, key) if key else None
        if cached is not None:
            if stat and key:  # same files, new metadata (a checkout, a copy): record it
                cache.write(cache_dir, key, *cached, stat=stat)
            return cls(root, *cached)
        catalog = cls._validated(root)
        # Written only if no file changed while it was validated (the key would not be its own).
        if key and cache.source_key(root) == key:
            cache.write(cache_dir, key, catalog._frameworks, catalog._schemes, stat=stat)
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
        return list(self._frameworks.values())

    def framework(self, framework_id: str) -> Framework:
        try:
            return self._frameworks[framework_id]
        except KeyError:
            known = ", ".join(self._frameworks)
            raise CatalogError(f"unknown framework {framework_id!r} (known: {known})") from None

    def schemes(self) -> list[RatingScheme]:
        return list(self._schemes.values())

    def scheme(self, scheme_id: str) -> RatingScheme:
        try:
            return self._schemes[scheme_id]
        except KeyError:
            known = ", ".join(self._schemes)
            raise CatalogError(f"unknown rating scheme {scheme_id!r} (known: {known})") from None


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
