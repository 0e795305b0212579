"""The main window's parts: its menus, its view navigation and its start-up sequence."""
