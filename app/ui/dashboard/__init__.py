"""Dashboard of one assessment: score cards, function chart, heat map and largest gaps."""
