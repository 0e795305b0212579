"""Build the service context for an entry point: resolve paths, load the catalog, open the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.catalog.loader import Catalog, CatalogError
from app.config.paths import DataLocation, default_cache_dir, resolve
from app.persistence.database import open_database
from app.persistence.errors import DatabaseError
from app.services.context import ServiceContext
from app.services.errors import ServiceError, StorageError


def open_services(
    db: str | None = None, catalog: Catalog | None = None, *, defer_catalog: bool = False
) -> ServiceContext:
    """Open the database named by ``db`` / AIRMF_DB / the default, migrating it if needed.

    ``defer_catalog``: load the catalog when a service first uses it, not now (the command
    line: ``assessment list`` with its scores cached uses none). A broken framework file then
    raises the same ServiceError at that first use.

    Raises StorageError (database problems) or ServiceError (broken framework files), each with
    a message naming the file and the problem.
    """
    location: DataLocation = resolve(db)
    if catalog is None and defer_catalog:
        catalog = _DeferredCatalog(default_cache_dir())
    try:
        catalog = catalog or Catalog.load(cache_dir=default_cache_dir())
    except CatalogError as exc:
        raise ServiceError(str(exc)) from exc
    try:
        database = open_database(location.url, sqlite_path=location.sqlite_path)
    except DatabaseError as exc:
        raise StorageError(str(exc)) from exc
    ctx = ServiceContext(db=database, catalog=catalog, location=location)
    if location.sqlite_path is None:
        try:
            login = ctx.store.server_login()
        except DatabaseError as exc:
            database.dispose()
            raise StorageError(str(exc)) from exc
        if login:
            ctx.actor, ctx.actor_from_server = login, True
    return ctx


class _DeferredCatalog(Catalog):
    """The shipped catalog, loaded (``Catalog.load`` with the cache) when first used.

    Catalog's state is its attributes in ``_STATE``; this one sets none of them until one is
    first read (``__getattr__`` runs only for a missing attribute), then takes all of them
    from the loaded catalog. A catalog that cannot be loaded raises ServiceError, as
    ``open_services`` does, at every use.
    """

    _STATE = frozenset({"_root", "_full", "_load_full", "_outlines", "_schemes"})

    def __init__(self, cache_dir: Path) -> None:  # Catalog.__init__ runs on first use
        self._cache_dir = cache_dir

    def __getattr__(self, name: str) -> Any:
        if name not in self._STATE:
            raise AttributeError(name)
        try:
            loaded = Catalog.load(cache_dir=self._cache_dir)
        except CatalogError as exc:
            raise ServiceError(str(exc)) from exc
        self.__dict__.update({k: getattr(loaded, k) for k in self._STATE})
        return getattr(self, name)
