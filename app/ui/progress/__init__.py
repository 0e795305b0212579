"""Progress over time: the portfolio of AI systems, one system's trend, and cycle comparison."""
