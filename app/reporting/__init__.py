"""The PDF maturity report (ReportLab) and other exporters."""
