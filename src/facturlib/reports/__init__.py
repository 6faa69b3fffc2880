"""Reports for analysts: MRR/ARR, revenue, forecasts, receivables, VAT, as tables.

Pure functions from subscriptions, documents, settlements and journal entries to
immutable `facturlib.reports.table.Table`\\s (records, pandas, polars, HTML), and
charts of them (`facturlib.reports.plots`, optional matplotlib). Imports every
package below it; nothing imports it but `runs/`.
"""
