"""The document core: values (money, VAT rates, parties, periods, numbering), lines,
totals, documents (EN 16931), issuing, credit notes and the dict/JSON form.

Everything else in facturlib builds on this package; it imports nothing above it.
Use the names re-exported from `facturlib`; the module paths are for readers.
"""
