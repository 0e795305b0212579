"""Remediation actions in the window: the subcategory section, the dialog, the Actions view."""
