"""Use cases over the catalog and the store: the only way the CLI and the GUI reach data."""
