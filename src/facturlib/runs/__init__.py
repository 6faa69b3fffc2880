"""Bill runs: what is due through a date, drafted, grouped, issued and booked.

See `facturlib.runs.billing` and docs/bill-runs.md.
"""
