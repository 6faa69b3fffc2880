"""Lifecycle statuses: every allowed and refused transition, reasons, Encaissée, dunning."""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from moneyed import Money

from facturlib.core.errors import InvalidValue, LifecycleError
from facturlib.core.issuing import issue
from facturlib.core.money import to_money
from facturlib.core.numbering import SequenceState
from facturlib.core.vat import FR_REDUCED
from facturlib.einvoice.statuses import (
    TRANSITIONS,
    EncashedAmount,
    LifecycleStatus,
    StatusEvent,
    dunning_exclusions,
    encashment_events,
    fold_statuses,
    vat_due_on_receipt,
)
from facturlib.receivables.dunning import DunningPolicy, dunning_run
from facturlib.receivables.payments import Payment, PaymentAllocation, settle
from facturlib.testing.builders import sample_invoice, sample_line, sample_scheme

S = LifecycleStatus
DAY = date(2026, 9, 15)


def event(status: LifecycleStatus, number: str = "F-1", on: date = DAY) -> StatusEvent:
    """A valid event of *status* (with a reason or amounts where required)."""
    amounts = ()
    if status is S.ENCAISSEE:
        amounts = (
            EncashedAmount(
                vat_percent="20", amount=to_money("120.00", "EUR"), vat=to_money("20.00", "EUR")
            ),
        )
    reason = "AUTRE" if status.needs_reason else None
    return StatusEvent(
        invoice_number=number, status=status, on=on, reason_code=reason, amounts=amounts
    )


def path_to(status: LifecycleStatus | None, number: str = "F-1") -> list[StatusEvent]:
    """A shortest allowed history ending in *status* (empty for None)."""
    if status is None:
        return []
    frontier: list[tuple[LifecycleStatus | None, list[LifecycleStatus]]] = [(None, [])]
    seen: set[LifecycleStatus | None] = {None}
    while frontier:
        current, path = frontier.pop(0)
        for nxt in sorted(TRANSITIONS[current], key=lambda s: s.value):
            if nxt == status:
                return [event(s, number) for s in [*path, nxt]]
            if nxt not in seen:
                seen.add(nxt)
                frontier.append((nxt, [*path, nxt]))
    raise AssertionError(f"{status} unreachable")


ALL_PAIRS = [(a, b) for a in [None, *LifecycleStatus] for b in LifecycleStatus]


class TestFoldStatuses:
    @pytest.mark.parametrize(
        ("before", "after"), ALL_PAIRS, ids=lambda s: getattr(s, "value", "start")
    )
    def test_every_transition(self, before: LifecycleStatus | None, after: LifecycleStatus) -> None:
        """Each (status, next status) pair is accepted iff the table allows it."""
        history = [*path_to(before), event(after)]
        if after in TRANSITIONS[before]:
            assert after == fold_statuses(history).status
        else:
            with pytest.raises(LifecycleError, match="cannot go from"):
                fold_statuses(history)

    def test_every_status_reachable(self) -> None:
        """Every status can be reached from the start."""
        for status in LifecycleStatus:
            assert status == fold_statuses(path_to(status)).status

    def test_final_statuses_end_the_life(self) -> None:
        """Nothing follows 210, 213 and 220."""
        assert {S.REFUSEE, S.REJETEE, S.ANNULEE} == {s for s in S if s.is_final}
        for status in (S.REFUSEE, S.REJETEE, S.ANNULEE):
            assert frozenset() == TRANSITIONS[status]

    def test_partial_encashments(self) -> None:
        """212 may repeat for part payments; the amounts add up."""
        state = fold_statuses([*path_to(S.ENCAISSEE), event(S.ENCAISSEE)])
        assert Money("240.00", "EUR") == state.encashed

    def test_dates_going_back(self) -> None:
        """A status dated before the previous one is refused."""
        with pytest.raises(InvalidValue, match="dated before"):
            fold_statuses([event(S.DEPOSEE), event(S.EMISE, on=date(2026, 9, 1))])

    def test_several_invoices(self) -> None:
        """A history mixes no invoices."""
        with pytest.raises(InvalidValue, match="several invoices"):
            fold_statuses([event(S.DEPOSEE), event(S.EMISE, number="F-2")])

    def test_empty(self) -> None:
        """No event, no state."""
        with pytest.raises(InvalidValue):
            fold_statuses([])

    def test_caller_list_untouched(self) -> None:
        """Folding does not change the caller's list."""
        history = path_to(S.APPROUVEE)
        before = list(history)
        fold_statuses(history)
        assert before == history


class TestStatusEvent:
    @pytest.mark.parametrize("status", [s for s in S if s.needs_reason])
    def test_reason_required(self, status: LifecycleStatus) -> None:
        """206, 207, 208, 210 and 213 need a reason code (BR-FR-CDV-15)."""
        with pytest.raises(InvalidValue, match="needs a reason code"):
            StatusEvent(invoice_number="F-1", status=status, on=DAY)

    def test_reason_statuses(self) -> None:
        """The statuses needing a reason are those of the CDAR schematron."""
        assert {"206", "207", "208", "210", "213"} == {s.value for s in S if s.needs_reason}

    def test_unknown_reason_code(self) -> None:
        """A reason code outside the French list is refused."""
        with pytest.raises(InvalidValue, match="BR-FR-CDV-CL-09"):
            StatusEvent(invoice_number="F-1", status="210", on=DAY, reason_code="BECAUSE")

    def test_unknown_status(self) -> None:
        """A code that is no status is refused."""
        with pytest.raises(InvalidValue, match="not a lifecycle status"):
            StatusEvent(invoice_number="F-1", status="299", on=DAY)

    def test_encashed_needs_amounts(self) -> None:
        """212 carries the amounts per VAT rate (BR-FR-CDV-14)."""
        with pytest.raises(InvalidValue, match="per VAT rate"):
            StatusEvent(invoice_number="F-1", status="212", on=DAY)

    def test_amounts_only_on_encashed(self) -> None:
        """Other statuses carry no amounts."""
        amounts = event(S.ENCAISSEE).amounts
        with pytest.raises(InvalidValue, match="only status 212"):
            StatusEvent(invoice_number="F-1", status="205", on=DAY, amounts=amounts)

    def test_labels(self) -> None:
        """Each status has its French name."""
        assert "Mise à disposition" == S("203").label


def issued(**fields: object):
    invoice, _ = issue(
        sample_invoice(**fields), sample_scheme(), SequenceState(), on=date(2025, 1, 15)
    )
    return invoice


class TestEncashmentEvents:
    def test_full_payment_matches_invoice(self) -> None:
        """Paid in full, the parts per rate add up to the invoice's gross and VAT per rate."""
        invoice = issued(
            lines=(sample_line(), sample_line(description="Livres", vat=FR_REDUCED, quantity="3"))
        )
        total = invoice.totals()
        allocation = PaymentAllocation(
            payment_id="P1",
            invoice_number=invoice.number,
            amount=total.amount_due,
            date=date(2025, 2, 1),
        )
        (encashed,) = encashment_events(invoice, [allocation])
        assert S.ENCAISSEE == encashed.status
        expected = [(b.vat.percent, b.taxable + b.amount, b.amount) for b in total.vat_breakdown]
        assert expected == [(a.vat_percent, a.amount, a.vat) for a in encashed.amounts]

    def test_from_settlement(self) -> None:
        """The allocations of settle() give one 212 per payment, in date order."""
        invoice = issued()
        payments = [
            Payment(
                id="P2",
                customer=invoice.buyer.key,
                amount=to_money("440.00", "EUR"),
                date=date(2025, 3, 1),
            ),
            Payment(
                id="P1",
                customer=invoice.buyer.key,
                amount=to_money("1000.00", "EUR"),
                date=date(2025, 2, 1),
            ),
        ]
        settlement = settle([invoice], payments, on=date(2025, 3, 2))
        events = encashment_events(invoice, settlement.allocations)
        assert [date(2025, 2, 1), date(2025, 3, 1)] == [e.on for e in events]
        assert invoice.totals().amount_due == sum(
            (e.amounts[0].amount for e in events), to_money(0, "EUR")
        )
        approval = [
            StatusEvent(invoice_number=e.invoice_number, status=e.status, on=date(2025, 1, 16))
            for e in path_to(S.APPROUVEE, invoice.number)
        ]
        state = fold_statuses([*approval, *events])
        assert invoice.totals().amount_due == state.encashed

    def test_other_invoices_ignored(self) -> None:
        """Allocations of other invoices give nothing."""
        invoice = issued()
        other = PaymentAllocation(
            payment_id="P1",
            invoice_number="X-1",
            amount=to_money("10.00", "EUR"),
            date=date(2025, 2, 1),
        )
        assert () == encashment_events(invoice, [other])

    def test_draft_refused(self) -> None:
        """A draft has no lifecycle."""
        with pytest.raises(InvalidValue, match="issued Invoice"):
            encashment_events(sample_invoice(), [])


class TestDunningExclusions:
    def test_refused_invoice_not_chased(self) -> None:
        """An invoice refused by the buyer leaves dunning; an approved one stays."""
        scheme = sample_scheme()
        refused, state = issue(sample_invoice(), scheme, SequenceState(), on=date(2025, 1, 15))
        approved, _ = issue(sample_invoice(), scheme, state, on=date(2025, 1, 15))
        refusal = StatusEvent(
            invoice_number=refused.number, status="210", on=DAY, reason_code="QTE_ERR"
        )
        states = [
            fold_statuses([*path_to(S.MISE_A_DISPOSITION, refused.number), refusal]),
            fold_statuses(path_to(S.APPROUVEE, approved.number)),
        ]
        exclusions = dunning_exclusions(states)
        assert [refused.number] == [e.invoice_number for e in exclusions]
        policy = DunningPolicy.french_default()
        actions = dunning_run(
            [refused, approved], [], policy, date(2025, 3, 1), exclusions=exclusions
        )
        assert [approved.number] == [a.invoice_number for a in actions]

    @pytest.mark.parametrize("status", [S.REFUSEE, S.REJETEE, S.EN_LITIGE, S.SUSPENDUE])
    def test_blocking_statuses(self, status: LifecycleStatus) -> None:
        """Refused, rejected, disputed and suspended invoices are not chased."""
        assert fold_statuses(path_to(status)).blocks_dunning

    @pytest.mark.parametrize("status", [S.APPROUVEE, S.MISE_A_DISPOSITION, S.PAIEMENT_TRANSMIS])
    def test_other_statuses(self, status: LifecycleStatus) -> None:
        """Other statuses leave dunning alone."""
        assert () == dunning_exclusions([fold_statuses(path_to(status))])


class TestVatDueOnReceipt:
    def test_services(self) -> None:
        """Services without the debits option: VAT due on receipt."""
        assert vat_due_on_receipt(sample_invoice())

    def test_goods(self) -> None:
        """Goods: VAT due on delivery."""
        assert not vat_due_on_receipt(sample_invoice(lines=(sample_line(supply="goods"),)))

    def test_debits_option(self) -> None:
        """A seller who opted for the debits owes VAT on invoicing."""
        invoice = sample_invoice()
        seller = attrs.evolve(invoice.seller, vat_on_debits=True)
        assert not vat_due_on_receipt(attrs.evolve(invoice, seller=seller))

    def test_not_an_invoice(self) -> None:
        """Anything else is refused."""
        with pytest.raises(InvalidValue):
            vat_due_on_receipt("F-1")  # type: ignore[arg-type]
