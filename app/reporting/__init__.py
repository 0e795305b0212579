"""The PDF maturity report (ReportLab) and other exporters.

Importing this package is cheap; ReportLab is imported by ``app.reporting.renderer`` only, which
the report service loads when an export starts. Input: ``app.domain.report.MaturityReport``.
"""
