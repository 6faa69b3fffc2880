"""The ``hypothesis`` entry point: registers facturlib types with ``st.from_type``.

Hypothesis runs this hook while it is being imported, so nothing here may import
`facturlib.testing.strategies` (which imports hypothesis) at import time: each
registration defers to the strategy until it is first drawn from.
"""

from __future__ import annotations

from typing import Any


def _hypothesis_setup_hook() -> None:
    """Register facturlib's value types with hypothesis (entry point ``hypothesis``)."""
    from hypothesis import strategies as st
    from moneyed import Money

    from facturlib.accounting.accounts import ChartOfAccounts
    from facturlib.accounting.journal import Activity, JournalEntry
    from facturlib.core.documents import DeliverTo, Invoice, Note, Order, Quote
    from facturlib.core.lines import Line
    from facturlib.core.money import RoundingPolicy
    from facturlib.core.numbering import NumberingScheme
    from facturlib.core.parties import ElectronicAddress
    from facturlib.core.payment_means import PaymentMeans
    from facturlib.core.pricing import Indexation, TieredPrice, UnitConversion
    from facturlib.core.vat import VatRate
    from facturlib.projects.milestones import BillingPlan
    from facturlib.projects.prebilling import Portfolio
    from facturlib.receivables.payments import Payment
    from facturlib.receivables.terms import DueRule, PaymentTerms
    from facturlib.reports.table import Table

    def deferred(name: str) -> Any:
        def build() -> Any:
            from facturlib.testing import strategies

            return getattr(strategies, name)()

        return st.deferred(build)

    st.register_type_strategy(Money, deferred("money_amounts"))
    st.register_type_strategy(VatRate, deferred("vat_rates"))
    st.register_type_strategy(RoundingPolicy, deferred("rounding_policies"))
    st.register_type_strategy(Line, deferred("lines"))
    st.register_type_strategy(Invoice, deferred("invoices"))
    st.register_type_strategy(NumberingScheme, deferred("numbering_schemes"))
    st.register_type_strategy(DueRule, deferred("due_rules"))
    st.register_type_strategy(PaymentTerms, deferred("payment_terms"))
    st.register_type_strategy(Payment, deferred("payments"))
    st.register_type_strategy(Order, deferred("orders"))
    st.register_type_strategy(Quote, deferred("quotes"))
    st.register_type_strategy(BillingPlan, deferred("billing_plans"))
    st.register_type_strategy(Portfolio, deferred("portfolios"))
    st.register_type_strategy(ChartOfAccounts, deferred("charts_of_accounts"))
    st.register_type_strategy(JournalEntry, deferred("journal_entries"))
    st.register_type_strategy(Activity, deferred("activities"))
    st.register_type_strategy(Table, deferred("report_tables"))
    st.register_type_strategy(ElectronicAddress, deferred("electronic_addresses"))
    st.register_type_strategy(PaymentMeans, deferred("payment_means"))
    st.register_type_strategy(Note, deferred("notes"))
    st.register_type_strategy(DeliverTo, deferred("delivery_places"))
    st.register_type_strategy(TieredPrice, deferred("tiered_prices"))
    st.register_type_strategy(UnitConversion, deferred("unit_conversions"))
    st.register_type_strategy(Indexation, deferred("indexations"))
