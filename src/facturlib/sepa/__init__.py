"""SEPA direct debit: mandates, sequence types and pain.008 files (EPC SDD rulebooks).

Reserved: filled by the SEPA issue.
"""
