"""Electronic invoices: Factur-X (UN/CEFACT CII D22B in PDF/A-3) and UBL 2.1 for the
French e-invoicing reform (CGI art. 289 bis), and their pre-flight checks.

`check` lists, in pure Python, what would make the e-invoice of a document
invalid under EN 16931 and the French rules, each problem under its official rule
id; `check_invoice_number` checks an invoice number alone.
"""

from facturlib.einvoice.checks import check, check_invoice_number

__all__ = ["check", "check_invoice_number"]
