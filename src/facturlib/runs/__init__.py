"""Bill runs: what is due through a date, drafted, grouped, issued and booked.

Reserved: filled by the bill-run issues.
"""
