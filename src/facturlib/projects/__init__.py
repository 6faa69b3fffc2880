"""Project billing: milestone plans, deposits and final invoices, progress billing,
deals (quote → order → invoices) and pre-billing of engagements.

Imports only `facturlib.core`.
"""
