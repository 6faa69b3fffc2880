"""Code lists used across facturlib (UNTDID 1001, UNECE Rec 20 subset)."""

from __future__ import annotations

import enum

__all__ = ["UNIT_CODES", "DocumentKind"]


class DocumentKind(enum.Enum):
    """What a document is (EN 16931 BT-3, UNTDID 1001), DOMAIN.md §1.2.

    ``PROFORMA`` is not an invoice: it never gets a number and has no VAT or
    accounting effect; its `code` is ``None``.

    >>> DocumentKind.CREDIT_NOTE.code
    '381'
    >>> DocumentKind.from_code("386")
    <DocumentKind.DEPOSIT: 'deposit'>
    """

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    DEPOSIT = "deposit"
    CORRECTIVE = "corrective"
    PROFORMA = "proforma"

    @property
    def code(self) -> str | None:
        """The UNTDID 1001 code (BT-3), or ``None`` for a proforma."""
        return _KIND_CODES[self]

    @property
    def is_numbered(self) -> bool:
        """Whether documents of this kind take a number from an invoice series."""
        return self is not DocumentKind.PROFORMA

    @classmethod
    def from_code(cls, code: str) -> DocumentKind:
        """The kind for a UNTDID 1001 code (380, 381, 384, 386)."""
        for kind, kind_code in _KIND_CODES.items():
            if kind_code == code:
                return kind
        from facturlib.core.errors import InvalidValue

        raise InvalidValue(
            "unsupported document type code",
            field="kind",
            value=code,
            hint="use 380 (invoice), 381 (credit note), 384 (corrective) or 386 (deposit)",
        )


_KIND_CODES: dict[DocumentKind, str | None] = {
    DocumentKind.INVOICE: "380",
    DocumentKind.CREDIT_NOTE: "381",
    DocumentKind.DEPOSIT: "386",
    DocumentKind.CORRECTIVE: "384",
    DocumentKind.PROFORMA: None,
}

#: Common UNECE Recommendation 20 unit codes (BT-130), DOMAIN.md §13.3.
UNIT_CODES: dict[str, str] = {
    "C62": "unit",
    "H87": "piece",
    "HUR": "hour",
    "DAY": "day",
    "WEE": "week",
    "MON": "month",
    "ANN": "year",
    "KGM": "kilogram",
    "MTR": "metre",
    "LTR": "litre",
    "MTK": "square metre",
    "KMT": "kilometre",
    "SET": "set",
    "LS": "lump sum",
}
