"""Tests for facturlib.projects.prebilling: engagements, missions, usage and prebill."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from facturlib.core.errors import BillingPlanError
from facturlib.core.issuing import issue
from facturlib.core.money import Money, to_money
from facturlib.core.numbering import SequenceState
from facturlib.core.periods import Period
from facturlib.core.vat import FR_STANDARD
from facturlib.projects.prebilling import (
    Engagement,
    FlatFeeMission,
    Portfolio,
    TimeMission,
    UnitMission,
    Usage,
    prebill,
)
from facturlib.testing.builders import sample_buyer, sample_scheme, sample_seller

MARCH = date(2025, 3, 1)
YEAR_2025 = Period(date(2025, 1, 1), date(2026, 1, 1))


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


def client(name: str, siren: str):
    return sample_buyer(name=name, siren=siren, vat_id=None)


def flat(fee: str = "1000.00", schedule=()) -> FlatFeeMission:
    return FlatFeeMission(
        id="compta",
        label="Tenue comptable",
        annual_fee=eur(fee),
        vat=FR_STANDARD,
        schedule=schedule,
    )


def payslips() -> UnitMission:
    return UnitMission(id="paie", label="Bulletins", unit_price=eur("25.50"), vat=FR_STANDARD)


def advice() -> TimeMission:
    return TimeMission(
        id="conseil",
        label="Conseil",
        vat=FR_STANDARD,
        rates={"alice": eur("150.00"), "bob": eur("95.00")},
    )


def portfolio() -> Portfolio:
    """Three clients: flat fee only; flat fee + payslips; payslips + time; one off-season."""
    return Portfolio(
        seller=sample_seller(),
        engagements=[
            Engagement(
                id="E1",
                client=client("Alpha", "732829320"),
                fiscal_year=YEAR_2025,
                missions=[flat()],
            ),
            Engagement(
                id="E2",
                client=client("Beta", "552081317"),
                fiscal_year=Period(date(2024, 7, 1), date(2025, 7, 1)),
                missions=[flat("1200.00"), payslips()],
            ),
            Engagement(
                id="E3",
                client=client("Gamma", "443061841"),
                fiscal_year=YEAR_2025,
                missions=[payslips(), advice()],
            ),
            Engagement(
                id="E4",
                client=client("Delta", "542065479"),
                fiscal_year=Period(date(2025, 4, 1), date(2026, 4, 1)),
                missions=[flat()],
            ),
        ],
    )


USAGE = [
    Usage(engagement="E2", mission="paie", quantity="4"),
    Usage(engagement="E3", mission="paie", quantity="10"),
    Usage(engagement="E3", mission="conseil", collaborator="alice", quantity="1.5"),
    Usage(engagement="E3", mission="conseil", collaborator="bob", quantity="2"),
    Usage(engagement="E3", mission="conseil", collaborator="alice", quantity="0.5"),
]


def issue_all(drafts):
    state = SequenceState()
    issued = []
    for draft in drafts:
        invoice, state = issue(draft, sample_scheme(), state, date(2025, 3, 31))
        issued.append(invoice)
    return issued


def described(invoice):
    return [(ln.description, ln.quantity, ln.unit_price.amount) for ln in invoice.lines]


class TestPrebill:
    def test_portfolio_mixing_mission_kinds(self) -> None:
        """One draft per client with work in March, a line per mission (per collaborator)."""
        drafts = prebill(portfolio(), MARCH, USAGE)

        assert ["Alpha", "Beta", "Gamma"] == [d.buyer.name for d in drafts]
        assert [("Tenue comptable – 03/2025", Decimal(1), Decimal("83.34"))] == described(drafts[0])
        assert [
            ("Tenue comptable – 03/2025", Decimal(1), Decimal("100.00")),
            ("Bulletins – 03/2025", Decimal(4), Decimal("25.50")),
        ] == described(drafts[1])
        assert [
            ("Bulletins – 03/2025", Decimal(10), Decimal("25.50")),
            ("Conseil – alice – 03/2025", Decimal(2), Decimal("150.00")),
            ("Conseil – bob – 03/2025", Decimal(2), Decimal("95.00")),
        ] == described(drafts[2])
        assert eur("745.00") == drafts[2].totals().tax_exclusive_total

    def test_lines_are_marked(self) -> None:
        """Lines carry their source (engagement/mission[/collaborator]) and the month."""
        drafts = prebill(portfolio(), MARCH, USAGE)
        march = Period(date(2025, 3, 1), date(2025, 4, 1))

        assert ["E3/paie", "E3/conseil/alice", "E3/conseil/bob"] == [
            ln.source_line for ln in drafts[2].lines
        ]
        assert {march} == {ln.period for d in drafts for ln in d.lines}
        assert (march, "E3", date(2025, 4, 30)) == (
            drafts[2].period,
            drafts[2].contract_reference,
            drafts[2].due_date,
        )

    def test_flat_fee_months_add_up(self) -> None:
        """The twelve months of a flat fee add up to the annual fee exactly."""
        months = [date(2025, m, 1) for m in range(1, 13)]
        total = sum(prebill(portfolio(), m)[0].totals().bt109 for m in months)

        assert Decimal("1000.00") == total

    def test_custom_schedule(self) -> None:
        """A schedule of weights: nothing in August, double in December."""
        schedule = [1] * 7 + [0, 1, 1, 1, 2]
        engagement = Engagement(
            id="E1",
            client=sample_buyer(),
            fiscal_year=YEAR_2025,
            missions=[flat("1200.00", schedule)],
        )
        book = Portfolio(seller=sample_seller(), engagements=[engagement])

        assert () == prebill(book, date(2025, 8, 20))
        assert eur("200.00") == prebill(book, date(2025, 12, 1))[0].totals().tax_exclusive_total

    def test_idempotent(self) -> None:
        """Run again with the issued invoices, nothing is billed twice."""
        drafts = prebill(portfolio(), MARCH, USAGE)

        assert () == prebill(portfolio(), MARCH, USAGE, issued=issue_all(drafts))

    def test_partly_issued(self) -> None:
        """Only the clients not yet invoiced are billed again."""
        drafts = prebill(portfolio(), MARCH, USAGE)
        again = prebill(portfolio(), MARCH, USAGE, issued=issue_all(drafts[:2]))

        assert [drafts[2].lines] == [d.lines for d in again]

    def test_late_hours_billed_as_complement(self) -> None:
        """Hours added after the month was billed are billed alone."""
        issued = issue_all(prebill(portfolio(), MARCH, USAGE))
        late = [*USAGE, Usage(engagement="E3", mission="conseil", collaborator="bob", quantity="1")]
        [draft] = prebill(portfolio(), MARCH, late, issued=issued)

        assert [("Conseil – bob – 03/2025", Decimal(1), Decimal("95.00"))] == described(draft)

    def test_other_month_not_covered(self) -> None:
        """Invoices of another month do not count."""
        issued = issue_all(prebill(portfolio(), MARCH, USAGE))

        assert 3 == len(prebill(portfolio(), date(2025, 4, 1), issued=issued))

    def test_several_engagements_of_one_client(self) -> None:
        """Two engagements of the same client make one invoice without a contract reference."""
        buyer = sample_buyer()
        book = Portfolio(
            seller=sample_seller(),
            engagements=[
                Engagement(id="A", client=buyer, fiscal_year=YEAR_2025, missions=[flat()]),
                Engagement(id="B", client=buyer, fiscal_year=YEAR_2025, missions=[payslips()]),
            ],
        )
        [draft] = prebill(book, MARCH, [Usage(engagement="B", mission="paie", quantity="1")])

        assert (["A/compta", "B/paie"], None) == (
            [ln.source_line for ln in draft.lines],
            draft.contract_reference,
        )

    def test_no_rate_for_collaborator(self) -> None:
        """Time by a collaborator the mission has no rate for is refused."""
        usage = [Usage(engagement="E3", mission="conseil", collaborator="carol", quantity="1")]
        with pytest.raises(BillingPlanError, match="no rate for collaborator 'carol'") as info:
            prebill(portfolio(), MARCH, usage)

        assert "alice, bob" in str(info.value.hint)

    @pytest.mark.parametrize(
        ("usage", "message"),
        [
            (Usage(engagement="E9", mission="paie", quantity="1"), "no engagement 'E9'"),
            (Usage(engagement="E3", mission="x", quantity="1"), "no mission 'x'"),
            (Usage(engagement="E1", mission="compta", quantity="1"), "flat fee"),
            (Usage(engagement="E3", mission="conseil", quantity="1"), "needs a collaborator"),
            (
                Usage(engagement="E3", mission="paie", collaborator="bob", quantity="1"),
                "per unit",
            ),
            (Usage(engagement="E4", mission="compta", quantity="1"), "does not cover 03/2025"),
        ],
    )
    def test_bad_usage(self, usage: Usage, message: str) -> None:
        """Usage that does not fit the portfolio is refused with a clear message."""
        with pytest.raises(BillingPlanError, match=message):
            prebill(portfolio(), MARCH, [usage])

    def test_bad_month(self) -> None:
        """The month is a date."""
        with pytest.raises(BillingPlanError, match=r"datetime\.date"):
            prebill(portfolio(), "2025-03")  # type: ignore[arg-type]


class TestValues:
    def test_fiscal_year_in_whole_months(self) -> None:
        """A fiscal year starts and ends on the 1st of a month."""
        with pytest.raises(BillingPlanError, match="whole months"):
            Engagement(
                id="E",
                client=sample_buyer(),
                fiscal_year=Period(date(2025, 1, 15), date(2026, 1, 15)),
                missions=[flat()],
            )

    def test_schedule_length(self) -> None:
        """A schedule has one weight per month."""
        with pytest.raises(BillingPlanError, match="11 months"):
            Engagement(
                id="E",
                client=sample_buyer(),
                fiscal_year=YEAR_2025,
                missions=[flat(schedule=[1] * 11)],
            )

    def test_schedule_weights(self) -> None:
        """Weights are zero or more, one at least positive."""
        with pytest.raises(BillingPlanError, match="weights"):
            flat(schedule=[0] * 12)

    def test_mixed_currencies(self) -> None:
        """An engagement's missions share one currency."""
        usd = UnitMission(id="u", label="U", unit_price=to_money("1", "USD"), vat=FR_STANDARD)
        with pytest.raises(BillingPlanError, match="one currency"):
            Engagement(id="E", client=sample_buyer(), fiscal_year=YEAR_2025, missions=[flat(), usd])

    def test_duplicate_mission_ids(self) -> None:
        """Mission ids are unique in an engagement."""
        with pytest.raises(BillingPlanError, match="unique"):
            Engagement(
                id="E", client=sample_buyer(), fiscal_year=YEAR_2025, missions=[flat(), flat()]
            )

    def test_slash_in_id(self) -> None:
        """Ids cannot hold '/', which separates the parts of source_line."""
        with pytest.raises(BillingPlanError, match="without '/'"):
            attrs.evolve(flat(), id="a/b")

    def test_time_mission_needs_rates(self) -> None:
        """A time mission has at least one rate."""
        with pytest.raises(BillingPlanError, match="at least one collaborator"):
            TimeMission(id="t", label="T", vat=FR_STANDARD, rates={})

    def test_negative_usage(self) -> None:
        """Usage is zero or more."""
        with pytest.raises(BillingPlanError, match="zero or more"):
            Usage(engagement="E", mission="m", quantity="-1")
