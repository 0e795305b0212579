"""Loads and validates the shipped frameworks, profiles and rating schemes into domain models."""

from app.catalog.errors import CatalogError
from app.catalog.loader import Catalog
from app.catalog.paths import frameworks_root, resources_root

__all__ = ["Catalog", "CatalogError", "frameworks_root", "resources_root"]
