"""Laws of recurring billing (DOMAIN.md §9): tiling, no correction without a change,
credits within what was billed, charges within the new terms."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import attrs
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from facturlib.core.documents import Invoice
from facturlib.core.issuing import issue
from facturlib.core.lines import Line
from facturlib.core.money import Money, minor_units, sum_money
from facturlib.core.numbering import NumberingScheme, Reset, SequenceState
from facturlib.core.periods import _add_months, tiles
from facturlib.recurring.proration import DayCount
from facturlib.recurring.subscriptions import Subscription, amend, cancel, regenerate, schedule
from facturlib.testing.strategies import periodicities, subscriptions

SCHEME = NumberingScheme(pattern="FA-{seq:06}", reset=Reset.NEVER)


def issue_all(drafts: tuple[Invoice, ...]) -> list[Invoice]:
    state = SequenceState()
    issued = []
    for draft in drafts:
        invoice, state = issue(draft, SCHEME, state, on=date(2020, 1, 1))
        issued.append(invoice)
    return issued


def net(document: Invoice) -> Money:
    return document.totals().tax_exclusive_total


class TestPeriods:
    @given(st.dates(date(1900, 1, 1), date(2200, 12, 31)), periodicities(), st.integers(1, 30))
    def test_grid_tiles_from_start_to_end(self, start: date, every, count: int) -> None:  # type: ignore[no-untyped-def]
        """Billing periods tile exactly from the start to the end: no gap, no overlap."""
        from facturlib.core.periods import Anchoring, PeriodGrid

        for anchoring in Anchoring:
            grid = PeriodGrid.for_start(start, every, anchoring)
            # for_start builds month grids with the trusted constructor: the same value.
            assert grid == PeriodGrid(anchor=grid.anchor, periodicity=every, day=grid.day)
            pairs = grid.periods(start, count=count)
            billed = [p for p, _ in pairs]
            assert tiles(billed)
            assert start == billed[0].start
            assert all(whole.covers(p) for p, whole in pairs)

    @given(
        st.dates(date(1900, 1, 1), date(2200, 12, 31)),
        periodicities(),
        st.integers(-40, 40),
        st.integers(1, 400),
        st.none() | st.integers(1, 31),
    )
    def test_month_fast_path_is_the_boundary_definition(  # type: ignore[no-untyped-def]
        self, anchor: date, every, offset: int, length: int, day: int | None
    ) -> None:
        """`PeriodGrid.iter_periods` (its inline month arithmetic) gives the periods built
        from `PeriodGrid.boundary` and `PeriodGrid.index`, for any start and end."""
        from facturlib.core.periods import Period, PeriodGrid

        grid = PeriodGrid(anchor=anchor, periodicity=every, day=day)
        start = anchor + timedelta(days=offset)
        end = start + timedelta(days=length)
        expected = []
        k = grid.index(start)
        while grid.boundary(k) < end:
            low, high = grid.boundary(k), grid.boundary(k + 1)
            expected.append((Period(max(low, start), min(high, end)), Period(low, high)))
            k += 1
        assert expected == list(grid.iter_periods(start, end))
        assert tuple(expected[:5]) == grid.periods(start, end, count=5)

    @settings(max_examples=60)
    @given(subscriptions())
    def test_schedule_within_the_contract(self, subscription: Subscription) -> None:
        """Drafts follow each other without overlap, inside [first billed day, stop)."""
        drafts = schedule(subscription)
        periods = [d.period for d in drafts]
        assert all(p is not None for p in periods)
        assert all(a.end <= b.start for a, b in itertools.pairwise(periods))  # type: ignore[union-attr]
        assert subscription.stop is not None
        assert all(
            subscription.first_billed <= p.start and p.end <= subscription.stop  # type: ignore[union-attr, operator]
            for p in periods
        )
        for draft in drafts:
            assert all(
                line.period is not None and draft.period.covers(line.period) for line in draft.lines
            )  # type: ignore[union-attr]


def rebuilt(value: object) -> object:
    """*value* built again through its checking constructor (every init field)."""
    cls = type(value)
    return cls(**{f.name: getattr(value, f.name) for f in attrs.fields(cls) if f.init})


class TestTrustedConstruction:
    """`schedule` builds lines and drafts without checking them again (issue 3's speed);
    they must be exactly what the checking constructors build from the same fields."""

    @settings(max_examples=80)
    @given(subscriptions(), st.data())
    def test_schedule_builds_what_the_checking_constructors_build(
        self, subscription: Subscription, data: st.DataObject
    ) -> None:
        """Every draft (and every line), amended or not, passes the constructors' checks
        and equals what they build; its totals are the same."""
        stop = subscription.stop
        assert stop is not None
        if data.draw(st.booleans()) and (stop - subscription.start).days > 1:
            on = subscription.start + timedelta(
                days=data.draw(st.integers(1, (stop - subscription.start).days - 1))
            )
            item = subscription.items[0]  # never a one-off (see the strategy)
            if (item.start or subscription.start) <= on < min(item.end or stop, stop):
                subscription = amend(
                    subscription, on=on, item=item.key, quantity=data.draw(st.integers(1, 9))
                )
        for draft in schedule(subscription):
            lines = tuple(rebuilt(line) for line in draft.lines)
            assert lines == draft.lines
            assert all(type(line) is Line for line in lines)
            again = attrs.evolve(draft, lines=lines)
            assert again == draft
            assert again.totals() == draft.totals()

    @given(
        st.dates(date(1, 1, 1), date(9998, 12, 31)),
        st.integers(-1200, 1200),
        st.integers(1, 31),
    )
    def test_month_arithmetic_is_relativedeltas(self, anchor: date, months: int, day: int) -> None:
        """Grid boundaries are the dates relativedelta gives (DOMAIN.md §9 end-of-month
        rule), computed directly for speed."""
        try:
            expected = anchor + relativedelta(months=months, day=day)
        except ValueError:  # outside years 1–9999
            expected = None
        if expected is None:
            try:
                _add_months(anchor, months, day)
            except ValueError:
                return
            raise AssertionError("a date outside years 1-9999 was accepted")
        assert expected == _add_months(anchor, months, day)


class TestRegenerate:
    @settings(max_examples=30)
    @given(subscriptions(max_installments=6), st.data())
    def test_unchanged_gives_no_correction(
        self, subscription: Subscription, data: st.DataObject
    ) -> None:
        """regenerate() of an unchanged subscription produces no correction."""
        drafts = schedule(subscription)
        issued = issue_all(drafts[: data.draw(st.integers(0, len(drafts)))])
        result = regenerate(subscription, issued, on=date(2020, 1, 1))
        assert () == result.corrections
        assert len(drafts) == len(issued) + len(result.drafts)

    @settings(max_examples=40)
    @given(subscriptions(max_installments=6), st.data())
    def test_amendments_stay_within_billed_and_new_terms(
        self, subscription: Subscription, data: st.DataObject
    ) -> None:
        """Amendments never credit more than was billed nor charge more than the new terms."""
        stop = subscription.stop
        assert stop is not None
        if (stop - subscription.start).days < 2:
            return
        on = subscription.start + timedelta(
            days=data.draw(st.integers(1, (stop - subscription.start).days - 1))
        )
        drafts = schedule(subscription)
        issued = issue_all(drafts)
        item = data.draw(
            st.sampled_from([i for i in subscription.items if not i.first_invoice_only])
        )
        way = data.draw(st.sampled_from(["quantity", "cancel"]))
        try:
            if way == "quantity":
                changed = amend(
                    subscription, on=on, item=item.key, quantity=data.draw(st.integers(1, 30))
                )
            else:
                changed = cancel(subscription, on=on)
        except Exception:  # the item is not billed on that day: nothing to test
            return
        result = regenerate(changed, issued, on=on)
        target = {d.period: d for d in schedule(changed)}
        by_number = {i.number: i for i in issued}
        cur = subscription.currency
        for note in result.credit_notes:
            assert net(note) <= net(by_number[note.preceding[0].number])
        for debit in result.debit_notes:
            original = by_number[debit.preceding[0].number]
            new_terms = sum_money(
                (net(d) for p, d in target.items() if original.period.covers(p)),
                cur,  # type: ignore[union-attr, arg-type]
            )
            assert net(debit) <= new_terms
        # After the corrections each issued period costs what the new terms say, give or take
        # the rounding of the days left unchanged (one minor unit per line). Only for
        # actual/actual and no proration: under actual/365, ISDA and 30E/360 a partial period
        # is not the sum of its days (a 31-day month is one month's price), see the docs.
        if any(
            (i.day_count or subscription.day_count) not in (DayCount.ACTUAL_ACTUAL, DayCount.NONE)
            for i in subscription.items
        ):
            return
        unit = Money(1, cur) if minor_units(cur) == 0 else Money(f"1e-{minor_units(cur)}", cur)
        for invoice in issued:
            paid = net(invoice)
            paid -= sum_money(
                (net(n) for n in result.credit_notes if n.preceding[0].number == invoice.number),
                cur,
            )
            paid += sum_money(
                (net(n) for n in result.debit_notes if n.preceding[0].number == invoice.number), cur
            )
            owed = sum_money((net(d) for p, d in target.items() if invoice.period.covers(p)), cur)  # type: ignore[union-attr, arg-type]
            assert abs((paid - owed).amount) <= unit.amount * len(invoice.lines)
