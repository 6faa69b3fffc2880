"""Payment means: how the buyer is asked to pay an invoice (EN 16931 BG-16).

A `PaymentMeans` is a UNTDID 4461 code (BT-81) with what that means needs:

* a credit transfer — ``58`` SEPA, ``30`` other (BG-17) — needs the account to pay
  to, an IBAN (BT-84; EN 16931 BR-50, BR-61), and may give the BIC (BT-86) and
  the account name (BT-85);
* a SEPA direct debit ``59`` (BG-19) needs the mandate reference (RUM, BT-89) and
  the creditor identifier (ICS, BT-90), and may give the debited IBAN (BT-91);
* a card payment ``48`` (BG-18) may give the card's last digits (BT-87, never the
  whole number) and the holder's name (BT-88);
* cash ``10``, cheque ``20`` and the other codes need nothing more.

Any means may carry a text (BT-82) and the remittance information the buyer is
asked to quote (BT-83). IBANs and BICs are checked with schwifty and the creditor
identifier with python-stdnum, as for `facturlib.core.parties.Party`.

An invoice lists its means in ``Invoice.payment_means``; `payment_means_of` gives
the means an e-invoice states: those, else a SEPA credit transfer to the seller's
IBAN when the seller has one.

>>> PaymentMeans.credit_transfer("FR76 3000 6000 0112 3456 7890 189", bic="AGRIFRPP")
PaymentMeans(code='58', iban='FR7630006000011234567890189', bic='AGRIFRPP', ...)
>>> PaymentMeans.direct_debit("RUM-2025-000042", "FR72ZZZ123456").code
'59'
>>> PaymentMeans(code="30")
Traceback (most recent call last):
...
facturlib.core.errors.PaymentError: a credit transfer needs the IBAN to pay to (iban=None); ...
"""

from __future__ import annotations

from typing import Any, Protocol

import attrs

from facturlib.core._codes import PAYMENT_MEANS_CODES
from facturlib.core._validators import is_optional_text, optional_text
from facturlib.core.errors import InvalidIdentifier, InvalidValue, PaymentError
from facturlib.core.parties import (
    Party,
    _check_bic,
    _check_creditor_id,
    _check_iban,
)

__all__ = ["PaymentMeans", "payment_means_of"]

#: Codes whose means is a credit transfer to an account (BR-61: 30 and 58).
_CREDIT_TRANSFER = frozenset({"30", "58"})
#: Direct debit codes (BG-19).
_DIRECT_DEBIT = frozenset({"49", "59"})
#: Payment card codes (BG-18): bank card, credit card, debit card.
_CARD = frozenset({"48", "54", "55"})

_NAMES: dict[str, str] = {
    "1": "Instrument not defined",
    "10": "In cash",
    "20": "Cheque",
    "30": "Credit transfer",
    "31": "Debit transfer",
    "42": "Payment to bank account",
    "48": "Bank card",
    "49": "Direct debit",
    "54": "Credit card",
    "55": "Debit card",
    "57": "Standing agreement",
    "58": "SEPA credit transfer",
    "59": "SEPA direct debit",
    "97": "Clearing between partners",
    "ZZZ": "Mutually defined",
}


def _to_code(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or value.strip().upper() not in PAYMENT_MEANS_CODES:
        raise PaymentError(
            "not a UNTDID 4461 payment means code",
            field="code",
            value=value,
            hint=(
                'use e.g. "58" (SEPA credit transfer), "30" (credit transfer), "59" (SEPA '
                'direct debit), "48" (card), "10" (cash), "20" (cheque), "ZZZ" (BR-CL-16)'
            ),
        )
    return value.strip().upper()


def _debtor_iban(value: object) -> str | None:
    """`Party`'s IBAN check, with errors naming ``debtor_iban``."""
    try:
        return _check_iban(value)
    except InvalidIdentifier as exc:
        raise InvalidIdentifier(
            exc.message, field="debtor_iban", value=value, hint=exc.hint
        ) from None


def _card_pan(value: object) -> str | None:
    text = optional_text(value)  # type: ignore[arg-type]
    if text is None:
        return None
    compact = text.replace(" ", "") if isinstance(text, str) else text
    if not isinstance(compact, str) or not compact.isdigit() or not 1 <= len(compact) <= 10:
        raise PaymentError(
            "give only the last digits of the card number",
            field="card_pan",
            value=value,
            hint="BT-87 holds the last 4 to 6 digits, never the whole card number (BR-51)",
        )
    return compact


def _text() -> Any:
    return attrs.field(default=None, converter=optional_text, validator=is_optional_text)


@attrs.frozen(kw_only=True)
class PaymentMeans:
    """One way the buyer may pay (EN 16931 BG-16).

    Attributes:
        code: UNTDID 4461 code (BT-81), e.g. ``"58"``; an int is converted.
        iban: the account to pay to (BT-84), for a credit transfer.
        bic: the bank of that account (BT-86).
        account_name: the name of that account (BT-85).
        mandate: the SEPA mandate reference, RUM (BT-89), for a direct debit.
        creditor_id: the SEPA creditor identifier, ICS (BT-90).
        debtor_iban: the account debited (BT-91).
        card_pan: the last digits of the card (BT-87), at most 10 digits.
        card_holder: the card holder's name (BT-88).
        text: the means as text (BT-82), e.g. ``"Virement"``.
        remittance: what the buyer quotes with the payment (BT-83).

    Raises:
        PaymentError: an unknown code, a means without what it needs (a credit
            transfer without IBAN, BR-61; a direct debit without mandate or creditor
            id), or a field another means holds.
        InvalidIdentifier: an IBAN, BIC or creditor id that fails its check.

    .. versionadded:: 0.2
    """

    code: str = attrs.field(converter=_to_code)
    iban: str | None = attrs.field(default=None, converter=_check_iban)
    bic: str | None = attrs.field(default=None, converter=_check_bic)
    account_name: str | None = _text()
    mandate: str | None = _text()
    creditor_id: str | None = attrs.field(default=None, converter=_check_creditor_id)
    debtor_iban: str | None = attrs.field(default=None, converter=_debtor_iban)
    card_pan: str | None = attrs.field(default=None, converter=_card_pan)
    card_holder: str | None = _text()
    text: str | None = _text()
    remittance: str | None = _text()

    def __attrs_post_init__(self) -> None:
        code = self.code
        if code in _CREDIT_TRANSFER and self.iban is None:
            raise PaymentError(
                "a credit transfer needs the IBAN to pay to",
                field="iban",
                value=None,
                hint="give iban= (BT-84, EN 16931 BR-50 and BR-61)",
            )
        if code == "59":
            for field in ("mandate", "creditor_id"):
                if getattr(self, field) is None:
                    raise PaymentError(
                        f"a SEPA direct debit needs its {field.replace('_', ' ')}",
                        field=field,
                        value=None,
                        hint="give the mandate reference (RUM, BT-89) and the creditor "
                        "identifier (ICS, BT-90)",
                    )
        if code not in _DIRECT_DEBIT:
            for field in ("mandate", "creditor_id", "debtor_iban"):
                if getattr(self, field) is not None:
                    raise PaymentError(
                        f"{field} belongs to a direct debit",
                        field=field,
                        value=getattr(self, field),
                        hint='use code "59" (SEPA direct debit) or drop it',
                    )
        if code not in _CARD:
            for field in ("card_pan", "card_holder"):
                if getattr(self, field) is not None:
                    raise PaymentError(
                        f"{field} belongs to a card payment",
                        field=field,
                        value=getattr(self, field),
                        hint='use code "48" (bank card) or drop it',
                    )
        if code in ("10", "20") and (self.iban or self.bic or self.account_name):
            raise PaymentError(
                "cash and cheque payments have no account to pay to",
                field="iban",
                value=self.iban,
                hint="use PaymentMeans.credit_transfer() for a transfer, or drop the account",
            )

    # Named constructors ------------------------------------------------------------

    @classmethod
    def credit_transfer(
        cls,
        iban: str,
        bic: str | None = None,
        account_name: str | None = None,
        *,
        sepa: bool = True,
        remittance: str | None = None,
    ) -> PaymentMeans:
        """A credit transfer to *iban*: SEPA (``58``) by default, else ``30``.

        .. versionadded:: 0.2
        """
        return cls(
            code="58" if sepa else "30",
            iban=iban,
            bic=bic,
            account_name=account_name,
            remittance=remittance,
        )

    @classmethod
    def direct_debit(
        cls, mandate: str, creditor_id: str, debtor_iban: str | None = None
    ) -> PaymentMeans:
        """A SEPA direct debit (``59``) under *mandate* (RUM) for *creditor_id* (ICS).

        .. versionadded:: 0.2
        """
        return cls(code="59", mandate=mandate, creditor_id=creditor_id, debtor_iban=debtor_iban)

    @classmethod
    def card(cls, pan: str | None = None, holder: str | None = None) -> PaymentMeans:
        """A bank card payment (``48``), with the card's last digits and holder.

        .. versionadded:: 0.2
        """
        return cls(code="48", card_pan=pan, card_holder=holder)

    @classmethod
    def cash(cls) -> PaymentMeans:
        """Cash (``10``): the only means under which cash rounding (BT-114) applies.

        .. versionadded:: 0.2
        """
        return cls(code="10")

    @classmethod
    def cheque(cls) -> PaymentMeans:
        """A cheque (``20``).

        .. versionadded:: 0.2
        """
        return cls(code="20")

    # Reading ------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The code's UNTDID 4461 name, e.g. ``"SEPA credit transfer"``.

        .. versionadded:: 0.2
        """
        return _NAMES.get(self.code, f"Payment means {self.code}")

    @property
    def is_cash(self) -> bool:
        """Whether the means is cash (``10``)."""
        return self.code == "10"

    @property
    def is_credit_transfer(self) -> bool:
        """Whether the means is a credit transfer (``30``, ``58``)."""
        return self.code in _CREDIT_TRANSFER

    @property
    def is_direct_debit(self) -> bool:
        """Whether the means is a direct debit (``49``, ``59``)."""
        return self.code in _DIRECT_DEBIT

    @property
    def is_card(self) -> bool:
        """Whether the means is a card payment (``48``, ``54``, ``55``)."""
        return self.code in _CARD


class _Payable(Protocol):
    """What `payment_means_of` reads of a document."""

    @property
    def seller(self) -> Party: ...

    @property
    def payment_means(self) -> tuple[PaymentMeans, ...]: ...


def payment_means_of(document: _Payable) -> tuple[PaymentMeans, ...]:
    """The payment means an e-invoice states for *document* (BG-16).

    The document's own ``payment_means``; else a SEPA credit transfer to the
    seller's IBAN (with its BIC) when the seller has one; else none.

    >>> from facturlib.testing.builders import sample_invoice
    >>> [m.code for m in payment_means_of(sample_invoice())]
    ['58']
    >>> import attrs
    >>> means = (PaymentMeans.cheque(),)
    >>> payment_means_of(attrs.evolve(sample_invoice(), payment_means=means)) == means
    True

    .. versionadded:: 0.2
    """
    seller = getattr(document, "seller", None)
    own = getattr(document, "payment_means", None)
    if not isinstance(seller, Party) or not isinstance(own, tuple):
        raise InvalidValue(
            f"expected a document, got {type(document).__name__}",
            field="document",
            value=document,
            hint="pass a facturlib.Invoice",
        )
    if own:
        return tuple(own)
    if seller.iban is not None:
        return (PaymentMeans.credit_transfer(seller.iban, seller.bic),)
    return ()
