"""The PySide6 user interface: windows, views, Qt item models, controllers and workers."""
