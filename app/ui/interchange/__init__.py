"""Interchange in the window: the export menu entries and the workbook import preview."""
