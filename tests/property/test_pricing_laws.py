"""Laws of pricing: tiers, unit conversions, indexation, and book lines."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from facturlib import (
    FR_STANDARD,
    Indexation,
    Line,
    NumberingScheme,
    PriceBook,
    PriceEntry,
    Product,
    Reset,
    SequenceState,
    Subscription,
    TieredPrice,
    Tiering,
    UnitConversion,
    issue,
    regenerate,
    round_money,
    schedule,
)
from facturlib.testing.builders import sample_invoice
from facturlib.testing.strategies import (
    indexations,
    money_amounts,
    quantities,
    subscriptions,
    tiered_prices,
    unit_conversions,
)

amounts = st.decimals(
    min_value=0, max_value=20_000, places=4, allow_nan=False, allow_infinity=False
)
SCHEME = NumberingScheme(pattern="FA-{seq:06}", reset=Reset.NEVER)
graduated = tiered_prices(currency_codes=st.just("EUR"), modes=st.just(Tiering.GRADUATED))


@given(graduated, amounts, amounts)
def test_graduated_amount_is_monotonic(price: TieredPrice, a: Decimal, b: Decimal) -> None:
    """More units never cost less under a graduated price."""
    low, high = sorted((a, b))

    assert price.amount(low) <= price.amount(high)


@given(tiered_prices(), amounts)
def test_amount_is_the_sum_of_its_tiers(price: TieredPrice, quantity: Decimal) -> None:
    """The amount is the sum of the shares, and the shares' quantities make the quantity."""
    shares = price.shares(quantity)

    assert price.amount(quantity).amount == sum((s.amount.amount for s in shares), Decimal(0))
    assert quantity == sum((s.quantity for s in shares), Decimal(0))


@given(graduated, amounts)
def test_graduated_tiers_fill_in_order(price: TieredPrice, quantity: Decimal) -> None:
    """Each graduated share is its whole tier, except the last, which holds the rest."""
    shares = price.shares(quantity)

    for share in shares[:-1]:
        assert share.up_to is not None
        assert share.up_to - share.above == share.quantity
    for share in shares:
        assert share.quantity * share.unit_price.amount == share.amount.amount


@given(tiered_prices(modes=st.just(Tiering.VOLUME)), amounts.filter(lambda q: q > 0))
def test_volume_is_one_tier(price: TieredPrice, quantity: Decimal) -> None:
    """Volume: the whole quantity at the price of the one tier it falls in."""
    (share,) = price.shares(quantity)

    assert share.above < quantity
    assert share.up_to is None or quantity <= share.up_to
    assert price.amount(quantity) == share.unit_price * quantity


@given(unit_conversions(), money_amounts(currency_codes=st.just("EUR"), places=6))
def test_price_conversion_round_trips(conversion: UnitConversion, price: object) -> None:
    """A price converted to the unit and back is the price."""
    assert price == conversion.base_price(conversion.price(price))  # type: ignore[arg-type]


@given(unit_conversions(), quantities())
def test_quantity_conversion_round_trips(conversion: UnitConversion, quantity: Decimal) -> None:
    """A quantity converted to base units and back is the quantity."""
    assert quantity == conversion.unit_quantity(conversion.quantity(quantity))


@given(indexations(), st.data())
def test_unchanged_index_gives_the_base_price(clause: Indexation, data: st.DataObject) -> None:
    """S = S0 gives P0, whatever the formula's parts and the stated rounding."""
    price = data.draw(money_amounts(currency_codes=st.just("EUR"), places=clause.places))

    assert price == clause.revise(price, clause.base_value)


@given(indexations(), st.data())
def test_revision_is_monotonic_in_the_index(clause: Indexation, data: st.DataObject) -> None:
    """A higher index never gives a lower price (b ≥ 0, one rounding mode)."""
    price = data.draw(money_amounts(currency_codes=st.just("EUR"), places=clause.places))
    index = st.decimals(min_value="0.1", max_value=100_000, places=2)
    low, high = sorted((data.draw(index), data.draw(index)))

    assert clause.revise(price, low) <= clause.revise(price, high)


@settings(max_examples=50)
@given(
    tiered_prices(currency_codes=st.just("EUR")),
    quantities(max_value=20_000),
    st.none() | st.decimals(min_value="0.01", max_value="99.99", places=2),
)
def test_book_lines_are_the_tiers(
    price: TieredPrice, quantity: Decimal, discount: Decimal | None
) -> None:
    """The lines of a tiered price: one per share (per tier reached when graduated),
    each exactly its share (quantity × price), so the line nets (EN 16931 BR-LIN) are
    the shares rounded line by line; and each line is what the checking constructor
    builds from its fields (the book builds them trusted)."""
    product = Product(name="Item", unit_price=price.tiers[0].unit_price, vat=FR_STANDARD, id="I")
    entry = PriceEntry(product="I", price=price, discount=discount)
    book = PriceBook(name="b", currency="EUR", entries=[entry])

    lines = book.lines(product, quantity, on=date(2025, 1, 1))
    shares = price.shares(quantity)

    assert [(s.quantity, s.unit_price) for s in shares] == [
        (line.quantity, line.unit_price) for line in lines
    ]
    for line in lines:
        assert line == Line(**{f.name: getattr(line, f.name) for f in attrs.fields(Line) if f.init})
    if discount is None:
        nets = sample_invoice(lines=lines).totals().line_nets
        assert [round_money(s.amount).amount for s in shares] == list(nets)


@st.composite
def booked_subscriptions(draw: st.DrawFn) -> Subscription:
    """Subscriptions whose items take their prices from a book: a price (or a volume
    tiered price) until a drawn day, another from it on."""
    subscription = draw(subscriptions(currency_codes=st.just("EUR"), max_installments=6))
    stop = subscription.stop
    assert stop is not None
    items = []
    for item in subscription.items:
        days = (stop - subscription.start).days
        cut = subscription.start + timedelta(days=draw(st.integers(1, max(days, 1))))
        prices = st.one_of(
            money_amounts(currency_codes=st.just("EUR"), max_value=5000, places=6),
            tiered_prices(currency_codes=st.just("EUR"), modes=st.just(Tiering.VOLUME)),
        )
        book = PriceBook(
            name="b",
            currency="EUR",
            entries=[
                PriceEntry(product=item.key, price=draw(prices), valid_until=cut),
                PriceEntry(product=item.key, price=draw(prices), valid_from=cut),
            ],
        )
        items.append(attrs.evolve(item, price_book=book))
    return attrs.evolve(subscription, items=tuple(items))


@settings(max_examples=40)
@given(booked_subscriptions())
def test_booked_subscription_lines(subscription: Subscription) -> None:
    """Each period is billed at the book's price on its first day billed, and the lines
    built without checks equal what the checking constructor builds."""
    periodic = {i.key: i for i in subscription.items if not i.first_invoice_only}
    for draft in schedule(subscription):
        for line in draft.lines:
            fields = {f.name: getattr(line, f.name) for f in attrs.fields(Line) if f.init}
            assert line == Line(**fields)
            item = periodic.get(line.source_line or "")
            if item is not None and item.price_book is not None and line.period is not None:
                expected = item.price_book.unit_price(
                    item.product, line.quantity, on=line.period.start
                )
                assert expected == line.unit_price


@settings(max_examples=25)
@given(booked_subscriptions(), st.data())
def test_booked_subscription_unchanged_gives_no_correction(
    subscription: Subscription, data: st.DataObject
) -> None:
    """regenerate() of an unchanged book-priced subscription corrects nothing, though the
    book's price changes during the contract."""
    drafts = schedule(subscription)
    state, issued = SequenceState(), []
    for draft in drafts[: data.draw(st.integers(0, len(drafts)))]:
        invoice, state = issue(draft, SCHEME, state, on=date(2020, 1, 1))
        issued.append(invoice)

    assert () == regenerate(subscription, issued, on=date(2020, 1, 1)).corrections
