"""Benchmarks: each measures ours against a floor in the same run and reports median ratios."""
