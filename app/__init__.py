"""AI RMF Assessor: assess an AI system against the NIST AI RMF 1.0."""

__version__ = "0.1.0"
