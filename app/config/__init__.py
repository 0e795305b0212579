"""Paths and settings: where the database, evidence store and backups live."""
