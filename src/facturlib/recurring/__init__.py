"""Recurring billing: proration of a price over part of a period, and subscriptions
whose schedules draft invoices period by period.

Imports only `facturlib.core`.
"""
