"""Reports for analysts: MRR/ARR, revenue, forecasts, receivables, VAT, as tables.

Reserved: filled by the reports issue.
"""
