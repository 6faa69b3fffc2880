"""E-reporting datasets on a known set of sales."""

from __future__ import annotations

import csv
import io
import itertools
import json
from datetime import date
from decimal import Decimal

import attrs
import pytest
from moneyed import Money

from facturlib.core.credit_notes import credit_note
from facturlib.core.errors import InvalidValue
from facturlib.core.issuing import issue
from facturlib.core.money import to_money
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.core.parties import Address, Party
from facturlib.core.periods import Period
from facturlib.core.vat import FR_REDUCED, VatRate
from facturlib.einvoice.ereporting import (
    ReportingCadence,
    SaleCategory,
    classify_sale,
    e_reporting,
)
from facturlib.receivables.payments import PaymentAllocation
from facturlib.testing.builders import sample_invoice, sample_line

CONSUMER = Party(name="Jeanne Martin", address=Address(city="Nantes", country_code="FR"))
GERMAN = Party(
    name="Kunde GmbH", address=Address(city="Berlin", country_code="DE"), vat_id="DE136695976"
)
SCHEME = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")


def eur(value: str) -> Money:
    return to_money(value, "EUR")


@pytest.fixture(scope="module")
def sales() -> list:
    """Two B2C sales on 2 Sep (one at two rates), one on 12 Sep, one German sale, one B2B."""
    state = SequenceState()
    made = []
    drafts = [
        (date(2026, 9, 2), sample_invoice(buyer=CONSUMER, due_date=date(2026, 9, 30))),
        (
            date(2026, 9, 2),
            sample_invoice(
                buyer=CONSUMER,
                due_date=date(2026, 9, 30),
                lines=(
                    sample_line(),
                    sample_line(
                        description="Livre", quantity="2", unit_price=eur("10.00"), vat=FR_REDUCED
                    ),
                ),
            ),
        ),
        (date(2026, 9, 12), sample_invoice(buyer=CONSUMER, due_date=date(2026, 9, 30))),
        (
            date(2026, 9, 3),
            sample_invoice(
                buyer=GERMAN,
                due_date=date(2026, 9, 30),
                lines=(sample_line(vat=VatRate.reverse_charge()),),
            ),
        ),
        (date(2026, 9, 4), sample_invoice(due_date=date(2026, 9, 30))),
    ]
    for day, draft in sorted(drafts, key=lambda pair: pair[0]):
        invoice, state = issue(draft, SCHEME, state, on=day)
        made.append(invoice)
    # issued in date order; returned in the order of the drafts above
    return [made[i] for i in (0, 1, 4, 2, 3)]


class TestClassifySale:
    def test_categories(self, sales: list) -> None:
        """Consumers are B2C, a German company B2BINT, a French company domestic B2B."""
        assert [
            SaleCategory.B2C,
            SaleCategory.B2C,
            SaleCategory.B2C,
            SaleCategory.INTERNATIONAL_B2B,
            SaleCategory.DOMESTIC_B2B,
        ] == [classify_sale(s) for s in sales]


class TestEReporting:
    def test_b2c_per_day_and_rate(self, sales: list) -> None:
        """B2C sales are aggregated per day and VAT rate, with their count."""
        period = ReportingCadence.TEN_DAYS.period_of(date(2026, 9, 2))
        report = e_reporting(sales, cadence=ReportingCadence.TEN_DAYS, period=period)
        line = sales[0].totals()
        assert [
            (date(2026, 9, 2), "S", Decimal("5.5"), eur("20.00"), eur("1.10"), 1),
            (
                date(2026, 9, 2),
                "S",
                Decimal("20"),
                line.tax_exclusive_total * 2,
                line.vat_total * 2,
                2,
            ),
        ] == [(r.day, r.category, r.vat_percent, r.taxable, r.vat, r.count) for r in report.b2c]

    def test_international_per_invoice(self, sales: list) -> None:
        """The German sale is reported on its own, with the buyer's VAT id."""
        period = ReportingCadence.MONTHLY.period_of(date(2026, 9, 1))
        report = e_reporting(sales, cadence=ReportingCadence.MONTHLY, period=period)
        (sale,) = report.international
        assert (sales[3].number, "DE136695976", "DE", "AE") == (
            sale.number,
            sale.buyer_vat_id,
            sale.buyer_country,
            sale.category,
        )
        assert 2 == len({r.day for r in report.b2c})

    def test_cut_by_period(self, sales: list) -> None:
        """The 11–20 period holds only the sale of 12 Sep."""
        period = ReportingCadence.TEN_DAYS.period_of(date(2026, 9, 12))
        report = e_reporting(sales, cadence=ReportingCadence.TEN_DAYS, period=period)
        assert [date(2026, 9, 12)] == [r.day for r in report.b2c]
        assert () == report.international

    def test_credit_note_deducted(self, sales: list) -> None:
        """A B2C credit note the same day comes off the day's total."""
        note, _ = issue(
            attrs.evolve(credit_note(sales[0], reason="Retour"), due_date=None),
            NumberingScheme(pattern="AV-{yyyy}-{seq:04}"),
            SequenceState(),
            on=date(2026, 9, 2),
        )
        period = Period(date(2026, 9, 2), date(2026, 9, 3))
        report = e_reporting([*sales, note], cadence=ReportingCadence.TEN_DAYS, period=period)
        first = next(r for r in report.b2c if r.vat_percent == 20)
        assert sales[0].totals().tax_exclusive_total == first.taxable
        assert 3 == first.count

    def test_payments_on_receipts(self, sales: list) -> None:
        """Payments of services taxed on receipts are reported per rate, in their period."""
        paid = PaymentAllocation(
            payment_id="P1",
            invoice_number=sales[0].number,
            amount=eur("600.00"),
            date=date(2026, 9, 22),
        )
        period = ReportingCadence.TEN_DAYS.period_of(date(2026, 9, 22))
        report = e_reporting(
            sales,
            cadence=ReportingCadence.TEN_DAYS,
            period=period,
            allocations=[paid],
            on_receipts=lambda invoice: True,
        )
        (payment,) = report.payments
        assert (sales[0].number, date(2026, 9, 22), eur("600.00"), eur("100.00")) == (
            payment.number,
            payment.day,
            payment.amount,
            payment.vat,
        )
        assert () == report.b2c

    def test_outputs(self, sales: list) -> None:
        """to_records, CSV and JSON carry the same records."""
        period = ReportingCadence.MONTHLY.period_of(date(2026, 9, 1))
        report = e_reporting(sales, cadence=ReportingCadence.MONTHLY, period=period)
        records = report.to_records()
        assert len(report.b2c) + len(report.international) == len(records)
        rows = list(csv.DictReader(io.StringIO(report.to_csv())))
        assert [r["dataset"] for r in records] == [r["dataset"] for r in rows]
        document = json.loads(report.to_json())
        assert "monthly" == document["cadence"]
        assert len(report.b2c) == len(document["b2c"])
        assert records[0]["currency"] == "EUR"

    def test_out_of_scope_not_reported(self) -> None:
        """A sale outside the scope of VAT is not e-reported."""
        draft = sample_invoice(
            buyer=CONSUMER,
            due_date=date(2026, 9, 30),
            lines=(sample_line(vat=VatRate.outside_scope()),),
        )
        invoice, _ = issue(draft, SCHEME, SequenceState(), on=date(2026, 9, 2))
        assert SaleCategory.OUT_OF_SCOPE == classify_sale(invoice)
        period = ReportingCadence.MONTHLY.period_of(date(2026, 9, 2))
        report = e_reporting([invoice], cadence=ReportingCadence.MONTHLY, period=period)
        assert [] == report.to_records()

    def test_bad_cadence(self, sales: list) -> None:
        """A cadence must be a ReportingCadence."""
        with pytest.raises(InvalidValue):
            e_reporting(
                sales, cadence="monthly", period=Period(date(2026, 9, 1), date(2026, 10, 1))
            )  # type: ignore[arg-type]


class TestReportingCadence:
    @pytest.mark.parametrize(
        ("cadence", "count"),
        [
            (ReportingCadence.TEN_DAYS, 36),
            (ReportingCadence.MONTHLY, 12),
            (ReportingCadence.TWO_MONTHLY, 6),
        ],
    )
    def test_periods_cover_the_year(self, cadence: ReportingCadence, count: int) -> None:
        """The periods of a year follow each other and cover it."""
        periods = cadence.periods(2026)
        assert count == len(periods)
        assert date(2026, 1, 1) == periods[0].start
        assert date(2027, 1, 1) == periods[-1].end
        assert all(a.end == b.start for a, b in itertools.pairwise(periods))

    def test_last_decade_of_february(self) -> None:
        """The third 10-day period of February ends with the month."""
        assert Period(date(2026, 2, 21), date(2026, 3, 1)) == ReportingCadence.TEN_DAYS.period_of(
            date(2026, 2, 28)
        )
