"""Dialogs of the shell: new assessment, rename, delete confirmation."""
