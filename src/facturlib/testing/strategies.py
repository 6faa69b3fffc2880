"""Hypothesis strategies for facturlib values (filled in below)."""


def _hypothesis_setup_hook() -> None:
    """Register facturlib types with hypothesis ``st.from_type`` (entry point)."""
