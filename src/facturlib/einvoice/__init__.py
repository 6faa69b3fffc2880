"""Electronic invoices: Factur-X (UN/CEFACT CII D22B in PDF/A-3) and UBL 2.1 for the
French e-invoicing reform (CGI art. 289 bis), and their pre-flight checks.

Reserved: filled by the e-invoicing issues.
"""
