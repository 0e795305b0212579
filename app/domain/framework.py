"""Framework catalog models: functions, categories, subcategories, Playbook guidance, profiles.

These are the validated, in-memory form of the files under ``frameworks/``. They carry the
official text verbatim; nothing here paraphrases it.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


_M = TypeVar("_M", bound=_Frozen)


class SourceInfo(_Frozen):
    """Where a framework text came from (recorded inside the framework data)."""

    identifier: str
    title: str
    published: str
    url: str = ""
    doi: str = ""
    retrieved: str = ""
    sha256: str = ""
    license: str = ""
    notes: str = ""


class Link(_Frozen):
    """A transparency resource or reference from the Playbook."""

    text: str
    urls: tuple[str, ...] = ()
    group: str = ""


class Guidance(_Frozen):
    """NIST AI RMF Playbook guidance for one subcategory."""

    about: str = ""
    suggested_actions_intro: str = ""
    suggested_actions: tuple[str, ...] = ()
    documentation: tuple[str, ...] = ()
    resources: tuple[Link, ...] = ()
    references: tuple[Link, ...] = ()
    ai_actors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


class Subcategory(_Frozen):
    id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    guidance: Guidance | None = None


class Category(_Frozen):
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    subcategories: tuple[Subcategory, ...] = Field(min_length=1)


class Function(_Frozen):
    id: str = Field(min_length=1)
    code: str = ""
    title: str = Field(min_length=1)
    description: str = ""
    overview: tuple[str, ...] = ()
    categories: tuple[Category, ...] = Field(min_length=1)


class ProfileRisk(_Frozen):
    id: str = Field(min_length=1)
    number: int | None = None
    title: str = Field(min_length=1)
    definition: str = ""
    characteristics: tuple[str, ...] = ()


class ProfileAction(_Frozen):
    id: str = Field(min_length=1)
    subcategory: str = Field(min_length=1)
    text: str = Field(min_length=1)
    risks: tuple[str, ...] = ()
    risk_labels: tuple[str, ...] = ()
    ai_actor_tasks: tuple[str, ...] = ()


class Profile(_Frozen):
    """An overlay on a framework, e.g. the Generative AI Profile (NIST AI 600-1)."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    framework_id: str = Field(min_length=1)
    source: SourceInfo
    risks: tuple[ProfileRisk, ...] = ()
    actions: tuple[ProfileAction, ...] = ()

    @model_validator(mode="after")
    def _unique_ids(self) -> Profile:
        _require_unique("risks", [r.id for r in self.risks])
        _require_unique("actions", [a.id for a in self.actions])
        risk_ids = {r.id for r in self.risks}
        for i, action in enumerate(self.actions):
            for risk in action.risks:
                if risk not in risk_ids:
                    raise ValueError(f"actions.{i}.risks: unknown risk id {risk!r}")
        return self

    def actions_for(
        self, subcategory_id: str, risks: set[str] | None = None
    ) -> list[ProfileAction]:
        """Actions for one subcategory, optionally only those touching one of ``risks``."""
        return [
            a
            for a in self.actions
            if a.subcategory == subcategory_id and (risks is None or set(a.risks) & risks)
        ]

    def risk(self, risk_id: str) -> ProfileRisk:
        for r in self.risks:
            if r.id == risk_id:
                return r
        raise KeyError(risk_id)


class Framework(_Frozen):
    """A risk management framework: functions -> categories -> subcategories."""

    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9.\-]*$")
    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    source: SourceInfo
    guidance_source: SourceInfo | None = None
    functions: tuple[Function, ...] = Field(min_length=1)
    profiles: tuple[Profile, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Framework:
        _require_unique("functions", [f.id for f in self.functions])
        _require_unique("categories", [c.id for c in self.categories()])
        _require_unique("subcategories", [s.id for s in self.subcategories()])
        known = {s.id for s in self.subcategories()}
        for p, profile in enumerate(self.profiles):
            if profile.framework_id != self.id:
                raise ValueError(
                    f"profiles.{p}.framework_id: {profile.framework_id!r} != {self.id!r}"
                )
            for i, action in enumerate(profile.actions):
                if action.subcategory not in known:
                    raise ValueError(
                        f"profiles.{p}.actions.{i}.subcategory: unknown subcategory "
                        f"{action.subcategory!r}"
                    )
        return self

    def categories(self) -> list[Category]:
        return [c for f in self.functions for c in f.categories]

    def outline(self) -> Framework:
        """This framework without its Playbook guidance (every subcategory's ``guidance`` is
        None) and without its profiles: the functions, categories and subcategories with their
        verbatim texts, which is all that scoring and resolving an id read.

        The catalog's cache keeps the outline apart from the whole framework, so that a command
        that scores or records one answer unpickles a tenth of the objects (issue 13); see
        ``Catalog.outline``. Built without re-running validation (the parts were validated).
        """
        functions = tuple(
            _copy_of(
                f,
                categories=tuple(
                    _copy_of(
                        c,
                        subcategories=tuple(_copy_of(s, guidance=None) for s in c.subcategories),
                    )
                    for c in f.categories
                ),
            )
            for f in self.functions
        )
        return _copy_of(self, functions=functions, profiles=())

    def subcategories(self) -> list[Subcategory]:
        return [s for c in self.categories() for s in c.subcategories]

    @cached_property
    def _index(self) -> dict[str, tuple[Function, Category, Subcategory]]:
        return {
            s.id: (f, c, s) for f in self.functions for c in f.categories for s in c.subcategories
        }

    def subcategory(self, subcategory_id: str) -> Subcategory:
        return self._index[subcategory_id][2]

    def parents(self, subcategory_id: str) -> tuple[Function, Category]:
        f, c, _ = self._index[subcategory_id]
        return f, c

    def has_subcategory(self, subcategory_id: str) -> bool:
        return subcategory_id in self._index

    def subcategory_ids(self) -> list[str]:
        return list(self._index)

    def profile(self, profile_id: str) -> Profile:
        for p in self.profiles:
            if p.id == profile_id:
                return p
        raise KeyError(profile_id)

    def resolve_subcategory_id(self, text: str) -> str | None:
        """Accept "GOVERN 1.1", "govern 1.1" or the AI 600-1 short form "GV-1.1"."""
        raw = text.strip()
        if raw in self._index:
            return raw
        m = re.fullmatch(r"([A-Za-z]+)[\s\-_]*(\d+)\.(\d+)", raw)
        if not m:
            return None
        prefix, major, minor = m.group(1).upper(), m.group(2), m.group(3)
        for f in self.functions:
            if prefix in (f.id.upper(), f.code.upper()):
                candidate = f"{f.id} {int(major)}.{int(minor)}"
                return candidate if candidate in self._index else None
        return None


def _copy_of(model: _M, **update: object) -> _M:
    """``model`` with ``update`` applied, its fields only: unlike ``model_copy`` it carries no
    cached value (``Framework._index``) over from the original."""
    values = {name: getattr(model, name) for name in type(model).model_fields}
    return type(model).model_construct(model.model_fields_set, **{**values, **update})


def _require_unique(path: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i, value in enumerate(ids):
        if value in seen:
            raise ValueError(f"{path}.{i}.id: duplicate id {value!r}")
        seen.add(value)
