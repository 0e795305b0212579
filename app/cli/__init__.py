"""The ``airmf`` command line over the services."""
