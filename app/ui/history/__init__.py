"""Change history of an assessment's answers, with a check of its tamper-evident hash chain."""
