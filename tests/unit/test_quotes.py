"""Tests for facturlib.core.quotes: the life of a quote."""

from __future__ import annotations

from datetime import date

import pytest

from facturlib.core.documents import Quote, QuoteStatus
from facturlib.core.errors import DocumentError, LifecycleError
from facturlib.core.quotes import (
    QUOTE_TRANSITIONS,
    accept_quote,
    cancel_quote,
    expire_quote,
    refuse_quote,
    revise_quote,
    send_quote,
)
from facturlib.testing.builders import sample_buyer, sample_line, sample_seller

JAN_6 = date(2025, 1, 6)


def quote(**overrides: object) -> Quote:
    """DE-7, dated 6 January 2025, valid until 5 February: 10 h at 120.00 (1 440.00 TTC)."""
    fields: dict[str, object] = {
        "seller": sample_seller(),
        "buyer": sample_buyer(),
        "currency": "EUR",
        "lines": (sample_line(),),
        "number": "DE-7",
        "issue_date": JAN_6,
        "valid_until": date(2025, 2, 5),
    }
    fields.update(overrides)
    return Quote(**fields)  # type: ignore[arg-type]


def sent() -> Quote:
    return send_quote(quote(), on=JAN_6)


class TestSendQuote:
    def test_sent(self) -> None:
        """A draft becomes sent, dated."""
        result = send_quote(quote(), on=date(2025, 1, 7))

        assert (QuoteStatus.SENT, date(2025, 1, 7)) == (result.status, result.status_date)

    def test_undated_quote_gets_the_date(self) -> None:
        """An undated draft is dated the day it is sent."""
        assert JAN_6 == send_quote(quote(issue_date=None), on=JAN_6).issue_date

    def test_twice(self) -> None:
        """A sent quote cannot be sent again; the error lists what it may become."""
        with pytest.raises(LifecycleError) as info:
            send_quote(sent(), on=JAN_6)

        assert ("status", "sent") == (info.value.field, info.value.value)
        assert "accepted, cancelled, expired, refused, superseded" in str(info.value)

    def test_not_a_quote(self) -> None:
        """Anything but a Quote is refused."""
        with pytest.raises(DocumentError):
            send_quote("DE-7", on=JAN_6)  # type: ignore[arg-type]

    def test_not_a_date(self) -> None:
        """on must be a date."""
        with pytest.raises(DocumentError):
            send_quote(quote(), on="2025-01-06")  # type: ignore[arg-type]

    def test_before_the_quote(self) -> None:
        """A status change cannot precede the quote's date."""
        with pytest.raises(DocumentError):
            send_quote(quote(), on=date(2025, 1, 5))


class TestAcceptQuote:
    def test_accepted_on_last_day(self) -> None:
        """A quote is accepted on its last valid day."""
        result = accept_quote(sent(), on=date(2025, 2, 5))

        assert (QuoteStatus.ACCEPTED, date(2025, 2, 5)) == (result.status, result.status_date)

    def test_lapsed(self) -> None:
        """The day after valid_until the offer lapsed (C. civ. 1117): refused, with a hint."""
        with pytest.raises(DocumentError) as info:
            accept_quote(sent(), on=date(2025, 2, 6))

        assert "revise_quote" in str(info.value)
        assert "allow_expired=True" in str(info.value)

    def test_lapsed_held(self) -> None:
        """allow_expired=True holds the offer anyway."""
        result = accept_quote(sent(), on=date(2025, 2, 6), allow_expired=True)

        assert QuoteStatus.ACCEPTED == result.status

    def test_draft_not_accepted(self) -> None:
        """A draft was never sent: accepting it is refused."""
        with pytest.raises(LifecycleError):
            accept_quote(quote(), on=JAN_6)

    def test_not_refused_after(self) -> None:
        """An accepted quote is a contract: refusing it is refused, with what to do."""
        with pytest.raises(LifecycleError) as info:
            refuse_quote(accept_quote(sent(), on=date(2025, 1, 9)), on=date(2025, 1, 10))

        assert "amend or cancel the order" in str(info.value)

    def test_dates_go_forward(self) -> None:
        """A status change cannot be dated before the previous one."""
        later = send_quote(quote(), on=date(2025, 1, 10))
        with pytest.raises(DocumentError) as info:
            accept_quote(later, on=date(2025, 1, 9))

        assert "on" == info.value.field

    def test_converts(self) -> None:
        """An accepted quote becomes an order without override."""
        accepted = accept_quote(sent(), on=date(2025, 1, 9))

        assert "DE-7" == accepted.to_order(on=date(2025, 1, 10)).quote_reference


class TestRefuseExpireCancel:
    def test_refused(self) -> None:
        """A sent quote is refused."""
        assert QuoteStatus.REFUSED == refuse_quote(sent(), on=JAN_6).status

    def test_expired_after_validity(self) -> None:
        """A sent quote expires the day after valid_until."""
        assert QuoteStatus.EXPIRED == expire_quote(sent(), on=date(2025, 2, 6)).status

    def test_not_expired_while_valid(self) -> None:
        """A quote still valid does not expire."""
        with pytest.raises(DocumentError):
            expire_quote(sent(), on=date(2025, 2, 5))

    def test_without_validity_never_expires(self) -> None:
        """A quote without valid_until cannot expire: cancel it."""
        with pytest.raises(DocumentError) as info:
            expire_quote(send_quote(quote(valid_until=None), on=JAN_6), on=date(2030, 1, 1))

        assert "cancel it instead" in str(info.value)

    def test_cancelled_is_final(self) -> None:
        """A cancelled quote stays cancelled."""
        cancelled = cancel_quote(sent(), on=JAN_6)
        with pytest.raises(LifecycleError):
            send_quote(cancelled, on=JAN_6)

    def test_expired_cannot_be_accepted(self) -> None:
        """An expired quote is revised, not accepted."""
        expired = expire_quote(sent(), on=date(2025, 2, 6))
        with pytest.raises(LifecycleError):
            accept_quote(expired, on=date(2025, 2, 6), allow_expired=True)

    def test_transitions_table(self) -> None:
        """Every status has an entry, and the final statuses lead nowhere."""
        assert set(QuoteStatus) == set(QUOTE_TRANSITIONS)
        assert [frozenset()] * 3 == [
            QUOTE_TRANSITIONS[s]
            for s in (QuoteStatus.ACCEPTED, QuoteStatus.SUPERSEDED, QuoteStatus.CANCELLED)
        ]


class TestReviseQuote:
    def test_versions(self) -> None:
        """Revision 2 supersedes revision 1 and keeps the link; the number stays."""
        old, new = revise_quote(sent(), on=date(2025, 1, 10), lines=[sample_line(quantity=8)])

        assert (QuoteStatus.SUPERSEDED, date(2025, 1, 10)) == (old.status, old.status_date)
        assert (QuoteStatus.DRAFT, 2, "DE-7", 1, "DE-7 rév. 2", date(2025, 1, 10)) == (
            new.status,
            new.revision,
            new.previous_number,
            new.previous_revision,
            new.label,
            new.issue_date,
        )
        assert "1152.00" == str(new.totals().amount_due.amount)

    def test_new_number(self) -> None:
        """A revision may take a new number; the link names the old one."""
        _, new = revise_quote(sent(), on=date(2025, 1, 10), number="DE-9")

        assert ("DE-9", "DE-7", "DE-9 rév. 2") == (new.number, new.previous_number, new.label)

    def test_expired_revised_with_new_validity(self) -> None:
        """An expired quote is revised with a new validity, then sent and accepted."""
        expired = expire_quote(sent(), on=date(2025, 2, 10))
        _, new = revise_quote(expired, on=date(2025, 2, 10), valid_until=date(2025, 3, 10))
        accepted = accept_quote(send_quote(new, on=date(2025, 2, 10)), on=date(2025, 2, 20))

        assert QuoteStatus.ACCEPTED == accepted.status

    def test_expired_validity_refused(self) -> None:
        """A revision dated after the old validity needs a new one."""
        expired = expire_quote(sent(), on=date(2025, 2, 10))
        with pytest.raises(DocumentError) as info:
            revise_quote(expired, on=date(2025, 2, 10))

        assert "valid_until" == info.value.field

    def test_accepted_not_revised(self) -> None:
        """An accepted quote is not revised."""
        with pytest.raises(LifecycleError):
            revise_quote(accept_quote(sent(), on=JAN_6), on=JAN_6)

    def test_reserved_fields(self) -> None:
        """The revision sets its status and link itself."""
        with pytest.raises(DocumentError) as info:
            revise_quote(sent(), on=JAN_6, revision=5)

        assert "revision" == info.value.field

    def test_unnumbered(self) -> None:
        """An unnumbered draft is edited, not revised."""
        with pytest.raises(DocumentError):
            revise_quote(quote(number=None), on=JAN_6)

    def test_superseded_never_converts(self) -> None:
        """The superseded version cannot become an order, even overridden."""
        old, _ = revise_quote(sent(), on=date(2025, 1, 10))
        with pytest.raises(LifecycleError) as info:
            old.to_order(on=date(2025, 1, 11), allow_unaccepted=True)

        assert "superseded" in str(info.value)

    def test_input_unchanged(self) -> None:
        """The caller's quote is left as it was."""
        source = sent()
        revise_quote(source, on=date(2025, 1, 10))

        assert QuoteStatus.SENT == source.status


class TestQuoteFields:
    def test_previous_revision_needs_number(self) -> None:
        """previous_revision without previous_number is refused."""
        with pytest.raises(DocumentError):
            quote(previous_revision=1)

    def test_revision_positive(self) -> None:
        """Revisions start at 1."""
        with pytest.raises(DocumentError):
            quote(revision=0)

    def test_unknown_status(self) -> None:
        """An unknown status string is refused."""
        with pytest.raises(DocumentError):
            quote(status="signed")
