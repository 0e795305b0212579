"""The cached catalog is the validated catalog: equal model for model, used only when made from
the same files, and never trusted when stale, damaged or planted."""

from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from app.catalog import Catalog, CatalogError, cache, frameworks_root


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A private copy of the shipped frameworks/ folder, safe to edit."""
    root = tmp_path / "frameworks"
    shutil.copytree(frameworks_root(), root)
    return root


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The roots validated from their files (not taken from the cache), in order."""
    seen: list[Path] = []
    original = Catalog._validated.__func__  # type: ignore[attr-defined]

    def counting(cls: type[Catalog], root: Path) -> Catalog:
        seen.append(root)
        return original(cls, root)

    monkeypatch.setattr(Catalog, "_validated", classmethod(counting))
    return seen


def _same(a: Any, b: Any, path: str = "catalog") -> None:
    """Equal as models (type, every field, the fields that were set), recursively."""
    assert type(a) is type(b), path
    if isinstance(a, BaseModel):
        assert a.__pydantic_fields_set__ == b.__pydantic_fields_set__, path
        assert a.__pydantic_extra__ == b.__pydantic_extra__, path
        for name in type(a).model_fields:
            _same(getattr(a, name), getattr(b, name), f"{path}.{name}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{path}.{i}")
    elif isinstance(a, dict):
        assert list(a) == list(b), path
        for k in a:
            _same(a[k], b[k], f"{path}.{k}")
    else:
        assert a == b, path


def test_the_cached_catalog_equals_the_validated_one(
    tmp_path: Path, validations: list[Path]
) -> None:
    validated = Catalog.load()
    first = Catalog.load(cache_dir=tmp_path / "cache")  # validates, then writes the cache
    cached = Catalog.load(cache_dir=tmp_path / "cache")  # reads it
    assert len(validations) == 2  # the third load came from the cache
    assert (tmp_path / "cache" / cache.CACHE_FILE).is_file()
    for loaded in (first, cached):
        assert loaded.root == validated.root
        assert [f.id for f in loaded.frameworks()] == [f.id for f in validated.frameworks()]
        assert [s.id for s in loaded.schemes()] == [s.id for s in validated.schemes()]
        _same(loaded.frameworks(), validated.frameworks())
        _same(loaded.schemes(), validated.schemes())
        for ours, theirs in zip(loaded.frameworks(), validated.frameworks(), strict=True):
            assert ours.model_dump() == theirs.model_dump()
            assert ours.subcategory_ids() == theirs.subcategory_ids()
    # The cached models behave as validated ones: lookups, validation of copies, scoring data.
    fw = cached.framework("nist-ai-rmf-1.0")
    assert fw.resolve_subcategory_id("GV-1.1") == "GOVERN 1.1"
    assert (
        fw.subcategory("GOVERN 1.1").text
        == validated.framework(fw.id).subcategory("GOVERN 1.1").text
    )
    assert cached.scheme("rubric").model_dump() == validated.scheme("rubric").model_dump()


def test_an_edited_file_is_validated_again_and_the_cache_follows(
    tree: Path, tmp_path: Path, validations: list[Path]
) -> None:
    folder = tmp_path / "cache"
    Catalog.load(tree, cache_dir=folder)
    path = tree / "schemes" / "direct.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["name"] = data["name"] + " (edited)"
    path.write_text(json.dumps(data), encoding="utf-8")
    edited = Catalog.load(tree, cache_dir=folder)
    assert edited.scheme("direct").name.endswith(" (edited)")
    again = Catalog.load(tree, cache_dir=folder)
    assert again.scheme("direct").name.endswith(" (edited)")
    assert validations == [tree, tree]  # the third load used the rewritten cache


def test_a_file_broken_after_caching_is_still_refused(tree: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    Catalog.load(tree, cache_dir=folder)
    (tree / "schemes" / "rubric.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        Catalog.load(tree, cache_dir=folder)
    assert "rubric.json" in str(info.value)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: raw[:-40] + b"\x00" * 40, id="zeroed-tail"),
        pytest.param(lambda raw: raw.split(b"\n", 1)[0] + b"\nnot a pickle", id="garbage"),
        pytest.param(lambda raw: b"x" + raw, id="header-changed"),
    ],
)
def test_a_damaged_cache_is_ignored_and_rewritten(
    tmp_path: Path, validations: list[Path], damage: Any
) -> None:
    folder = tmp_path / "cache"
    Catalog.load(cache_dir=folder)
    file = folder / cache.CACHE_FILE
    good = file.read_bytes()
    file.write_bytes(damage(good))
    loaded = Catalog.load(cache_dir=folder)
    assert loaded.framework("nist-ai-rmf-1.0").resolve_subcategory_id("GV-1.1") == "GOVERN 1.1"
    assert len(validations) == 2
    assert file.read_bytes() == good  # rewritten whole


class _Planted:
    """Unpickling this would run ``os.system``: the cache must refuse it, not run it."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, ("touch planted-marker",))


def test_a_planted_pickle_is_refused_without_running_anything(
    tmp_path: Path, validations: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "cache"
    Catalog.load(cache_dir=folder)
    file = folder / cache.CACHE_FILE
    header = file.read_bytes().split(b"\n", 1)[0] + b"\n"  # the right key, a foreign body
    file.write_bytes(header + pickle.dumps(_Planted()))
    Catalog.load(cache_dir=folder)
    assert not (tmp_path / "planted-marker").exists()
    assert len(validations) == 2


def test_a_well_formed_pickle_of_other_things_is_refused(
    tmp_path: Path, validations: list[Path]
) -> None:
    folder = tmp_path / "cache"
    Catalog.load(cache_dir=folder)
    file = folder / cache.CACHE_FILE
    header = file.read_bytes().split(b"\n", 1)[0] + b"\n"
    file.write_bytes(header + pickle.dumps(({"nist-ai-rmf-1.0": "text"}, {})))
    assert Catalog.load(cache_dir=folder).framework("nist-ai-rmf-1.0").id == "nist-ai-rmf-1.0"
    assert len(validations) == 2


def test_an_unwritable_cache_folder_costs_nothing_but_speed(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    loaded = Catalog.load(cache_dir=blocker)
    assert loaded.framework("nist-ai-rmf-1.0").id == "nist-ai-rmf-1.0"
    assert blocker.read_text(encoding="utf-8") == "a file where the folder should be"
    assert not cache.write(blocker, "k", {}, {})


def test_the_key_covers_every_file_and_its_place(tree: Path) -> None:
    key = cache.source_key(tree)
    assert key is not None and key == cache.source_key(tree)
    readme = tree / "README.md"
    readme.write_bytes(readme.read_bytes() + b" ")
    changed = cache.source_key(tree)
    assert changed != key
    (tree / "schemes" / "rubric.json").rename(tree / "schemes" / "rubric2.json")
    assert cache.source_key(tree) not in (key, changed)


def test_no_temp_files_are_left_behind(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    Catalog.load(cache_dir=folder)
    Catalog.load(cache_dir=folder)
    assert sorted(p.name for p in folder.iterdir()) == [cache.CACHE_FILE]


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled at once (a test's copy is seconds old), so that the metadata key
    is recorded."""
    monkeypatch.setattr(cache, "_SETTLED_SECONDS", -60.0)


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The roots whose files were read and hashed (source_key), in order."""
    seen: list[Path] = []
    original = cache.source_key

    def counting(root: Path) -> str | None:
        seen.append(root)
        return original(root)

    monkeypatch.setattr(cache, "source_key", counting)
    return seen


def _stat_in_header(folder: Path) -> bytes:
    return (folder / cache.CACHE_FILE).read_bytes().split(b"\n", 1)[0].split(b" ")[3]


def test_unchanged_files_are_not_read_again(
    tree: Path, tmp_path: Path, settled: None, hashed: list[Path], validations: list[Path]
) -> None:
    """Matching metadata (paths, sizes, times, inodes) spares reading and hashing the files."""
    folder = tmp_path / "cache"
    Catalog.load(tree, cache_dir=folder)
    assert _stat_in_header(folder) == cache.stat_key(tree).encode()  # type: ignore[union-attr]
    hashed.clear()
    again = Catalog.load(tree, cache_dir=folder)
    assert hashed == [] and validations == [tree]
    assert again.framework("nist-ai-rmf-1.0").resolve_subcategory_id("GV-1.1") == "GOVERN 1.1"


def test_a_same_size_edit_with_its_old_time_restored_is_seen(
    tree: Path, tmp_path: Path, settled: None, validations: list[Path]
) -> None:
    """The change time moves with any write, whatever the modification time is set back to."""
    folder = tmp_path / "cache"
    Catalog.load(tree, cache_dir=folder)
    path = tree / "schemes" / "direct.json"
    before = path.stat()
    raw = path.read_bytes()
    name = json.loads(raw)["name"]
    renamed = name[:-1] + ("X" if name[-1] != "X" else "Y")
    edited = raw.replace(json.dumps(name).encode(), json.dumps(renamed).encode(), 1)
    assert edited != raw and len(edited) == len(raw)
    path.write_bytes(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    loaded = Catalog.load(tree, cache_dir=folder)
    assert loaded.scheme("direct").name == renamed
    assert validations == [tree, tree]


def test_new_metadata_of_the_same_files_is_recorded_without_validating(
    tree: Path, tmp_path: Path, settled: None, hashed: list[Path], validations: list[Path]
) -> None:
    folder = tmp_path / "cache"
    Catalog.load(tree, cache_dir=folder)
    first = _stat_in_header(folder)
    readme = tree / "README.md"
    readme.write_bytes(readme.read_bytes())  # same bytes, new times
    hashed.clear()
    Catalog.load(tree, cache_dir=folder)
    assert validations == [tree] and hashed == [tree]  # hashed, matched, not validated
    assert _stat_in_header(folder) not in (first, b"-")
    hashed.clear()
    Catalog.load(tree, cache_dir=folder)
    assert hashed == []


def test_files_changed_moments_ago_record_no_metadata_key(
    tree: Path, tmp_path: Path, hashed: list[Path], validations: list[Path]
) -> None:
    """A file written within the file system's clock tick of the cache could change again
    unseen: its metadata is not trusted until it has settled; the content key decides."""
    folder = tmp_path / "cache"
    (tree / "README.md").write_text("just written", encoding="utf-8")
    assert cache.stat_key(tree) is None
    Catalog.load(tree, cache_dir=folder)
    assert _stat_in_header(folder) == b"-"
    hashed.clear()
    Catalog.load(tree, cache_dir=folder)
    assert hashed == [tree] and validations == [tree]


def _strip_guidance(framework: Any) -> Any:
    """What an outline must be, built by hand: every subcategory's guidance removed, no
    profiles, everything else (ids, titles, verbatim texts, order) as in the framework."""
    data = framework.model_dump()
    for function in data["functions"]:
        for category in function["categories"]:
            for sub in category["subcategories"]:
                sub["guidance"] = None
    data["profiles"] = ()
    return data


def test_the_outline_is_the_framework_without_guidance_and_profiles(
    tmp_path: Path, validations: list[Path]
) -> None:
    validated = Catalog.load()
    Catalog.load(cache_dir=tmp_path / "cache")
    cached = Catalog.load(cache_dir=tmp_path / "cache")
    for catalog in (validated, cached):
        whole = validated.framework("nist-ai-rmf-1.0")
        outline = catalog.outline("nist-ai-rmf-1.0")
        assert outline.model_dump() == _strip_guidance(whole)
        assert (
            outline.subcategory_ids() == whole.subcategory_ids()
            and len(whole.subcategory_ids()) == 72
        )
        assert outline.resolve_subcategory_id("ms-2.11") == "MEASURE 2.11"
        assert all(s.guidance is None for s in outline.subcategories())
        assert whole.subcategory("GOVERN 1.1").guidance is not None  # the whole one keeps it
    with pytest.raises(CatalogError, match="unknown framework 'nope'"):
        cached.outline("nope")


def test_an_outline_is_read_without_unpickling_the_whole_frameworks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    Catalog.load(cache_dir=folder)
    unpickled: list[bool] = []
    original = cache.Cached.frameworks

    def counting(self: cache.Cached) -> Any:
        unpickled.append(True)
        return original(self)

    monkeypatch.setattr(cache.Cached, "frameworks", counting)
    catalog = Catalog.load(cache_dir=folder)
    catalog.outline("nist-ai-rmf-1.0")
    catalog.scheme("rubric")
    assert unpickled == []
    assert catalog.framework("nist-ai-rmf-1.0").subcategory("GOVERN 1.1").guidance is not None
    catalog.frameworks()
    assert unpickled == [True]  # once, on first use


def test_damage_inside_the_whole_frameworks_is_seen_on_use_and_rewritten(
    tmp_path: Path, validations: list[Path]
) -> None:
    """The outlines unpickle, but the whole frameworks' pickle does not match its SHA-256: they
    are validated from the files when first used, and the cache is rewritten whole."""
    folder = tmp_path / "cache"
    Catalog.load(cache_dir=folder)
    file = folder / cache.CACHE_FILE
    good = file.read_bytes()
    header, payload = good.split(b"\n", 1)
    whole = pickle.loads(payload)[2]
    at = good.index(whole) + len(whole) // 2
    file.write_bytes(good[:at] + bytes([good[at] ^ 0x01]) + good[at + 1 :])
    loaded = Catalog.load(cache_dir=folder)
    assert loaded.outline("nist-ai-rmf-1.0").resolve_subcategory_id("GV-1.1") == "GOVERN 1.1"
    assert len(validations) == 1  # the outline was readable
    fw = loaded.framework("nist-ai-rmf-1.0")
    assert fw.subcategory("GOVERN 1.1").guidance is not None
    assert len(validations) == 2
    assert file.read_bytes().split(b"\n", 1)[1] == payload  # rewritten whole
