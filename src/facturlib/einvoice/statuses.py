"""Lifecycle statuses of e-invoices (French reform, XP Z12-012 "CDV" / CDAR D22B messages).

Since 1 September 2026 an e-invoice exchanged through the accredited platforms
carries lifecycle statuses (CDAR ``ProcessConditionCode``, MDT-105), from its
deposit to its payment. `LifecycleStatus` lists them with their codes; a
`StatusEvent` is one status received or sent for one invoice; `fold_statuses`
folds an invoice's history into its current `LifecycleState`, refusing a
transition that cannot happen (a refused invoice approved, a cancelled one paid…).
The rules follow the FNFE-MPE CDAR schematron V1.4.0 (BR-FR-CDV-*):

* a reason code (MDT-113, closed list BR-FR-CDV-CL-09) is required for 206
  Approuvée partiellement, 207 En litige, 208 Suspendue, 210 Refusée and 213 Rejetée
  (BR-FR-CDV-15);
* 212 Encaissée carries, per VAT rate, the amount received (characteristic ``MEN``,
  MDT-215 amount and MDT-224 rate, BR-FR-CDV-14). It is due when the VAT on the
  invoice is chargeable on receipt (services without the option for the debits,
  CGI 269-2-c); `encashment_events` makes it from the payments allocated to the
  invoice.

What a refusal means for the receivables side: `dunning_exclusions` turns the
invoices whose current state is refused, rejected, disputed or suspended into
`facturlib.receivables.dunning.DunningExclusion`\\s, so `dunning_run` stops
chasing them until they are replaced or credited.

>>> from datetime import date
>>> events = [
...     StatusEvent(invoice_number="F-1", status="200", on=date(2026, 9, 15)),
...     StatusEvent(invoice_number="F-1", status="203", on=date(2026, 9, 16)),
...     StatusEvent(invoice_number="F-1", status="210", on=date(2026, 9, 20),
...                 reason_code="QTE_ERR", reason="Quantité livrée : 8"),
... ]
>>> state = fold_statuses(events)
>>> state.status, state.status.label, state.blocks_dunning
(<LifecycleStatus.REFUSEE: '210'>, 'Refusée', True)
>>> fold_statuses([*events, StatusEvent(invoice_number="F-1", status="205", on=date(2026, 9, 21))])
Traceback (most recent call last):
...
facturlib.core.errors.LifecycleError: invoice F-1 cannot go from 210 Refusée to 205 Approuvée ...
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs
from moneyed import Money

from facturlib.core._validators import (
    as_tuple,
    instance_of,
    is_date,
    is_optional_text,
    is_text,
    items_of,
    optional_text,
    to_text,
    tuple_of,
)
from facturlib.core.documents import Invoice
from facturlib.core.errors import InvalidValue, LifecycleError
from facturlib.core.lines import SupplyKind
from facturlib.core.money import allocate, minor_units
from facturlib.receivables.dunning import DunningExclusion
from facturlib.receivables.payments import PaymentAllocation

__all__ = [
    "REASON_CODES",
    "TRANSITIONS",
    "EncashedAmount",
    "LifecycleState",
    "LifecycleStatus",
    "StatusEvent",
    "dunning_exclusions",
    "encashment_events",
    "fold_statuses",
    "vat_due_on_receipt",
]


class LifecycleStatus(enum.Enum):
    """The lifecycle statuses of an e-invoice (CDAR MDT-105, XP Z12-012 V1.4).

    The value is the CDAR code.

    .. versionadded:: 0.2
    """

    DEPOSEE = "200"  #: deposited on the issuer's platform
    EMISE = "201"  #: issued by the platform
    RECUE = "202"  #: received by the recipient's platform
    MISE_A_DISPOSITION = "203"  #: made available to the buyer
    PRISE_EN_CHARGE = "204"  #: taken in hand by the buyer
    APPROUVEE = "205"  #: approved
    APPROUVEE_PARTIELLEMENT = "206"  #: partially approved (reason required)
    EN_LITIGE = "207"  #: disputed (reason required)
    SUSPENDUE = "208"  #: suspended, waiting for information (reason required)
    COMPLETEE = "209"  #: completed: the information asked was given
    REFUSEE = "210"  #: refused by the buyer (reason required)
    PAIEMENT_TRANSMIS = "211"  #: payment sent by the buyer
    ENCAISSEE = "212"  #: payment received by the seller (amounts per VAT rate)
    REJETEE = "213"  #: rejected by a platform: not a valid invoice (reason required)
    VISEE = "214"  #: endorsed (visa) by the buyer's validating party
    ANNULEE = "220"  #: cancelled by the issuer

    @property
    def label(self) -> str:
        """The French name used by the specifications (``"Refusée"``)."""
        return _LABELS[self]

    @property
    def needs_reason(self) -> bool:
        """Whether a reason code is required (BR-FR-CDV-15)."""
        return self in _NEEDS_REASON

    @property
    def is_final(self) -> bool:
        """Whether no other status can follow (212 Encaissée may repeat for part payments)."""
        return self in _FINAL


S = LifecycleStatus

_LABELS = {
    S.DEPOSEE: "Déposée",
    S.EMISE: "Émise",
    S.RECUE: "Reçue",
    S.MISE_A_DISPOSITION: "Mise à disposition",
    S.PRISE_EN_CHARGE: "Prise en charge",
    S.APPROUVEE: "Approuvée",
    S.APPROUVEE_PARTIELLEMENT: "Approuvée partiellement",
    S.EN_LITIGE: "En litige",
    S.SUSPENDUE: "Suspendue",
    S.COMPLETEE: "Complétée",
    S.REFUSEE: "Refusée",
    S.PAIEMENT_TRANSMIS: "Paiement transmis",
    S.ENCAISSEE: "Encaissée",
    S.REJETEE: "Rejetée",
    S.VISEE: "Visée",
    S.ANNULEE: "Annulée",
}
_NEEDS_REASON = frozenset(
    {S.APPROUVEE_PARTIELLEMENT, S.EN_LITIGE, S.SUSPENDUE, S.REFUSEE, S.REJETEE}
)
_FINAL = frozenset({S.REFUSEE, S.REJETEE, S.ANNULEE})

#: The buyer's decisions, possible once the invoice is available to it.
_DECISIONS = frozenset(
    {
        S.PRISE_EN_CHARGE,
        S.APPROUVEE,
        S.APPROUVEE_PARTIELLEMENT,
        S.EN_LITIGE,
        S.SUSPENDUE,
        S.REFUSEE,
        S.VISEE,
        S.PAIEMENT_TRANSMIS,
        S.ENCAISSEE,
        S.ANNULEE,
    }
)

#: What may follow each status (``None``: the first status of a history).
TRANSITIONS: dict[LifecycleStatus | None, frozenset[LifecycleStatus]] = {
    None: frozenset({S.DEPOSEE, S.EMISE, S.RECUE, S.MISE_A_DISPOSITION, S.REJETEE}),
    S.DEPOSEE: frozenset({S.EMISE, S.RECUE, S.MISE_A_DISPOSITION, S.REJETEE, S.ANNULEE}),
    S.EMISE: frozenset({S.RECUE, S.MISE_A_DISPOSITION, S.REJETEE, S.ANNULEE}),
    S.RECUE: frozenset({S.MISE_A_DISPOSITION, S.REJETEE, S.ANNULEE}),
    S.MISE_A_DISPOSITION: _DECISIONS,
    S.PRISE_EN_CHARGE: _DECISIONS - {S.PRISE_EN_CHARGE},
    S.APPROUVEE: frozenset({S.EN_LITIGE, S.VISEE, S.PAIEMENT_TRANSMIS, S.ENCAISSEE, S.ANNULEE}),
    S.APPROUVEE_PARTIELLEMENT: frozenset(
        {S.APPROUVEE, S.EN_LITIGE, S.PAIEMENT_TRANSMIS, S.ENCAISSEE, S.ANNULEE}
    ),
    S.EN_LITIGE: frozenset(
        {
            S.APPROUVEE,
            S.APPROUVEE_PARTIELLEMENT,
            S.SUSPENDUE,
            S.REFUSEE,
            S.PAIEMENT_TRANSMIS,
            S.ENCAISSEE,
            S.ANNULEE,
        }
    ),
    S.SUSPENDUE: frozenset({S.COMPLETEE, S.REFUSEE, S.ANNULEE}),
    S.COMPLETEE: _DECISIONS - {S.COMPLETEE},
    S.VISEE: frozenset(
        {
            S.APPROUVEE,
            S.APPROUVEE_PARTIELLEMENT,
            S.EN_LITIGE,
            S.SUSPENDUE,
            S.REFUSEE,
            S.PAIEMENT_TRANSMIS,
            S.ENCAISSEE,
        }
    ),
    S.PAIEMENT_TRANSMIS: frozenset({S.ENCAISSEE, S.EN_LITIGE}),
    S.ENCAISSEE: frozenset({S.ENCAISSEE}),
    S.REFUSEE: frozenset(),
    S.REJETEE: frozenset(),
    S.ANNULEE: frozenset(),
}

#: The closed list of status reason codes (MDT-113), FNFE-MPE CDAR schematron V1.4.0,
#: BR-FR-CDV-CL-09.
REASON_CODES = frozenset(
    [
        "RETRAIT_MAN_SERV",
        "ST_CT_NON_DECLAR",
        "SUPPR_COMP_AVOIR",
        "TRANSF_PMNT_REGIE",
        "CONTACT_ACHTR",
        "NON_TRANSMISE",
        "JUSTIF_ABS",
        "ROUTAGE_ERR",
        "AUTRE",
        "COORD_BANC_ERR",
        "TX_TVA_ERR",
        "MONTANTTOTAL_ERR",
        "CALCUL_ERR",
        "NON_CONFORME",
        "DOUBLON",
        "DEST_INC",
        "DEST_ERR",
        "TRANSAC_INC",
        "EMMET_INC",
        "CONTRAT_TERM",
        "DOUBLE_FACT",
        "CMD_ERR",
        "ADR_ERR",
        "SIRET_ERR",
        "CODE_ROUTAGE_ERR",
        "REF_CT_ABSENT",
        "REF_ERR",
        "PU_ERR",
        "REM_ERR",
        "QTE_ERR",
        "ART_ERR",
        "MODPAI_ERR",
        "QUALITE_ERR",
        "LIVR_INCOMP",
        "REJ_SEMAN",
        "REJ_UNI",
        "REJ_COH",
        "REJ_ADR",
        "REJ_CONT_B2G",
        "REJ_REF_PJ",
        "REJ_ASS_PJ",
        "IRR_VIDE_F",
        "IRR_TYPE_F",
        "IRR_SYNTAX",
        "IRR_TAILLE_PJ",
        "IRR_NOM_PJ",
        "IRR_VID_PJ",
        "IRR_EXT_DOC",
        "IRR_TAILLE_F",
        "IRR_ANTIVIRUS",
        "IRR_NOM_F",
    ]
)


def _to_status(value: object) -> LifecycleStatus:
    if isinstance(value, LifecycleStatus):
        return value
    try:
        return LifecycleStatus(str(value).strip())
    except ValueError:
        raise InvalidValue(
            "not a lifecycle status code",
            field="status",
            value=value,
            hint="use a CDAR code: " + ", ".join(f"{s.value} {s.label}" for s in LifecycleStatus),
        ) from None


def _to_percent(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InvalidValue(
            "a VAT rate is a Decimal, int or str",
            field="vat_percent",
            value=value,
            hint='e.g. vat_percent="20"',
        )
    try:
        result = Decimal(str(value).strip())
    except ArithmeticError:
        raise InvalidValue("not a VAT rate", field="vat_percent", value=value) from None
    if not result.is_finite() or not 0 <= result < 100:
        raise InvalidValue(
            "a VAT rate is a percentage from 0 to under 100", field="vat_percent", value=value
        )
    return result


@attrs.frozen(kw_only=True)
class EncashedAmount:
    """The amount received for one VAT rate, as a 212 Encaissée status carries it.

    Attributes:
        vat_percent: the VAT rate in percent (MDT-224).
        amount: the amount received for that rate, VAT included (MDT-215).
        vat: the VAT in that amount, which becomes chargeable on receipt.

    .. versionadded:: 0.2
    """

    vat_percent: Decimal = attrs.field(converter=_to_percent)
    amount: Money = attrs.field(validator=instance_of(Money))
    vat: Money = attrs.field(validator=instance_of(Money))


def _check_reason_code(instance: StatusEvent, attribute: Any, value: str | None) -> None:
    is_optional_text(instance, attribute, value)
    if value is not None and value not in REASON_CODES:
        raise InvalidValue(
            "not a status reason code of the French list (BR-FR-CDV-CL-09)",
            field="reason_code",
            value=value,
            hint="use e.g. QTE_ERR, PU_ERR, DOUBLON, NON_CONFORME, AUTRE",
        )


@attrs.frozen(kw_only=True)
class StatusEvent:
    """One lifecycle status of one invoice, received or sent.

    Attributes:
        invoice_number: the invoice it is about (BT-1).
        status: the `LifecycleStatus` (or its CDAR code as a str).
        on: the day of the status.
        reason_code: the reason (MDT-113), required for 206, 207, 208, 210 and 213.
        reason: free text explaining it.
        amounts: for 212 Encaissée, the amount received per VAT rate (required there).

    Raises:
        InvalidValue: an unknown status or reason code, a status that needs a reason
            without one, a 212 without amounts or amounts on another status.

    .. versionadded:: 0.2
    """

    invoice_number: str = attrs.field(converter=to_text, validator=is_text)
    status: LifecycleStatus = attrs.field(converter=_to_status)
    on: date = attrs.field(validator=is_date)
    reason_code: str | None = attrs.field(
        default=None, converter=optional_text, validator=_check_reason_code
    )
    reason: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    amounts: tuple[EncashedAmount, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(EncashedAmount)
    )

    def __attrs_post_init__(self) -> None:
        if self.status.needs_reason and self.reason_code is None:
            raise InvalidValue(
                f"status {self.status.value} {self.status.label} needs a reason code",
                field="reason_code",
                value=None,
                hint="give reason_code= from the French list, e.g. QTE_ERR (BR-FR-CDV-15)",
            )
        if self.status is S.ENCAISSEE and not self.amounts:
            raise InvalidValue(
                "status 212 Encaissée carries the amount received per VAT rate",
                field="amounts",
                value=(),
                hint="build it with encashment_events() from the payments (BR-FR-CDV-14)",
            )
        if self.status is not S.ENCAISSEE and self.amounts:
            raise InvalidValue(
                "only status 212 Encaissée carries amounts",
                field="amounts",
                value=self.amounts,
                hint="drop amounts= for this status",
            )


@attrs.frozen(kw_only=True)
class LifecycleState:
    """Where an invoice is in its life: the result of `fold_statuses`.

    Attributes:
        invoice_number: the invoice.
        status: its current status.
        since: the day of that status.
        history: every event, in order.
        encashed: the sum of the 212 Encaissée amounts, VAT included.

    .. versionadded:: 0.2
    """

    invoice_number: str = attrs.field(validator=is_text)
    status: LifecycleStatus = attrs.field(validator=instance_of(LifecycleStatus))
    since: date = attrs.field(validator=is_date)
    history: tuple[StatusEvent, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(StatusEvent)
    )
    encashed: Money | None = attrs.field(default=None, validator=instance_of(Money, optional=True))

    @property
    def blocks_dunning(self) -> bool:
        """Whether the invoice must not be chased: refused, rejected, disputed or suspended."""
        return self.status in (S.REFUSEE, S.REJETEE, S.EN_LITIGE, S.SUSPENDUE)

    @property
    def is_final(self) -> bool:
        """Whether the invoice's life is over (refused, rejected or cancelled)."""
        return self.status.is_final


def fold_statuses(events: Iterable[StatusEvent]) -> LifecycleState:
    """Fold the history of one invoice into its current state.

    Events are taken in the order given (statuses are messages: the order they
    arrived in); a date earlier than the previous event's is refused.

    Args:
        events: the `StatusEvent`\\s of one invoice, oldest first.

    Returns:
        The `LifecycleState`.

    Raises:
        InvalidValue: no event, events of several invoices, a date going back.
        LifecycleError: a transition that cannot happen (see `TRANSITIONS`), e.g.
            anything after 210 Refusée, 213 Rejetée or 220 Annulée.

    .. versionadded:: 0.2
    """
    history = items_of(events, StatusEvent, "events")
    if not history:
        raise InvalidValue("no status to fold", field="events", value=(), hint="pass the events")
    number = history[0].invoice_number
    current: LifecycleStatus | None = None
    last_day = history[0].on
    encashed: Money | None = None
    for i, event in enumerate(history):
        if event.invoice_number != number:
            raise InvalidValue(
                "the events are about several invoices",
                field=f"events[{i}].invoice_number",
                value=event.invoice_number,
                hint=f"fold each invoice's history apart (first one: {number})",
            )
        if event.on < last_day:
            raise InvalidValue(
                "a status is dated before the one it follows",
                field=f"events[{i}].on",
                value=event.on,
                hint=f"statuses come in order; the previous one is of {last_day}",
            )
        if event.status not in TRANSITIONS[current]:
            before = "no status" if current is None else f"{current.value} {current.label}"
            allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current])) or "nothing"
            raise LifecycleError(
                f"invoice {number} cannot go from {before} to "
                f"{event.status.value} {event.status.label}",
                field=f"events[{i}].status",
                value=event.status.value,
                hint=f"after {before} come {allowed} (XP Z12-012 lifecycle)",
            )
        for part in event.amounts:
            encashed = part.amount if encashed is None else encashed + part.amount
        current, last_day = event.status, event.on
    assert current is not None
    return LifecycleState(
        invoice_number=number, status=current, since=last_day, history=history, encashed=encashed
    )


def encashment_events(
    invoice: Invoice, allocations: Iterable[PaymentAllocation]
) -> tuple[StatusEvent, ...]:
    """The 212 Encaissée statuses of *invoice*, one per payment allocated to it.

    Each payment is split over the invoice's VAT rates in proportion to their
    amounts VAT included (`facturlib.core.money.allocate`, exact), and each part's
    VAT is its share of the rate's VAT; for the last payment that settles the
    invoice, the parts add up to the invoice's own figures. Use it for invoices
    whose VAT is due on receipt: services without the option for the debits
    (CGI 269-2-c) and deposits received for services.

    Args:
        invoice: the issued invoice.
        allocations: the `PaymentAllocation`\\s (from `facturlib.settle`); those of
            other invoices are ignored.

    Returns:
        One `StatusEvent` per allocation, in date order.

    Raises:
        InvalidValue: *invoice* is not an issued Invoice.

    >>> from datetime import date
    >>> from facturlib.core.issuing import issue
    >>> from facturlib.core.numbering import SequenceState
    >>> from facturlib.core.money import to_money
    >>> from facturlib.testing.builders import sample_invoice, sample_scheme
    >>> invoice, _ = issue(sample_invoice(), sample_scheme(), SequenceState(), on=date(2025, 1, 15))
    >>> paid = PaymentAllocation(payment_id="P1", invoice_number=invoice.number,
    ...                          amount=to_money("720.00", "EUR"), date=date(2025, 2, 1))
    >>> (event,) = encashment_events(invoice, [paid])
    >>> [(a.vat_percent, a.amount.amount, a.vat.amount) for a in event.amounts]
    [(Decimal('20'), Decimal('720.00'), Decimal('120.00'))]

    .. versionadded:: 0.2
    """
    if not isinstance(invoice, Invoice) or not invoice.is_issued or invoice.number is None:
        raise InvalidValue(
            "expected an issued Invoice",
            field="invoice",
            value=invoice,
            hint="issue it with facturlib.issue() first",
        )
    mine = sorted(
        (
            a
            for a in items_of(allocations, PaymentAllocation, "allocations")
            if a.invoice_number == invoice.number
        ),
        key=lambda a: a.date,
    )
    totals = invoice.totals()
    groups = [(vat, taxable + amount, amount) for vat, taxable, amount in totals.vat_groups]
    weights = [gross for _, gross, _ in groups]
    if not groups or sum(weights, Decimal(0)) <= 0:
        return ()
    quantum = Decimal(1).scaleb(-minor_units(totals.currency))
    events = []
    for allocation in mine:
        parts = allocate(allocation.amount, weights)
        amounts = []
        for (vat, gross, vat_amount), part in zip(groups, parts, strict=True):
            share = (
                (part.amount * vat_amount / gross).quantize(quantum, rounding=ROUND_HALF_UP)
                if gross
                else Decimal(0)
            )
            amounts.append(
                EncashedAmount(
                    vat_percent=vat.percent or Decimal(0),
                    amount=part,
                    vat=Money(share, part.currency),
                )
            )
        events.append(
            StatusEvent(
                invoice_number=invoice.number,
                status=S.ENCAISSEE,
                on=allocation.date,
                amounts=tuple(amounts),
            )
        )
    return tuple(events)


def vat_due_on_receipt(invoice: Invoice) -> bool:
    """Whether the VAT of *invoice* is due when the price is received (CGI 269-2-c).

    True for an invoice whose lines all supply services (`SupplyKind.SERVICES`, or
    lines that do not say) when the seller has not opted for the debits
    (``seller.vat_on_debits``, BT-8); goods make VAT due on delivery. Such invoices
    need the 212 Encaissée status (domestic B2B) or the e-reporting payment data.
    A mixed invoice (goods and services) answers False: split it, or decide per line.

    >>> from facturlib.testing.builders import sample_invoice
    >>> vat_due_on_receipt(sample_invoice())
    True

    .. versionadded:: 0.2
    """
    if not isinstance(invoice, Invoice):
        raise InvalidValue(
            "expected an Invoice", field="invoice", value=invoice, hint="pass a facturlib.Invoice"
        )
    if invoice.seller.vat_on_debits:
        return False
    return all(line.supply in (None, SupplyKind.SERVICES) for line in invoice.lines)


def dunning_exclusions(states: Sequence[LifecycleState]) -> tuple[DunningExclusion, ...]:
    """The `DunningExclusion`\\s for invoices not to chase, from their lifecycle states.

    An invoice refused (210) or rejected (213) by the buyer's side is no longer
    owed as issued: it is excluded from dunning until it is replaced or credited
    (a credit note settles it, which takes it out of dunning for good); a disputed
    (207) or suspended (208) one is excluded while the dispute lasts. Pass the
    result as ``exclusions=`` to `facturlib.dunning_run`.

    >>> from datetime import date
    >>> state = fold_statuses([
    ...     StatusEvent(invoice_number="F-9", status="203", on=date(2026, 9, 1)),
    ...     StatusEvent(invoice_number="F-9", status="207", on=date(2026, 9, 3),
    ...                 reason_code="PU_ERR")])
    >>> dunning_exclusions([state])[0].reason
    'lifecycle status 207 En litige (PU_ERR)'

    .. versionadded:: 0.2
    """
    result = []
    for state in items_of(states, LifecycleState, "states"):
        if state.blocks_dunning:
            last = state.history[-1]
            reason = f"lifecycle status {state.status.value} {state.status.label}"
            if last.reason_code:
                reason += f" ({last.reason_code})"
            result.append(DunningExclusion(reason=reason, invoice_number=state.invoice_number))
    return tuple(result)
