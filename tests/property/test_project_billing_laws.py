"""Laws of project billing (DOMAIN.md §6): shares add up to the deal, prebill is idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from facturlib.core.errors import BillingPlanError
from facturlib.core.issuing import issue
from facturlib.core.money import minor_units
from facturlib.core.numbering import NumberingScheme, SequenceState
from facturlib.projects.deposits import deposit_deductions, deposit_invoice, final_invoice
from facturlib.projects.milestones import milestone_invoices
from facturlib.projects.prebilling import Usage, prebill
from facturlib.projects.progress import progress_invoice
from facturlib.testing.strategies import (
    billing_plans,
    currencies,
    orders,
    portfolios,
    progress_steps,
    rounding_policies,
)

SCHEME = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
START = date(2025, 1, 31)
deals = orders(currency_codes=currencies(), policies=rounding_policies())


def per_rate(documents):
    """Σ (taxable, VAT) per VAT rate over *documents*."""
    sums: dict = {}
    for document in documents:
        for vat, t, v in document.totals().vat_groups:
            a, b = sums.get(vat, (Decimal(0), Decimal(0)))
            sums[vat] = (a + t, b + v)
    return sums


def only_if_tolerance_exceeded(deal, error: BillingPlanError) -> None:
    """A share may be refused only when EN 16931's one-unit VAT tolerance cannot carry the
    deal's own VAT rounding: a currency without decimals, VAT rounded per line or from
    tax-inclusive prices."""
    assert "vat" == error.field, error
    assert 0 == minor_units(deal.currency)
    assert deal.rounding.vat_rounding == "per_line" or deal.prices_include_vat


def issue_all(drafts):
    state = SequenceState()
    issued = []
    for draft in drafts:
        invoice, state = issue(draft, SCHEME, state, date(2030, 1, 1), due_date=date(2030, 1, 1))
        issued.append(invoice)
    return issued


@settings(max_examples=80)
@given(deals, billing_plans())
def test_milestones_add_up_to_the_deal(deal, plan) -> None:
    """For any deal and valid plan, Σ milestone invoices = the deal: HT and VAT per rate, TTC."""
    try:
        drafts = milestone_invoices(deal, plan, start=START)
    except BillingPlanError as error:
        only_if_tolerance_exceeded(deal, error)
        return
    assert per_rate([deal]) == per_rate(drafts)
    assert deal.totals().bt112 == sum(d.totals().bt112 for d in drafts)
    assert len(plan.milestones) == len(drafts)


def per_item(documents):
    """Σ line nets per deal line (``source_line``), and Σ document charges − allowances
    per (VAT rate, reason), over *documents*."""
    lines: dict = {}
    adjustments: dict = {}
    for document in documents:
        totals = document.totals()
        for line, net in zip(document.lines, totals.line_nets, strict=True):
            lines[line.source_line] = lines.get(line.source_line, Decimal(0)) + net
        for adjustment in (*totals.charges, *totals.allowances):
            sign = 1 if adjustment.is_charge else -1
            key = (adjustment.vat, adjustment.reason)
            adjustments[key] = adjustments.get(key, Decimal(0)) + sign * adjustment.amount.amount
    nonzero_lines = {key: amount for key, amount in lines.items() if amount}
    return nonzero_lines, {key: amount for key, amount in adjustments.items() if amount}


def deal_items(deal):
    """What `per_item` gives for the deal itself (its lines by id; zero nets left out)."""
    _lines, adjustments = per_item([deal])
    nets = zip(deal.lines, deal.totals().line_nets, strict=True)
    return {line.id: net for line, net in nets if net}, adjustments


@settings(max_examples=30)
@given(deals, billing_plans())
def test_milestone_lines_add_up_to_each_deal_line(deal, plan) -> None:
    """Product form: Σ over the milestone invoices of the lines of each deal line = that
    line's net, and of each document allowance or charge = its amount; per VAT rate, each
    invoice bills what the lump form bills."""
    try:
        drafts = milestone_invoices(deal, plan, start=START)
        lump = milestone_invoices(deal, plan, start=START, lump=True)
    except BillingPlanError as error:
        only_if_tolerance_exceeded(deal, error)
        return
    itemized = [
        d for d in drafts if any(line.unit == "LS" and line.source_line for line in d.lines)
    ]
    if len(itemized) == len(drafts):
        assert deal_items(deal) == per_item(drafts)
    assert [per_rate([d]) for d in lump] == [per_rate([d]) for d in drafts]


@settings(max_examples=60)
@given(orders(currency_codes=currencies(), policies=rounding_policies(), positive=False), st.data())
def test_progress_adds_up_to_the_contract(contract, data) -> None:
    """Σ progress invoices = the contract (per rate, HT and VAT) once every line is at 100 %."""
    steps = {line.id: data.draw(progress_steps(max_size=4)) for line in contract.lines}
    invoices: list = []
    try:
        for k in range(max(len(s) for s in steps.values())):
            reached = {i: s[min(k, len(s) - 1)] for i, s in steps.items()}
            if k and all(len(s) <= k for s in steps.values()):
                break
            invoices.append(progress_invoice(contract, reached, previous=invoices))
    except BillingPlanError as error:
        only_if_tolerance_exceeded(contract, error)
        return
    assert per_rate([contract]) == per_rate(invoices)


@settings(max_examples=60)
@given(deals, st.lists(st.integers(1, 60), min_size=1, max_size=4))
def test_deposits_then_final(deal, percents) -> None:
    """Deposits of 100 % in all bill the order exactly; the final invoice is then zero due."""
    deposits: list = []
    asked = 0
    try:
        for percent in [p for p in percents if p <= 100] + [100]:
            share = min(percent, 100 - asked)
            if not share:
                break
            try:
                deposits.append(deposit_invoice(deal, percent=str(share), previous=deposits))
                asked += share
            except BillingPlanError as error:
                if per_rate(deposits) == per_rate([deal]):
                    # Rounding up, or a deposit leaving at most a minor unit per deposit
                    # (which bills the rest), already billed the whole order.
                    break
                if error.field == "percent" and "rounds to nothing" in str(error):
                    continue  # less than a minor unit: asked again with the rest
                raise
    except BillingPlanError as error:
        only_if_tolerance_exceeded(deal, error)
        return
    issued = issue_all(deposits)
    final = final_invoice(deal, issued)
    deducted = {
        d.vat: (d.taxable.amount, d.amount.amount) for d in deposit_deductions(final, issued)
    }
    assert per_rate([deal]) == deducted
    assert 0 == final.totals().bt115
    if all(line.source_line for d in deposits for line in d.lines):
        # Product form (no share fell back on one line per rate): each line billed once.
        assert deal_items(deal)[0] == per_item(deposits)[0]


@settings(max_examples=60)
@given(portfolios(), st.data())
def test_prebill_is_idempotent(portfolio, data) -> None:
    """Given what was issued, running prebill again for the month bills nothing more."""
    month = data.draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)))
    usage = []
    for engagement in portfolio.engagements:
        if month.replace(day=1) not in engagement.fiscal_year:
            continue
        for mission in engagement.missions:
            if mission.id == "unit":
                quantity = data.draw(st.integers(0, 50))
                usage.append(Usage(engagement=engagement.id, mission="unit", quantity=quantity))
            elif mission.id == "time":
                for name, _rate in mission.rates:
                    hours = data.draw(st.decimals(0, 40, places=2))
                    usage.append(
                        Usage(
                            engagement=engagement.id,
                            mission="time",
                            collaborator=name,
                            quantity=hours,
                        )
                    )
    drafts = prebill(portfolio, month, usage)
    keep = data.draw(st.integers(0, len(drafts)))
    first = issue_all(drafts[:keep])
    rest = prebill(portfolio, month, usage, issued=first)

    assert [d.lines for d in drafts[keep:]] == [d.lines for d in rest]
    assert () == prebill(portfolio, month, usage, issued=first + issue_all(rest))
    assert len({d.buyer.key for d in drafts}) == len(drafts)
