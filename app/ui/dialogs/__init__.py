"""Dialogs and message boxes of the application."""
