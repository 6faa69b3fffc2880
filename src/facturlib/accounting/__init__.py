"""Accounting: the chart of accounts, journal entries built from documents and
payments, the ledger (trial balance, lettering), deferred revenue (PCA/FAE) and the
FEC export (LPF A47 A-1).

Imports the billing packages below it (`core`, `recurring`, `projects`,
`receivables`), never the renderers.
"""
