"""The questionnaire page: navigator, subcategory editor, Playbook guidance, autosave and undo."""
