"""facturlib."""
