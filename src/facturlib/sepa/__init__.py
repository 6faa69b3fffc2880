"""SEPA direct debit (EPC SDD Core and B2B rulebooks): mandates, sequence types,
collection dates, batches, pre-flight checks, pain.008 files and rejects.

Modules, top to bottom: `pain008` (the writer) and `returns` (pain.002 rejects into
payment reversals) over `checks` (pre-flight) over `batch` (debits and messages)
over `mandates` and `calendar` over `creditor_id` and `charset`.
"""
