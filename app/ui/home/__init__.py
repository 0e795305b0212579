"""The home page: the list of assessments, its actions and the first-start empty state."""
