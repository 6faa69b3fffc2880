"""Tests for facturlib.projects.deposits: deposit and final invoices, deductions (DOMAIN.md §6)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from facturlib.core._codes import DocumentKind
from facturlib.core.documents import Invoice, Order
from facturlib.core.errors import BillingPlanError, FloatNotAllowed
from facturlib.core.issuing import issue
from facturlib.core.lines import Line
from facturlib.core.money import Money, to_money
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.core.vat import FR_REDUCED, FR_STANDARD, VatRate
from facturlib.projects.deposits import deposit_deductions, deposit_invoice, final_invoice
from facturlib.testing.builders import sample_buyer, sample_product_order, sample_seller

ON = date(2025, 1, 10)
AC = NumberingScheme(pattern="AC-{yyyy}-{seq:04}")


def eur(amount: str) -> Money:
    return to_money(amount, "EUR")


def line(price: str, vat: VatRate = FR_STANDARD) -> Line:
    return Line(description="Site web", quantity=1, unit_price=eur(price), vat=vat)


def order(*lines: Line, number: str = "BC-42") -> Order:
    return Order(
        seller=sample_seller(), buyer=sample_buyer(), currency="EUR", number=number, lines=lines
    )


def domain_order() -> Order:
    """DOMAIN.md §6: an order of 10 000 HT at 20 %."""
    return order(line("10000.00"))


def issued(*drafts: Invoice) -> list[Invoice]:
    state = SequenceState()
    result = []
    for draft in drafts:
        invoice, state = issue(draft, AC, state, ON, due_date=ON)
        result.append(invoice)
    return result


class TestDepositInvoice:
    def test_domain_30_percent(self) -> None:
        """DOMAIN.md §6: a 30 % deposit is 3 000 HT + 600 VAT = 3 600 TTC, type 386."""
        draft = deposit_invoice(domain_order(), percent="30")
        t = draft.totals()

        assert (eur("3000.00"), eur("600.00"), eur("3600.00")) == (
            t.tax_exclusive_total,
            t.vat_total,
            t.tax_inclusive_total,
        )
        assert "386" == draft.kind.code
        assert ("BC-42", "BC-42") == (draft.order_reference, draft.purchase_order)

    def test_keeps_the_nature_of_goods(self) -> None:
        """A deposit on an order of goods is a deposit on goods (BT-23 B1); on goods and
        services it keeps both (M1), or is services (S1) in the lump form."""
        from facturlib.core.documents import billing_framework
        from facturlib.core.lines import SupplyKind

        goods = attrs.evolve(line("100.00"), supply=SupplyKind.GOODS)
        mixed = order(goods, attrs.evolve(line("50.00"), id="2"))

        assert ("B1", "M1", "S1") == (
            billing_framework(deposit_invoice(order(goods), percent="30")),
            billing_framework(deposit_invoice(mixed, percent="30")),
            billing_framework(deposit_invoice(mixed, percent="30", lump=True)),
        )

    def test_amount_excluding_vat(self) -> None:
        """A deposit of 1 000 HT bills 1 000 HT + 200 VAT."""
        draft = deposit_invoice(domain_order(), amount=eur("1000.00"))

        assert eur("1200.00") == draft.totals().tax_inclusive_total
        assert ["Site web – 1 × 10 000,00 – 10 % facturé"] == [ln.description for ln in draft.lines]
        assert "Acompte sur commande BC-42" == draft.notes[-1].text

    def test_amount_including_vat(self) -> None:
        """A deposit of 1 000 TTC totals exactly 1 000 TTC: 833.33 HT + 166.67 VAT."""
        draft = deposit_invoice(domain_order(), amount=eur("1000.00"), includes_vat=True)
        t = draft.totals()

        assert (eur("833.33"), eur("166.67"), eur("1000.00")) == (
            t.tax_exclusive_total,
            t.vat_total,
            t.tax_inclusive_total,
        )

    def test_spread_over_rates(self) -> None:
        """A deposit on a two-rate order is split in proportion to each rate's amount."""
        deal = order(line("750.00"), line("250.00", FR_REDUCED))
        draft = deposit_invoice(deal, percent="10")

        assert [
            (FR_STANDARD, Decimal("75.00"), Decimal("15.00")),
            (
                FR_REDUCED,
                Decimal("25.00"),
                Decimal("1.38"),
            ),
        ] == list(draft.totals().vat_groups)

    def test_label(self) -> None:
        """The label can be given: a note, or the line description in the lump form."""
        draft = deposit_invoice(domain_order(), percent="30", label="Acompte à la commande")
        lump = deposit_invoice(
            domain_order(), percent="30", label="Acompte à la commande", lump=True
        )

        assert ("Acompte à la commande", "Acompte à la commande") == (
            draft.notes[-1].text,
            lump.lines[0].description,
        )

    def test_second_deposit_closes_the_order(self) -> None:
        """Two deposits of 50 % bill exactly the order, VAT included."""
        deal = order(line("0.03"), line("0.01", FR_REDUCED))
        first = deposit_invoice(deal, percent="50")
        second = deposit_invoice(deal, percent="50", previous=[first])

        assert deal.totals().bt112 == first.totals().bt112 + second.totals().bt112

    def test_too_much_after_previous(self) -> None:
        """A deposit beyond what remains is refused, saying what remains."""
        first = deposit_invoice(domain_order(), percent="80")
        with pytest.raises(BillingPlanError, match=r"2000\.00 EUR HT remains"):
            deposit_invoice(domain_order(), percent="30", previous=[first])

    def test_amount_too_large(self) -> None:
        """An amount above the order is refused."""
        with pytest.raises(BillingPlanError, match="exceeds"):
            deposit_invoice(domain_order(), amount=eur("10000.01"))

    def test_percent_and_amount(self) -> None:
        """Percentage or amount, not both and not neither."""
        with pytest.raises(BillingPlanError, match="either"):
            deposit_invoice(domain_order(), percent="10", amount=eur("10.00"))
        with pytest.raises(BillingPlanError, match="either"):
            deposit_invoice(domain_order())

    @pytest.mark.parametrize("percent", ["-5", "0", "101"])
    def test_bad_percent(self, percent: str) -> None:
        """A negative, zero or above-100 percentage is refused."""
        with pytest.raises(BillingPlanError, match="percentage"):
            deposit_invoice(domain_order(), percent=percent)

    def test_float_percent(self) -> None:
        """A float percentage is refused."""
        with pytest.raises(FloatNotAllowed):
            deposit_invoice(domain_order(), percent=30.0)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        "amount", [to_money("10.00", "USD"), to_money("-1.00", "EUR"), to_money("0.001", "EUR")]
    )
    def test_bad_amount(self, amount: Money) -> None:
        """An amount in another currency, negative, or below the minor unit is refused."""
        with pytest.raises(BillingPlanError):
            deposit_invoice(domain_order(), amount=amount)

    def test_rounds_to_nothing(self) -> None:
        """A percentage worth less than a cent is refused."""
        with pytest.raises(BillingPlanError, match="rounds to nothing"):
            deposit_invoice(order(line("0.10")), percent="1")

    def test_previous_not_a_deposit(self) -> None:
        """previous holds deposit invoices only."""
        invoice = domain_order().to_invoice()
        with pytest.raises(BillingPlanError, match="386"):
            deposit_invoice(domain_order(), percent="10", previous=[invoice])

    def test_previous_of_another_order(self) -> None:
        """A deposit of another order is refused."""
        other = deposit_invoice(order(line("10.00"), number="BC-1"), percent="10")
        with pytest.raises(BillingPlanError, match="order BC-1, not BC-42"):
            deposit_invoice(domain_order(), percent="10", previous=[other])


class TestFinalInvoice:
    def test_domain_example(self) -> None:
        """DOMAIN.md §6: 12 000 TTC − 3 600 deposit → 8 400 due (7 000 HT + 1 400 VAT)."""
        deal = domain_order()
        [deposit] = issued(deposit_invoice(deal, percent="30"))
        final = final_invoice(deal, [deposit], due_date=date(2025, 3, 31))
        t = final.totals()
        [deduction] = deposit_deductions(final, [deposit])

        assert (eur("10000.00"), eur("2000.00"), eur("12000.00")) == (
            t.tax_exclusive_total,
            t.vat_total,
            t.tax_inclusive_total,
        )
        assert (eur("3600.00"), eur("8400.00")) == (t.prepaid_total, t.amount_due)
        assert (eur("7000.00"), eur("1400.00")) == (
            t.tax_exclusive_total - deduction.taxable,
            t.vat_total - deduction.amount,
        )
        assert (deposit.reference,) == final.preceding
        assert DocumentKind.INVOICE is final.kind

    def test_100_percent_deposit_leaves_zero(self) -> None:
        """A 100 % deposit leaves a final invoice of exactly zero due."""
        deal = order(line("333.33"), line("0.07", FR_REDUCED), line("19.99"))
        [deposit] = issued(deposit_invoice(deal, percent="100"))
        final = final_invoice(deal, [deposit], due_date=ON)

        assert eur("0.00") == final.totals().amount_due

    def test_several_deposits(self) -> None:
        """Three deposits are all referred to and deducted."""
        deal = domain_order()
        first = deposit_invoice(deal, percent="10")
        second = deposit_invoice(deal, amount=eur("1000.00"), previous=[first])
        third = deposit_invoice(
            deal, amount=eur("600.00"), includes_vat=True, previous=[first, second]
        )
        deposits = issued(first, second, third)
        final = final_invoice(deal, deposits, due_date=ON)

        assert eur("3000.00") == final.totals().prepaid_total
        assert eur("9000.00") == final.totals().amount_due
        assert ["AC-2025-0001", "AC-2025-0002", "AC-2025-0003"] == [
            r.number for r in final.preceding
        ]

    def test_draft_deposit(self) -> None:
        """A draft deposit cannot be referred to: issue it first."""
        draft = deposit_invoice(domain_order(), percent="30")
        with pytest.raises(BillingPlanError, match="issued"):
            final_invoice(domain_order(), [draft])

    def test_more_deposit_than_order(self) -> None:
        """Deducting more deposit than the order holds is refused."""
        big = order(line("20000.00"))
        [deposit] = issued(deposit_invoice(big, percent="80"))
        with pytest.raises(BillingPlanError, match="exceed"):
            final_invoice(domain_order(), [deposit])

    def test_not_a_deposit_kind(self) -> None:
        """The final invoice is not a deposit invoice (BR-FR-CO-08)."""
        with pytest.raises(BillingPlanError, match="380"):
            final_invoice(domain_order(), [], kind=DocumentKind.DEPOSIT)

    def test_without_deposits(self) -> None:
        """With no deposit, the final invoice is the order's invoice."""
        final = final_invoice(domain_order(), [])

        assert (None, ()) == (final.prepaid, final.preceding)


class TestDepositDeductions:
    def test_per_rate(self) -> None:
        """Deductions come per VAT rate, in the document's order."""
        deal = order(line("750.00"), line("250.00", FR_REDUCED))
        deposit = deposit_invoice(deal, percent="10")

        assert [
            (FR_STANDARD, eur("75.00"), eur("15.00")),
            (FR_REDUCED, eur("25.00"), eur("1.38")),
        ] == [(d.vat, d.taxable, d.amount) for d in deposit_deductions(deal, [deposit])]

    def test_rate_missing(self) -> None:
        """A deposit at a rate the document does not have is refused."""
        deposit = deposit_invoice(order(line("100.00", FR_REDUCED)), percent="10")
        with pytest.raises(BillingPlanError, match=r"S 5\.5%"):
            deposit_deductions(domain_order(), [deposit])

    def test_other_currency(self) -> None:
        """A deposit in another currency is refused."""
        deposit = deposit_invoice(domain_order(), percent="10")
        usd = attrs.evolve(
            deposit,
            currency="USD",
            lines=[attrs.evolve(deposit.lines[0], unit_price=to_money("1000.00", "USD"))],
        )
        with pytest.raises(BillingPlanError, match="USD"):
            deposit_deductions(domain_order(), [usd])

    def test_none(self) -> None:
        """No deposits, no deductions."""
        assert () == deposit_deductions(domain_order(), [])


class TestWrongInput:
    def test_previous_as_generator(self) -> None:
        """The earlier deposits may be any iterable: a generator counts like a list."""
        deal = domain_order()
        first = issued(deposit_invoice(deal, percent="30"))
        expected = deposit_invoice(deal, percent="70", previous=first)
        assert expected == deposit_invoice(deal, percent="70", previous=(d for d in first))

    def test_previous_generator_by_amount(self) -> None:
        """Earlier deposits given as a generator still count: no deposit beyond the order."""
        deal = domain_order()
        first = issued(deposit_invoice(deal, percent="60"))
        with pytest.raises(BillingPlanError, match="exceeds what remains"):
            deposit_invoice(deal, amount=eur("6000.00"), previous=(d for d in first))

    def test_previous_none(self) -> None:
        """No earlier deposits may be given as None."""
        deal = domain_order()
        assert deposit_invoice(deal, percent="30") == deposit_invoice(
            deal, percent="30", previous=None
        )

    @pytest.mark.parametrize(
        ("call", "field"),
        [
            (lambda: deposit_invoice(domain_order(), percent="30", previous=3), "previous"),
            (lambda: deposit_invoice(domain_order(), percent="30", previous=[None]), "previous[0]"),
            (
                lambda: deposit_invoice(domain_order(), amount=eur("1.00"), includes_vat="yes"),
                "includes_vat",
            ),
            (lambda: deposit_deductions(None, []), "document"),
            (lambda: deposit_deductions(domain_order(), object()), "deposits"),
            (lambda: final_invoice(domain_order(), 1), "deposits"),
            (lambda: final_invoice(domain_order(), [domain_order()]), "deposits[0]"),
        ],
    )
    def test_arguments(self, call: object, field: str) -> None:
        """A wrong argument raises BillingPlanError naming it, not TypeError."""
        with pytest.raises(BillingPlanError) as raised:
            call()  # type: ignore[operator]
        assert field == raised.value.field


def product_order() -> Order:
    """18 000.00 + 999.99 HT at 20 % and 90.93 HT at 5.5 %: 19 090.92 HT."""
    return sample_product_order()


def nets(invoice: Invoice) -> list[Decimal]:
    return list(invoice.totals().line_nets)


class TestDepositProductLines:
    def test_amount_split_by_hand(self) -> None:
        """1 000.00 HT: 995.24 at 20 % and 4.76 at 5.5 % (largest remainder); 995.24 over
        18 000.00 and 999.99 gives 942.86 and 52.38; the share shown is 1 000 / 19 090.92."""
        draft = deposit_invoice(product_order(), amount=eur("1000.00"))

        assert (
            [Decimal("942.86"), Decimal("52.38"), Decimal("4.76")],
            "Développement – 20 × 900,00 – 5,24 % facturé",
            ["DEV", "LIC", "BK"],
        ) == (nets(draft), draft.lines[0].description, [ln.product_id for ln in draft.lines])

    def test_deposits_add_up_to_each_line(self) -> None:
        """30 % then the rest (70 %): each order line is billed exactly once in full."""
        first = issued(deposit_invoice(product_order(), percent="30"))
        rest = deposit_invoice(product_order(), percent="70", previous=first)

        assert [Decimal("18000.00"), Decimal("999.99"), Decimal("90.93")] == [
            a + b for a, b in zip(nets(first[0]), nets(rest), strict=True)
        ]

    def test_final_invoice_stays_right(self) -> None:
        """A final invoice after a 30 % product-form deposit: full price, deposit deducted."""
        deposit = issued(deposit_invoice(product_order(), percent="30"))
        final = final_invoice(product_order(), deposit, due_date=ON)
        deposit_totals = deposit[0].totals()

        assert (
            deposit_totals.bt112,
            final.totals().bt112 - deposit_totals.bt112,
            [(d.taxable, d.amount) for d in deposit_deductions(final, deposit)],
        ) == (
            final.totals().bt113,
            final.totals().bt115,
            [(Money(t, "EUR"), Money(v, "EUR")) for _vat, t, v in deposit_totals.vat_groups],
        )

    def test_same_rates_as_lump(self) -> None:
        """Per VAT rate, the deposit bills what the lump form bills."""
        itemized = deposit_invoice(product_order(), amount=eur("1234.56"), includes_vat=True)
        lump = deposit_invoice(product_order(), amount=eur("1234.56"), includes_vat=True, lump=True)

        assert lump.totals().vat_groups == itemized.totals().vat_groups
