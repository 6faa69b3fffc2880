"""Tests for facturlib.projects.milestones: Milestone, BillingPlan, milestone_invoices."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from facturlib.core._codes import DocumentKind
from facturlib.core.documents import Order, Quote
from facturlib.core.errors import BillingPlanError, FloatNotAllowed
from facturlib.core.lines import DocumentCharge, Line
from facturlib.core.money import Money, RoundingPolicy, to_money
from facturlib.core.vat import FR_REDUCED, FR_STANDARD, VatRate
from facturlib.projects.milestones import BillingPlan, Milestone, MilestoneKind, milestone_invoices
from facturlib.testing.builders import sample_buyer, sample_product_order, sample_seller

START = date(2025, 1, 31)


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


def order(*lines: Line, currency: str = "EUR", **fields: object) -> Order:
    return Order(
        seller=sample_seller(), buyer=sample_buyer(), currency=currency, lines=lines, **fields
    )


def line(quantity: str, price: Money, vat: VatRate = FR_STANDARD) -> Line:
    return Line(description="Prestation", quantity=quantity, unit_price=price, vat=vat)


def multi_line_deal() -> Order:
    """Three lines at two VAT rates: 2 234.56 HT at 20 %, 90.93 HT at 5.5 %."""
    return order(
        line("3", eur("333.33")),
        line("7", eur("12.99"), FR_REDUCED),
        line("1", eur("1234.57")),
        number="BC-1",
    )


def per_rate(invoice):
    return {vat.label: (t, v) for vat, t, v in invoice.totals().vat_groups}


def sums(invoices):
    result: dict[str, tuple[Decimal, Decimal]] = {}
    for invoice in invoices:
        for label, (t, v) in per_rate(invoice).items():
            a, b = result.get(label, (Decimal(0), Decimal(0)))
            result[label] = (a + t, b + v)
    return result


class TestMilestone:
    def test_offsets_clip_to_month_end(self) -> None:
        """31 January + 1 month is the last day of February."""
        milestone = Milestone(label="Solde", percent="50", after_months=1)

        assert date(2025, 2, 28) == milestone.date_from(START)

    def test_months_then_days(self) -> None:
        """Months are added before days."""
        milestone = Milestone(label="Solde", percent="50", after_months=1, after_days=2)

        assert date(2025, 3, 2) == milestone.date_from(START)

    def test_fixed_date_wins(self) -> None:
        """A fixed date needs no start."""
        assert date(2025, 6, 1) == Milestone(label="A", percent="1", on=date(2025, 6, 1)).date_from(
            None
        )

    def test_no_date_no_start(self) -> None:
        """Without a date or a start, the error asks for start=."""
        with pytest.raises(BillingPlanError, match="start="):
            Milestone(label="A", percent="1").date_from(None)

    def test_date_and_offset(self) -> None:
        """A milestone has a date or an offset, not both."""
        with pytest.raises(BillingPlanError, match="not both"):
            Milestone(label="A", percent="1", on=START, after_days=3)

    @pytest.mark.parametrize("percent", ["-10", "0", "100.01"])
    def test_percent_out_of_range(self, percent: str) -> None:
        """A negative, zero or above-100 percentage is refused."""
        with pytest.raises(BillingPlanError) as info:
            Milestone(label="A", percent=percent)

        assert "percent" == info.value.field
        assert Decimal(percent) == info.value.value

    def test_float_percent(self) -> None:
        """A float percentage is refused."""
        with pytest.raises(FloatNotAllowed):
            Milestone(label="A", percent=10.0)  # type: ignore[arg-type]

    def test_too_many_decimals(self) -> None:
        """A percentage has at most 4 decimals."""
        with pytest.raises(BillingPlanError, match="4 decimals"):
            Milestone(label="A", percent="33.33333")

    def test_negative_offset(self) -> None:
        """Offsets are zero or more."""
        with pytest.raises(BillingPlanError):
            Milestone(label="A", percent="1", after_days=-1)

    def test_empty_label(self) -> None:
        """A milestone needs a label."""
        with pytest.raises(BillingPlanError, match="label"):
            Milestone(label="  ", percent="1")

    def test_kind_by_value(self) -> None:
        """The kind may be given by its value."""
        assert MilestoneKind.DEPOSIT == Milestone(label="A", percent="1", kind="deposit").kind


class TestBillingPlan:
    def test_sum_not_100_names_the_sum(self) -> None:
        """A plan not adding up to 100 % is refused and the error gives the sum."""
        with pytest.raises(BillingPlanError, match="add up to 110 %") as info:
            BillingPlan(
                milestones=[Milestone(label="A", percent="60"), Milestone(label="B", percent="50")]
            )

        assert "remove 10 %" in str(info.value)

    def test_empty(self) -> None:
        """A plan needs a milestone."""
        with pytest.raises(BillingPlanError, match="at least one"):
            BillingPlan(milestones=[])

    def test_not_a_milestone(self) -> None:
        """Only Milestone values make a plan."""
        with pytest.raises(BillingPlanError, match="Milestone"):
            BillingPlan(milestones=[{"label": "A", "percent": "100"}])

    def test_deposit_after_intermediate(self) -> None:
        """Deposits come first."""
        with pytest.raises(BillingPlanError, match="deposit"):
            BillingPlan(
                milestones=[
                    Milestone(label="A", percent="50"),
                    Milestone(label="B", percent="50", kind="deposit"),
                ]
            )

    def test_balance_not_last(self) -> None:
        """Only the last milestone is the balance."""
        with pytest.raises(BillingPlanError, match="balance"):
            BillingPlan(
                milestones=[
                    Milestone(label="A", percent="50", kind="balance"),
                    Milestone(label="B", percent="50"),
                ]
            )

    def test_dates_backwards(self) -> None:
        """A milestone dated before the previous one is refused."""
        plan = BillingPlan(
            milestones=[
                Milestone(label="A", percent="50", after_months=2),
                Milestone(label="B", percent="50", after_months=1),
            ]
        )
        with pytest.raises(BillingPlanError, match="falls before"):
            plan.dates(START)

    def test_in_installments(self) -> None:
        """Billing in 3 times: 33.34 / 33.33 / 33.33 %, monthly, the last a balance."""
        plan = BillingPlan.in_installments(3)

        assert [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")] == [
            m.percent for m in plan.milestones
        ]
        assert [MilestoneKind.INTERMEDIATE, MilestoneKind.INTERMEDIATE, MilestoneKind.BALANCE] == [
            m.kind for m in plan.milestones
        ]
        assert (date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31)) == plan.dates(START)

    def test_single_installment(self) -> None:
        """One installment is 100 %."""
        assert [Decimal(100)] == [m.percent for m in BillingPlan.in_installments(1).milestones]

    @pytest.mark.parametrize("count", [0, 101, True])
    def test_bad_installment_count(self, count: int) -> None:
        """The count is a whole number from 1 to 100."""
        with pytest.raises(BillingPlanError, match="installments"):
            BillingPlan.in_installments(count)

    def test_deposit_and_balance(self) -> None:
        """10 % on signature, 90 % one month later."""
        plan = BillingPlan.deposit_and_balance("10")

        assert [Decimal(10), Decimal(90)] == [m.percent for m in plan.milestones]
        assert (START, date(2025, 2, 28)) == plan.dates(START)

    def test_deposit_of_100(self) -> None:
        """A 100 % deposit leaves no balance to plan."""
        with pytest.raises(BillingPlanError, match="no balance"):
            BillingPlan.deposit_and_balance("100")


class TestMilestoneInvoices:
    def test_domain_30_40_30(self) -> None:
        """DOMAIN.md §6: 30/40/30 % of 10 000 → 3 000, 4 000, 3 000."""
        plan = BillingPlan(
            milestones=[
                Milestone(label="A", percent="30"),
                Milestone(label="B", percent="40"),
                Milestone(label="C", percent="30"),
            ]
        )
        drafts = milestone_invoices(order(line("1", eur("10000.00"))), plan, start=START)

        assert [Decimal("3000.00"), Decimal("4000.00"), Decimal("3000.00")] == [
            d.totals().tax_exclusive_total.amount for d in drafts
        ]
        assert [Decimal("600.00"), Decimal("800.00"), Decimal("600.00")] == [
            d.totals().vat_total.amount for d in drafts
        ]

    def test_10_90_multi_line_deal(self) -> None:
        """10 %/90 % of a three-line deal at two rates: each rate adds up to the deal."""
        deal = multi_line_deal()
        deposit, balance = milestone_invoices(
            deal, BillingPlan.deposit_and_balance("10"), start=START
        )

        assert {
            "S 20%": (Decimal("223.46"), Decimal("44.69")),
            "S 5.5%": (Decimal("9.09"), Decimal("0.50")),
        } == per_rate(deposit)
        assert {
            "S 20%": (Decimal("2011.10"), Decimal("402.22")),
            "S 5.5%": (Decimal("81.84"), Decimal("4.50")),
        } == per_rate(balance)
        assert per_rate_of_deal(deal) == sums([deposit, balance])
        assert deal.totals().tax_inclusive_total == (
            deposit.totals().tax_inclusive_total + balance.totals().tax_inclusive_total
        )
        assert (DocumentKind.DEPOSIT, DocumentKind.INVOICE) == (deposit.kind, balance.kind)

    def test_three_installments_not_dividing_evenly(self) -> None:
        """1 000.01 in 3 times: 333.40, 333.31, 333.30; VAT 66.68, 66.66, 66.66 = 200.00."""
        drafts = milestone_invoices(
            order(line("1", eur("1000.01"))), BillingPlan.in_installments(3), start=START
        )

        assert [
            (Decimal("333.40"), Decimal("66.68")),
            (Decimal("333.31"), Decimal("66.66")),
            (Decimal("333.30"), Decimal("66.66")),
        ] == [(d.totals().bt109, d.totals().bt110) for d in drafts]

    def test_three_installments_two_rates_state_vat(self) -> None:
        """Where a share's own rounding differs, its VAT is stated to keep the sum exact."""
        deal = multi_line_deal()
        drafts = milestone_invoices(deal, BillingPlan.in_installments(3), start=START)

        assert per_rate_of_deal(deal) == sums(drafts)
        assert [(), ("S 5.5%",), ("S 20%",)] == [
            tuple(s.vat.label for s in d.stated_vat) for d in drafts
        ]

    def test_lines_and_references(self) -> None:
        """lump=True: one line per rate, naming the milestone and the order; references."""
        deposit, _ = milestone_invoices(
            multi_line_deal(), BillingPlan.deposit_and_balance("10"), start=START, lump=True
        )

        assert [
            "Acompte à la signature – 10 % – commande BC-1 (TVA S 20%)",
            "Acompte à la signature – 10 % – commande BC-1 (TVA S 5.5%)",
        ] == [ln.description for ln in deposit.lines]
        assert ("BC-1", "BC-1") == (deposit.order_reference, deposit.purchase_order)

    def test_due_dates(self) -> None:
        """Due dates are the milestone dates plus payment_days."""
        drafts = milestone_invoices(
            multi_line_deal(), BillingPlan.deposit_and_balance("10"), start=START, payment_days=10
        )

        assert [date(2025, 2, 10), date(2025, 3, 10)] == [d.due_date for d in drafts]

    def test_drafts_carry_their_planned_date(self) -> None:
        """Each draft is dated on its milestone's date, as subscription drafts are, so
        the caller knows when to issue it without zipping with plan.dates()."""
        plan = BillingPlan.deposit_and_balance("10")
        drafts = milestone_invoices(multi_line_deal(), plan, start=START, payment_days=10)

        assert list(plan.dates(START)) == [d.issue_date for d in drafts]
        assert all(d.number is None for d in drafts)

    def test_quote_as_deal(self) -> None:
        """A quote is billed the same way and referred to as the quote."""
        quote = Quote(
            seller=sample_seller(),
            buyer=sample_buyer(),
            currency="EUR",
            number="D-7",
            lines=[line("1", eur("100.00"))],
        )
        drafts = milestone_invoices(quote, BillingPlan.in_installments(2), start=START)

        assert ["D-7", "D-7"] == [d.quote_reference for d in drafts]

    def test_document_charges_and_discount_are_shared(self) -> None:
        """The shares carry the deal's charges and discounts: they add up to its totals."""
        deal = order(
            line("3", eur("99.99")),
            charges=[DocumentCharge(amount=eur("15.00"), vat=FR_STANDARD, reason="Port")],
        )
        drafts = milestone_invoices(deal, BillingPlan.in_installments(7), start=START)

        assert per_rate_of_deal(deal) == sums(drafts)

    @pytest.mark.parametrize(("code", "price"), [("JPY", "100001"), ("KWD", "1000.001")])
    def test_other_minor_units(self, code: str, price: str) -> None:
        """JPY (0 decimals) and KWD (3 decimals) add up to the deal too."""
        deal = order(line("1", to_money(price, code)), currency=code)
        drafts = milestone_invoices(deal, BillingPlan.in_installments(3), start=START)

        assert per_rate_of_deal(deal) == sums(drafts)

    def test_tiny_deal_zero_milestone(self) -> None:
        """A milestone too small for a cent bills zero, and the rest still adds up."""
        deal = order(line("1", eur("0.01")))
        drafts = milestone_invoices(deal, BillingPlan.in_installments(3), start=START)

        assert [Decimal("0.00"), Decimal("0.01"), Decimal("0.00")] == [
            d.totals().bt109 for d in drafts
        ]

    def test_per_line_rounding(self) -> None:
        """A deal rounding VAT per line keeps its own VAT total across the milestones."""
        deal = order(
            *[line("1", eur("1.01")) for _ in range(3)],
            rounding=RoundingPolicy(vat_rounding="per_line"),
        )
        drafts = milestone_invoices(deal, BillingPlan.deposit_and_balance("30"), start=START)

        assert Decimal("0.60") == sum(d.totals().bt110 for d in drafts)

    def test_not_a_deal(self) -> None:
        """Only quotes and orders are billed by a plan."""
        with pytest.raises(BillingPlanError, match="Quote or an Order"):
            milestone_invoices("BC-1", BillingPlan.in_installments(2), start=START)  # type: ignore[arg-type]

    def test_not_a_plan(self) -> None:
        """The plan must be a BillingPlan."""
        with pytest.raises(BillingPlanError, match="BillingPlan"):
            milestone_invoices(multi_line_deal(), [("A", "100")], start=START)  # type: ignore[arg-type]

    def test_does_not_mutate(self) -> None:
        """The deal and the plan are left as they were."""
        deal = multi_line_deal()
        plan = BillingPlan.in_installments(3)
        before = (deal.lines, plan.milestones)
        milestone_invoices(deal, plan, start=START)

        assert before == (deal.lines, plan.milestones)


def per_rate_of_deal(deal: Order) -> dict[str, tuple[Decimal, Decimal]]:
    return {vat.label: (t, v) for vat, t, v in deal.totals().vat_groups}


def product_deal(**fields: object) -> Order:
    """18 000.00 + 999.99 HT at 20 % and 90.93 HT at 5.5 %, three products."""
    return sample_product_order(**fields)


PLAN_10_40_50 = BillingPlan(
    milestones=[
        Milestone(label="Acompte", percent="10", kind="deposit"),
        Milestone(label="Livraison", percent="40", after_months=1),
        Milestone(label="Solde", percent="50", kind="balance", after_months=2),
    ]
)


def by_source(invoices) -> dict[str, list[Decimal]]:
    result: dict[str, list[Decimal]] = {}
    for invoice in invoices:
        for ln, net in zip(invoice.lines, invoice.totals().line_nets, strict=True):
            result.setdefault(str(ln.source_line), []).append(net)
    return result


class TestMilestoneProductLines:
    """Milestone invoices keep the deal's products (the default since 0.2)."""

    def test_descriptions(self) -> None:
        """Each deal line appears with what it is and the share billed."""
        first = milestone_invoices(product_deal(), PLAN_10_40_50, start=START)[0]

        assert [
            "Développement – 20 × 900,00 – 10 % facturé",
            "Licence – 3 × 333,33 – 10 % facturé",
            "Livres – 7 × 12,99 – 10 % facturé",
        ] == [ln.description for ln in first.lines]

    def test_lines_keep_products(self) -> None:
        """Product id, VAT rate, supply and the deal line's id survive; one lump sum each."""
        first = milestone_invoices(product_deal(), PLAN_10_40_50, start=START)[0]

        assert [
            ("DEV", "A", FR_STANDARD, None, Decimal(1), "LS"),
            ("LIC", "B", FR_STANDARD, None, Decimal(1), "LS"),
            ("BK", "C", FR_REDUCED, "goods", Decimal(1), "LS"),
        ] == [
            (
                ln.product_id,
                ln.source_line,
                ln.vat,
                ln.supply and ln.supply.value,
                ln.quantity,
                ln.unit,
            )
            for ln in first.lines
        ]

    def test_figures_by_hand(self) -> None:
        """10 %: 20 % rate 1 900.00 (1 800.00 + 100.00 by largest remainder), 5.5 % 9.09;
        50 %: 9 500.00 → 7 200.00 + 400.00, 45.47 → 36.38; the balance takes the rest."""
        invoices = milestone_invoices(product_deal(), PLAN_10_40_50, start=START)

        assert {
            "A": [Decimal("1800.00"), Decimal("7200.00"), Decimal("9000.00")],
            "B": [Decimal("100.00"), Decimal("400.00"), Decimal("499.99")],
            "C": [Decimal("9.09"), Decimal("36.38"), Decimal("45.46")],
        } == by_source(invoices)

    def test_vat_by_hand(self) -> None:
        """First milestone: 380.00 VAT at 20 %, round(9.09 × 5.5 %) = 0.50; TTC 2 289.59."""
        first = milestone_invoices(product_deal(), PLAN_10_40_50, start=START)[0]
        totals = first.totals()

        assert (Decimal("1909.09"), Decimal("380.50"), Decimal("2289.59")) == (
            totals.bt109,
            totals.bt110,
            totals.bt112,
        )

    def test_same_rates_as_lump(self) -> None:
        """Per VAT rate, each invoice bills what the lump form bills."""
        deal = product_deal()
        itemized = milestone_invoices(deal, PLAN_10_40_50, start=START)
        lump = milestone_invoices(deal, PLAN_10_40_50, start=START, lump=True)

        assert [per_rate(i) for i in lump] == [per_rate(i) for i in itemized]

    def test_label_is_a_note(self) -> None:
        """The milestone's label becomes a note of the invoice (BT-22)."""
        first = milestone_invoices(product_deal(), PLAN_10_40_50, start=START)[0]

        assert "Acompte – 10 % – commande BC-9" == first.notes[-1].text

    def test_charges_and_discount_follow(self) -> None:
        """Shipping (FC) and a global discount are billed by share and add up to the deal's."""
        from facturlib.core.lines import Discount

        deal = product_deal(
            charges=[
                DocumentCharge(
                    amount=eur("50.00"), vat=FR_STANDARD, reason="Port", reason_code="FC"
                )
            ],
            global_discount=Discount(percent="5"),
        )
        invoices = milestone_invoices(deal, PLAN_10_40_50, start=START)
        charges = [c.amount.amount for i in invoices for c in i.totals().charges]
        allowances = sum(
            (a.amount.amount for i in invoices for a in i.totals().allowances), Decimal(0)
        )

        assert (
            [Decimal("5.00"), Decimal("20.00"), Decimal("25.00")],
            {"FC"},
            deal.totals().bt107,
            sums(invoices),
        ) == (
            charges,
            {c.reason_code for i in invoices for c in i.charges},
            allowances,
            per_rate(deal),
        )

    def test_negative_line(self) -> None:
        """A negative deal line (a trade-in) is billed as negative shares (quantity −1)."""
        deal = order(
            Line(description="Machine", quantity=1, unit_price=eur("1000.00"), vat=FR_STANDARD),
            Line(description="Reprise", quantity=-1, unit_price=eur("100.00"), vat=FR_STANDARD),
        )
        first = milestone_invoices(deal, BillingPlan.deposit_and_balance("30"), start=START)[0]

        assert [(Decimal(1), Decimal("300.00")), (Decimal(-1), Decimal("30.00"))] == [
            (ln.quantity, ln.unit_price.amount) for ln in first.lines
        ]

    def test_discounted_line_shows_its_net(self) -> None:
        """A line with a discount shows its net: "10 × 100,00 (net 900,00)"."""
        from facturlib.core.lines import Discount

        deal = order(
            Line(
                description="Stage",
                quantity=10,
                unit_price=eur("100.00"),
                vat=FR_STANDARD,
                discounts=[Discount(percent="10")],
            ),
        )
        first = milestone_invoices(deal, BillingPlan.in_installments(2), start=START)[0]

        assert ("Stage – 10 × 100,00 (net 900,00) – 50 % facturé", Decimal("450.00")) == (
            first.lines[0].description,
            first.totals().bt106,
        )

    def test_tiny_milestone_bills_zero(self) -> None:
        """A milestone worth less than a cent bills one zero line, as in the lump form."""
        deal = order(line("1", eur("0.10")))
        plan = BillingPlan(
            milestones=[Milestone(label="A", percent="1"), Milestone(label="B", percent="99")]
        )
        first = milestone_invoices(deal, plan, start=START)[0]

        assert (1, Decimal("0.00")) == (len(first.lines), first.totals().bt112)

    def test_lump_must_be_bool(self) -> None:
        """lump is True or False."""
        with pytest.raises(BillingPlanError, match="lump"):
            milestone_invoices(product_deal(), PLAN_10_40_50, start=START, lump="no")  # type: ignore[arg-type]


class TestMilestoneRevenueByProduct:
    def test_journal_books_each_product_on_its_account(self) -> None:
        """The sales journal credits each product's revenue account and analytic code; over
        the plan, each account gets exactly its products' net (18 999.99 on 706, 90.93 on 707)."""
        from facturlib.accounting.accounts import ChartOfAccounts, RevenueKind
        from facturlib.accounting.journal import journal_for
        from facturlib.core.issuing import issue
        from facturlib.core.numbering import NumberingScheme, SequenceState

        chart = (
            ChartOfAccounts()
            .with_product("DEV", kind=RevenueKind.SERVICES, analytics=("PROJ", None))
            .with_product("LIC", kind=RevenueKind.SERVICES, analytics=("PROJ", None))
            .with_product("BK", kind=RevenueKind.GOODS, analytics=("LIBR", None))
        )
        plan = BillingPlan.in_installments(3)
        state = SequenceState()
        credits: dict[tuple[str, str | None], Decimal] = {}
        for draft in milestone_invoices(product_deal(), plan, start=START, payment_days=30):
            invoice, state = issue(
                draft, NumberingScheme(pattern="FA-{yyyy}-{seq:04}"), state, on=draft.issue_date
            )
            for jl in journal_for(invoice, chart=chart).lines:
                if jl.account.number.startswith("70"):
                    key = (jl.account.number, jl.analytic1)
                    credits[key] = credits.get(key, Decimal(0)) - jl.amount.amount

        assert {
            ("706000", "PROJ"): Decimal("18999.99"),
            ("707000", "LIBR"): Decimal("90.93"),
        } == credits
