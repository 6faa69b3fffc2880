"""SEPA direct-debit mandates, their amendments, lapse and sequence types.

A `Mandate` is the debtor's signed authorisation (EPC SDD Core rulebook,
EPC016-06, section 4.7.2): a reference unique for the creditor (the RUM, at most
35 characters, AT-01), the signature date (AT-25) and place, the scheme (CORE, or
B2B between businesses), recurrent or one-off, and the debtor with the account to
debit. An amendment (`MandateAmendment`) records a changed reference, creditor
identifier or debtor account; the next collection must carry the amendment
indicator and the original data (AT-24).

Which sequence type a collection carries depends on what was collected before.
That history is a value (`MandateHistory`), passed in and returned by
`next_collection`, as facturlib keeps every state:

* a one-off mandate is collected once, as ``OOFF``;
* the first collection of a recurrent mandate goes as ``FRST``, or as ``RCUR``
  which the rulebook allows since November 2016 (version 9): the creditor chooses;
* later ones are ``RCUR``, and the last one may be flagged ``FNAL``;
* a mandate with no collection for 36 months has lapsed (rulebook 4.7.2, AT-25):
  collecting on it needs a new mandate.

>>> from datetime import date
>>> from facturlib.core.parties import Address, Party
>>> debtor = Party(name="Jean Dupont", address=Address(city="Lyon", country_code="FR"),
...                iban="FR7630006000011234567890189", id="CLI0001")
>>> mandate = Mandate(reference="RUM-0001", signed_on=date(2025, 1, 10), debtor=debtor)
>>> first, history = next_collection(mandate, None, on=date(2025, 2, 5))
>>> first.sequence_type, history.collections
(<SequenceType.RCUR: 'RCUR'>, 1)
>>> next_collection(mandate, history, on=date(2028, 3, 1))
Traceback (most recent call last):
...
facturlib.core.errors.SepaError: mandate RUM-0001 lapsed on 2028-02-05: ...

.. versionadded:: 0.2
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from facturlib.core._validators import (
    as_tuple,
    check_bool,
    check_date,
    check_instance,
    check_int,
    is_bool,
    is_date,
    is_optional_date,
    is_optional_text,
    is_text,
    optional_text,
    to_enum,
    tuple_of,
)
from facturlib.core.errors import SepaError
from facturlib.core.parties import Party, _check_iban
from facturlib.sepa.creditor_id import validate_creditor_id

__all__ = [
    "LAPSE_MONTHS",
    "LocalInstrument",
    "Mandate",
    "MandateAmendment",
    "MandateCollection",
    "MandateHistory",
    "SequenceType",
    "lapse_date",
    "next_collection",
]

#: Months without a collection after which a mandate lapses (EPC016-06 4.7.2).
LAPSE_MONTHS = 36


class SequenceType(enum.Enum):
    """The sequence type of a collection (ISO 20022 ``SeqTp``, EPC AT-21).

    .. versionadded:: 0.2
    """

    FRST = "FRST"
    RCUR = "RCUR"
    FNAL = "FNAL"
    OOFF = "OOFF"


class LocalInstrument(enum.Enum):
    """The scheme of a mandate (``LclInstrm/Cd``): SDD Core, or SDD B2B between businesses.

    .. versionadded:: 0.2
    """

    CORE = "CORE"
    B2B = "B2B"


def _to_sequence_type(value: SequenceType | str) -> SequenceType:
    return to_enum(value, SequenceType, "sequence_type", error=SepaError)


def _to_instrument(value: LocalInstrument | str) -> LocalInstrument:
    return to_enum(value, LocalInstrument, "scheme", error=SepaError)


def _optional_creditor_id(value: object) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return validate_creditor_id(value)  # type: ignore[arg-type]


def _is_party(instance: object, attribute: attrs.Attribute[Party], value: object) -> None:
    check_instance(
        value, Party, attribute.name, error=SepaError, hint="pass the debtor as a facturlib.Party"
    )


@attrs.frozen(kw_only=True)
class MandateAmendment:
    """A change to a mandate, reported with the next collection (EPC AT-24).

    Attributes:
        on: the day the change took effect.
        original_reference: the former mandate reference, when it changed.
        original_creditor_id: the former creditor identifier, when it changed
            (a new creditor took the mandate over, or the creditor changed its ICS).
        original_creditor_name: the former creditor's name, when it changed.
        original_iban: the former debtor IBAN, when the debtor changed account at
            the same bank.
        other_bank: the debtor moved to another bank: the file says ``SMNDA``
            (same mandate, new debtor agent) instead of the former account.

    .. versionadded:: 0.2
    """

    on: date = attrs.field(validator=is_date)
    original_reference: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    original_creditor_id: str | None = attrs.field(default=None, converter=_optional_creditor_id)
    original_creditor_name: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    original_iban: str | None = attrs.field(default=None, converter=_check_iban)
    other_bank: bool = attrs.field(default=False, validator=is_bool)

    @other_bank.validator
    def _check_something(self, attribute: attrs.Attribute[bool], value: bool) -> None:
        if not (
            self.original_reference
            or self.original_creditor_id
            or self.original_creditor_name
            or self.original_iban
            or value
        ):
            raise SepaError(
                "an amendment must say what changed",
                field="original_reference",
                value=None,
                hint="give the original reference, creditor id, IBAN, or other_bank=True",
            )

    def merged(self, later: MandateAmendment) -> MandateAmendment:
        """This amendment and a *later* one reported together: the earliest original values.

        .. versionadded:: 0.2
        """
        return MandateAmendment(
            on=later.on,
            original_reference=self.original_reference or later.original_reference,
            original_creditor_id=self.original_creditor_id or later.original_creditor_id,
            original_creditor_name=self.original_creditor_name or later.original_creditor_name,
            original_iban=self.original_iban or later.original_iban,
            other_bank=self.other_bank or later.other_bank,
        )


@attrs.frozen(kw_only=True)
class Mandate:
    """A debtor's signed SEPA direct-debit mandate.

    Attributes:
        reference: the unique mandate reference (RUM, ``MndtId``, AT-01). Its
            characters and length are checked before a file is written
            (`facturlib.sepa.checks.check_batch`), so that every problem of a batch is
            reported at once.
        signed_on: the date of signature (``DtOfSgntr``, AT-25).
        debtor: the debtor: name, address, IBAN (required to collect), BIC.
        signed_at: the place of signature.
        scheme: CORE (default) or B2B.
        recurrent: a recurrent mandate (default), or a one-off one (``OOFF``).
        creditor_id: the creditor identifier the mandate was signed for, when it is
            not the collecting creditor's own (checked by MOD 97-10).
        amendments: the changes since signature, oldest first.

    Raises:
        SepaError: a missing reference, debtor or signature date, amendments out of
            order or before the signature.

    .. versionadded:: 0.2
    """

    reference: str = attrs.field(converter=optional_text, validator=is_text)
    signed_on: date = attrs.field(validator=is_date)
    debtor: Party = attrs.field(validator=_is_party)
    signed_at: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    scheme: LocalInstrument = attrs.field(default=LocalInstrument.CORE, converter=_to_instrument)
    recurrent: bool = attrs.field(default=True, validator=is_bool)
    creditor_id: str | None = attrs.field(default=None, converter=_optional_creditor_id)
    amendments: tuple[MandateAmendment, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(MandateAmendment)
    )

    @amendments.validator
    def _check_amendments(
        self, attribute: attrs.Attribute[tuple[MandateAmendment, ...]], value: tuple[Any, ...]
    ) -> None:
        last = self.signed_on
        for i, amendment in enumerate(value):
            if amendment.on < last:
                raise SepaError(
                    "amendments must be in date order and not before the signature",
                    field=f"amendments[{i}].on",
                    value=amendment.on,
                    hint="list the amendments oldest first",
                )
            last = amendment.on

    def amend(
        self,
        *,
        on: date,
        reference: str | None = None,
        creditor_id: str | None = None,
        previous_creditor_id: str | None = None,
        previous_creditor_name: str | None = None,
        iban: str | None = None,
        bic: str | None = None,
        other_bank: bool = False,
    ) -> Mandate:
        """This mandate with a change recorded as an amendment (the original is unchanged).

        Args:
            on: the day the change takes effect.
            reference: the new mandate reference.
            creditor_id: the new creditor identifier, when the mandate moves to
                another creditor identifier.
            previous_creditor_id: the former creditor identifier, when the mandate
                does not record it (`creditor_id` is ``None``).
            previous_creditor_name: the former creditor's name, when it changed.
            iban: the debtor's new IBAN.
            bic: the debtor's new BIC.
            other_bank: the new account is at another bank (``SMNDA``).

        Raises:
            SepaError: nothing changes, or *on* is before the last amendment.

        >>> from facturlib.core.parties import Address, Party
        >>> debtor = Party(name="Jean Dupont", address=Address(city="Lyon", country_code="FR"),
        ...                iban="FR7630006000011234567890189")
        >>> m = Mandate(reference="RUM-1", signed_on=date(2025, 1, 10), debtor=debtor)
        >>> m2 = m.amend(on=date(2025, 6, 1), reference="RUM-1-B")
        >>> m2.reference, m2.amendments[0].original_reference
        ('RUM-1-B', 'RUM-1')

        .. versionadded:: 0.2
        """
        check_date(on, "on", error=SepaError)
        check_bool(other_bank, "other_bank", error=SepaError)
        new_iban = _check_iban(iban)
        new_creditor = _optional_creditor_id(creditor_id)
        old_creditor = _optional_creditor_id(previous_creditor_id) or self.creditor_id
        if new_creditor is not None and old_creditor is None:
            raise SepaError(
                "the former creditor identifier is unknown",
                field="previous_creditor_id",
                value=None,
                hint="pass previous_creditor_id= (the identifier the mandate was signed for)",
            )
        amendment = MandateAmendment(
            on=on,
            original_reference=self.reference
            if reference and reference != self.reference
            else None,
            original_creditor_id=(
                old_creditor if new_creditor is not None and new_creditor != old_creditor else None
            ),
            original_creditor_name=previous_creditor_name,
            original_iban=(
                self.debtor.iban
                if new_iban and new_iban != self.debtor.iban and not other_bank
                else None
            ),
            other_bank=other_bank,
        )
        debtor = self.debtor
        if new_iban is not None or bic is not None:
            debtor = attrs.evolve(
                debtor, iban=new_iban or debtor.iban, bic=bic if bic is not None else debtor.bic
            )
        return attrs.evolve(
            self,
            reference=reference or self.reference,
            creditor_id=new_creditor or self.creditor_id,
            debtor=debtor,
            amendments=(*self.amendments, amendment),
        )


def _count(instance: object, attribute: attrs.Attribute[int], value: Any) -> None:
    check_int(value, attribute.name, minimum=0, error=SepaError)


def _optional_amendment(instance: object, attribute: Any, value: Any) -> None:
    check_instance(value, MandateAmendment, attribute.name, optional=True, error=SepaError)


@attrs.frozen(kw_only=True)
class MandateHistory:
    """What was collected on a mandate so far: a value passed in and returned.

    Attributes:
        reference: the mandate reference it belongs to.
        collections: how many collections were made.
        last_collection: the date of the latest one.
        amendments_reported: how many of the mandate's amendments were reported
            with a collection already.
        closed: a one-off or final (``FNAL``) collection was made: no more may follow.

    .. versionadded:: 0.2
    """

    reference: str = attrs.field(converter=optional_text, validator=is_text)
    collections: int = attrs.field(default=0, validator=_count)
    last_collection: date | None = attrs.field(default=None, validator=is_optional_date)
    amendments_reported: int = attrs.field(default=0, validator=_count)
    closed: bool = attrs.field(default=False, validator=is_bool)


@attrs.frozen(kw_only=True)
class MandateCollection:
    """What one collection on a mandate carries: its sequence type and the amendment
    to report with it, if any.

    .. versionadded:: 0.2
    """

    sequence_type: SequenceType = attrs.field(converter=_to_sequence_type)
    amendment: MandateAmendment | None = attrs.field(default=None, validator=_optional_amendment)


def lapse_date(mandate: Mandate, history: MandateHistory | None) -> date:
    """The day *mandate* lapses unless collected before: 36 months after the last
    collection, or after the signature when it was never used.

    >>> from facturlib.core.parties import Address, Party
    >>> debtor = Party(name="A", address=Address(city="Lyon", country_code="FR"))
    >>> lapse_date(Mandate(reference="R1", signed_on=date(2025, 1, 31), debtor=debtor), None)
    datetime.date(2028, 1, 31)

    .. versionadded:: 0.2
    """
    check_instance(mandate, Mandate, "mandate", error=SepaError)
    check_instance(history, MandateHistory, "history", optional=True, error=SepaError)
    start = mandate.signed_on
    if history is not None and history.last_collection is not None:
        start = history.last_collection
    return start + relativedelta(months=LAPSE_MONTHS)


def next_collection(
    mandate: Mandate,
    history: MandateHistory | None,
    *,
    on: date,
    final: bool = False,
    first: SequenceType | str = SequenceType.RCUR,
) -> tuple[MandateCollection, MandateHistory]:
    """The sequence type and amendment of a collection on *mandate* due *on*, and the
    history after it.

    Args:
        mandate: the mandate.
        history: what was collected so far (``None`` for a new mandate).
        on: the requested collection date.
        final: flag this collection as the last one (``FNAL``).
        first: the type of the first collection of a recurrent mandate: ``RCUR``
            (default, allowed since rulebook v9, November 2016) or ``FRST`` for banks
            that still ask for it.

    Returns:
        ``(collection, new_history)``; the history passed in is not changed.

    Raises:
        SepaError: the mandate is closed (one-off used, or final sent), has lapsed
            (36 months without collection), was signed after *on*, the history is
            another mandate's, or collections go back in time.

    .. versionadded:: 0.2
    """
    check_instance(mandate, Mandate, "mandate", error=SepaError)
    check_instance(history, MandateHistory, "history", optional=True, error=SepaError)
    check_date(on, "on", error=SepaError)
    check_bool(final, "final", error=SepaError)
    first = _to_sequence_type(first)
    if first not in (SequenceType.FRST, SequenceType.RCUR):
        raise SepaError(
            "the first collection goes as FRST or RCUR",
            field="first",
            value=first,
            hint="pass SequenceType.RCUR or SequenceType.FRST",
        )
    if history is None:
        history = MandateHistory(reference=mandate.reference)
    elif history.reference != mandate.reference and not any(
        a.original_reference == history.reference for a in mandate.amendments
    ):
        raise SepaError(
            "the history belongs to another mandate",
            field="history",
            value=history.reference,
            hint=f"pass the history of mandate {mandate.reference}",
        )
    if on < mandate.signed_on:
        raise SepaError(
            f"mandate {mandate.reference} was signed on {mandate.signed_on}, after the collection",
            field="on",
            value=on,
            hint="collect on or after the signature date",
        )
    if history.closed:
        raise SepaError(
            f"mandate {mandate.reference} is closed: its one-off or final collection was made",
            field="history",
            value=history.reference,
            hint="have the debtor sign a new mandate",
        )
    if history.last_collection is not None and on < history.last_collection:
        raise SepaError(
            f"mandate {mandate.reference} was already collected on {history.last_collection}",
            field="on",
            value=on,
            hint="make collections in date order",
        )
    lapse = lapse_date(mandate, history)
    if on >= lapse:
        raise SepaError(
            f"mandate {mandate.reference} lapsed on {lapse}: no collection for "
            f"{LAPSE_MONTHS} months (EPC SDD rulebook 4.7.2)",
            field="on",
            value=on,
            hint="have the debtor sign a new mandate",
        )
    if not mandate.recurrent:
        sequence = SequenceType.OOFF
    elif final:
        sequence = SequenceType.FNAL
    elif history.collections == 0:
        sequence = first
    else:
        sequence = SequenceType.RCUR
    amendment: MandateAmendment | None = None
    for pending in mandate.amendments[history.amendments_reported :]:
        if pending.on <= on:
            amendment = pending if amendment is None else amendment.merged(pending)
    reported = history.amendments_reported + sum(
        1 for a in mandate.amendments[history.amendments_reported :] if a.on <= on
    )
    new_history = MandateHistory(
        reference=mandate.reference,
        collections=history.collections + 1,
        last_collection=on,
        amendments_reported=reported,
        closed=sequence in (SequenceType.OOFF, SequenceType.FNAL),
    )
    return MandateCollection(sequence_type=sequence, amendment=amendment), new_history
