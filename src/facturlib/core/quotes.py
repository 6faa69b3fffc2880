"""The life of a quote (devis): sent, accepted or refused, expired, revised, cancelled.

A quote's `facturlib.core.documents.QuoteStatus` is a value on the quote; the
functions here return a new quote in the new status, dated, and refuse the
transitions that make no sense (accepting a refused quote, sending a cancelled
one), saying which transitions the current status allows:

=============  ===========================================================
status         may become
=============  ===========================================================
draft          sent, superseded (revised), cancelled
sent           accepted, refused, expired, superseded, cancelled
expired        superseded (revised with a new validity), cancelled
refused        superseded (a new offer)
accepted       — (it is a contract: amend the order instead)
superseded     — (the new revision carries on)
cancelled      —
=============  ===========================================================

A quote is accepted on or before its ``valid_until`` date: an offer with a time
limit lapses when the limit passes (Code civil art. 1117). ``revise_quote``
makes the next version: the old one becomes ``superseded`` and the new one,
a draft with ``revision`` + 1, keeps the link (``previous_number``,
``previous_revision``). Only an accepted quote becomes an order or an invoice
(``Quote.to_order``, ``Quote.to_invoice``), unless overridden explicitly.

>>> from datetime import date
>>> from facturlib.core.documents import Quote
>>> from facturlib.testing.builders import sample_buyer, sample_line, sample_seller
>>> quote = Quote(seller=sample_seller(), buyer=sample_buyer(), currency="EUR",
...               lines=[sample_line()], number="DE-7", issue_date=date(2025, 1, 6),
...               valid_until=date(2025, 2, 5))
>>> sent = send_quote(quote, on=date(2025, 1, 6))
>>> old, new = revise_quote(sent, on=date(2025, 1, 10), lines=[sample_line(quantity=8)])
>>> old.status.value, new.label, new.previous_number
('superseded', 'DE-7 rév. 2', 'DE-7')
>>> accepted = accept_quote(send_quote(new, on=date(2025, 1, 10)), on=date(2025, 1, 20))
>>> accepted.to_order(on=date(2025, 1, 21), number="BC-42").quote_reference
'DE-7'
>>> refuse_quote(accepted, on=date(2025, 1, 22))
Traceback (most recent call last):
...
facturlib.core.errors.LifecycleError: cannot refuse quote DE-7 rév. 2: it is accepted ...

.. versionadded:: 0.2
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from facturlib.core._validators import check_bool, check_date, check_instance
from facturlib.core.documents import Quote, QuoteStatus
from facturlib.core.errors import DocumentError, LifecycleError

__all__ = [
    "QUOTE_TRANSITIONS",
    "accept_quote",
    "cancel_quote",
    "expire_quote",
    "refuse_quote",
    "revise_quote",
    "send_quote",
]

S = QuoteStatus

#: Status → the statuses it may become.
QUOTE_TRANSITIONS: dict[QuoteStatus, frozenset[QuoteStatus]] = {
    S.DRAFT: frozenset({S.SENT, S.SUPERSEDED, S.CANCELLED}),
    S.SENT: frozenset({S.ACCEPTED, S.REFUSED, S.EXPIRED, S.SUPERSEDED, S.CANCELLED}),
    S.EXPIRED: frozenset({S.SUPERSEDED, S.CANCELLED}),
    S.REFUSED: frozenset({S.SUPERSEDED}),
    S.ACCEPTED: frozenset(),
    S.SUPERSEDED: frozenset(),
    S.CANCELLED: frozenset(),
}

_VERBS = {
    S.SENT: "send",
    S.ACCEPTED: "accept",
    S.REFUSED: "refuse",
    S.EXPIRED: "expire",
    S.SUPERSEDED: "revise",
    S.CANCELLED: "cancel",
}

_WHAT_NOW = {
    S.ACCEPTED: "an accepted quote is a contract: amend or cancel the order made from it",
    S.SUPERSEDED: "work on the revision that superseded it",
    S.CANCELLED: "a cancelled quote stays cancelled: make a new quote",
}


def _check(quote: object, on: object) -> None:
    check_instance(quote, Quote, "quote", hint="pass a facturlib.Quote", error=DocumentError)
    check_date(on, "on", error=DocumentError)


def _move(quote: Quote, to: QuoteStatus, on: date) -> Quote:
    _check(quote, on)
    allowed = QUOTE_TRANSITIONS[quote.status]
    if to not in allowed:
        names = ", ".join(sorted(s.value for s in allowed)) or "nothing"
        raise LifecycleError(
            f"cannot {_VERBS[to]} quote {quote.label}: it is {quote.status.value}",
            field="status",
            value=quote.status.value,
            hint=f"a {quote.status.value} quote may become: {names}"
            + (f"; {_WHAT_NOW[quote.status]}" if quote.status in _WHAT_NOW else ""),
        )
    if quote.status_date is not None and on < quote.status_date:
        raise DocumentError(
            f"quote {quote.label} became {quote.status.value} on {quote.status_date}",
            field="on",
            value=on,
            hint=f"a later status change is dated on or after {quote.status_date}",
        )
    if quote.issue_date is not None and on < quote.issue_date:
        raise DocumentError(
            f"quote {quote.label} is dated {quote.issue_date}",
            field="on",
            value=on,
            hint=f"date its status changes on or after {quote.issue_date}",
        )
    return attrs.evolve(quote, status=to, status_date=on)


def send_quote(quote: Quote, *, on: date) -> Quote:
    """*quote*, sent to the customer on *on* (dated *on* if it had no date).

    Raises:
        LifecycleError: the quote is not a draft.
        DocumentError: *on* is not a date, or before the last status change.

    .. versionadded:: 0.2
    """
    sent = _move(quote, S.SENT, on)
    return sent if sent.issue_date is not None else attrs.evolve(sent, issue_date=on)


def accept_quote(quote: Quote, *, on: date, allow_expired: bool = False) -> Quote:
    """*quote*, accepted by the customer on *on* (the signed "Bon pour accord").

    Args:
        quote: a sent quote.
        on: the day of the acceptance.
        allow_expired: accept after ``valid_until`` anyway (the seller agrees to
            hold the expired offer).

    Raises:
        LifecycleError: the quote is not sent.
        DocumentError: *on* is after ``valid_until``: the offer lapsed (Code civil
            art. 1117); revise it with a new validity, or pass ``allow_expired=True``.

    .. versionadded:: 0.2
    """
    _check(quote, on)
    check_bool(allow_expired, "allow_expired", error=DocumentError)
    if quote.valid_until is not None and on > quote.valid_until and not allow_expired:
        raise DocumentError(
            f"quote {quote.label} expired on {quote.valid_until}",
            field="on",
            value=on,
            hint="an offer lapses at its time limit (Code civil art. 1117): revise it "
            "with a new validity (revise_quote), or pass allow_expired=True to "
            "hold the offer anyway",
        )
    return _move(quote, S.ACCEPTED, on)


def refuse_quote(quote: Quote, *, on: date) -> Quote:
    """*quote*, refused by the customer on *on*.

    Raises:
        LifecycleError: the quote is not sent.

    .. versionadded:: 0.2
    """
    return _move(quote, S.REFUSED, on)


def expire_quote(quote: Quote, *, on: date) -> Quote:
    """*quote*, lapsed unanswered: *on* must be after its ``valid_until``.

    Raises:
        LifecycleError: the quote is not sent.
        DocumentError: the quote has no ``valid_until``, or it is still valid on *on*.

    .. versionadded:: 0.2
    """
    _check(quote, on)
    if quote.valid_until is None or on <= quote.valid_until:
        raise DocumentError(
            f"quote {quote.label} is still valid on {on}",
            field="on",
            value=on,
            hint="a quote expires the day after its valid_until"
            if quote.valid_until is not None
            else "the quote has no valid_until: cancel it instead",
        )
    return _move(quote, S.EXPIRED, on)


def cancel_quote(quote: Quote, *, on: date) -> Quote:
    """*quote*, withdrawn by the seller on *on*.

    Raises:
        LifecycleError: the quote is accepted, refused, superseded or cancelled.

    .. versionadded:: 0.2
    """
    return _move(quote, S.CANCELLED, on)


def revise_quote(
    quote: Quote, *, on: date, number: str | None = None, **changes: Any
) -> tuple[Quote, Quote]:
    """The next version of *quote*: ``(old, new)``.

    *old* is *quote* superseded on *on*; *new* is a draft dated *on* with
    ``revision`` + 1, the link to *old* (``previous_number``,
    ``previous_revision``) and *changes* applied (``lines=…``,
    ``valid_until=…``…). It keeps *old*'s number unless *number* is given.
    Send it with `send_quote`.

    Raises:
        LifecycleError: the quote is accepted, superseded or cancelled.
        DocumentError: a change that makes an invalid quote, or one of the fields
            the revision sets itself.

    .. versionadded:: 0.2
    """
    _check(quote, on)
    if quote.number is None:
        raise DocumentError(
            "an unnumbered quote has no version to keep",
            field="number",
            value=None,
            hint="change a draft with attrs.evolve; number a quote before sending it "
            "and revising it",
        )
    reserved = {"status", "status_date", "revision", "previous_number", "previous_revision"}
    clash = sorted(reserved & changes.keys())
    if clash:
        raise DocumentError(
            "a revision sets its status and link itself",
            field=clash[0],
            value=changes[clash[0]],
            hint="leave out status, status_date, revision, previous_number and previous_revision",
        )
    old = _move(quote, S.SUPERSEDED, on)
    valid_until = changes.pop("valid_until", quote.valid_until)
    if valid_until is not None and isinstance(valid_until, date) and valid_until < on:
        raise DocumentError(
            f"the revision is dated {on} but valid until {valid_until}",
            field="valid_until",
            value=valid_until,
            hint="give the revision a new validity: valid_until=… on or after its date",
        )
    new = attrs.evolve(
        quote,
        status=S.DRAFT,
        status_date=None,
        issue_date=on,
        valid_until=valid_until,
        number=number or quote.number,
        revision=quote.revision + 1,
        previous_number=quote.number,
        previous_revision=quote.revision,
        **changes,
    )
    return old, new
