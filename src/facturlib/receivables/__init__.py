"""Getting paid: payment terms and due schedules, payments and their allocation,
late-payment penalties, and dunning.

Imports only `facturlib.core`.
"""
