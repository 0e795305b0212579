"""Build the service context for an entry point: resolve paths, load the catalog, open the store."""

from __future__ import annotations

from app.catalog.loader import Catalog, CatalogError
from app.config.paths import DataLocation, default_cache_dir, resolve
from app.persistence.database import open_database
from app.persistence.errors import DatabaseError
from app.services.context import ServiceContext
from app.services.errors import ServiceError, StorageError


def open_services(db: str | None = None, catalog: Catalog | None = None) -> ServiceContext:
    """Open the database named by ``db`` / AIRMF_DB / the default, migrating it if needed.

    Raises StorageError (database problems) or ServiceError (broken framework files), each with
    a message naming the file and the problem.
    """
    location: DataLocation = resolve(db)
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
