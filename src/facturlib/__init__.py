"""facturlib: an embeddable, pure-Python billing core for French/EU sales billing.

Immutable value objects and pure functions: build a document, read its
``totals()``, `issue` it with a numbering scheme and a sequence state, credit it
with `credit_note`. Money is py-moneyed's `Money`; amounts are exact Decimals.

>>> from datetime import date
>>> import facturlib as fl
>>> seller = fl.Party(name="Atelier SAS", address=fl.Address(city="Paris", country_code="FR"),
...                   siren="732829320", vat_id="FR44732829320")
>>> buyer = fl.Party(name="Client SARL", address=fl.Address(city="Lyon", country_code="FR"),
...                  siren="552081317")
>>> draft = fl.Invoice(seller=seller, buyer=buyer, currency="EUR", due_date=date(2025, 2, 14),
...                    lines=[fl.Line(description="Audit", quantity="2", unit="DAY",
...                                   unit_price=fl.to_money("900.00", "EUR"), vat=fl.FR_STANDARD)])
>>> invoice, state = fl.issue(draft, fl.NumberingScheme(pattern="FA-{yyyy}-{seq:04}"),
...                           fl.SequenceState(), on=date(2025, 1, 15))
>>> invoice.number, invoice.totals().amount_due
('FA-2025-0001', Money('2160.00', 'EUR'))
"""

from facturlib._codes import DocumentKind
from facturlib.credit_notes import credit_note, creditable
from facturlib.deals import DealStatus, deal_status
from facturlib.deposits import deposit_deductions, deposit_invoice, final_invoice
from facturlib.documents import DocumentStatus, Invoice, InvoiceReference, Order, Quote
from facturlib.errors import (
    AllocationError,
    BillingPlanError,
    CreditNoteError,
    CurrencyMismatch,
    DocumentError,
    FacturlibError,
    FloatNotAllowed,
    FrozenValueError,
    InvalidIdentifier,
    InvalidValue,
    IssuedDocumentError,
    LedgerError,
    LifecycleError,
    NotIssuable,
    NumberingError,
    PaymentError,
    Problem,
    RenderError,
    ScheduleError,
    UnknownCurrency,
    VatError,
)
from facturlib.issuing import check_invoice, issue
from facturlib.lines import Discount, DocumentAllowance, DocumentCharge, Line, Product, Surcharge
from facturlib.milestones import BillingPlan, Milestone, MilestoneKind, milestone_invoices
from facturlib.money import (
    Currency,
    Money,
    RoundingPolicy,
    allocate,
    currency,
    minor_units,
    round_money,
    sum_money,
    to_money,
)
from facturlib.numbering import (
    NumberingPlan,
    NumberingScheme,
    Reset,
    SequenceState,
    SeriesRule,
    audit_numbers,
    next_number,
)
from facturlib.parties import Address, Contact, Party, french_vat_id
from facturlib.payments import Payment, PaymentAllocation, PaymentMethod, PaymentReversal
from facturlib.periods import Period
from facturlib.prebilling import (
    Engagement,
    FlatFeeMission,
    Portfolio,
    TimeMission,
    UnitMission,
    Usage,
    prebill,
)
from facturlib.progress import progress_billed, progress_invoice
from facturlib.totals import (
    AppliedAdjustment,
    LineTotals,
    StatedVat,
    Totals,
    VatBreakdown,
    compute_totals,
)
from facturlib.vat import (
    FR_FRANCHISE,
    FR_INTERMEDIATE,
    FR_REDUCED,
    FR_STANDARD,
    FR_SUPER_REDUCED,
    FR_VAT_RATES,
    VatCategory,
    VatRate,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "FR_FRANCHISE",
    "FR_INTERMEDIATE",
    "FR_REDUCED",
    "FR_STANDARD",
    "FR_SUPER_REDUCED",
    "FR_VAT_RATES",
    "Address",
    "AllocationError",
    "AppliedAdjustment",
    "BillingPlan",
    "BillingPlanError",
    "Contact",
    "CreditNoteError",
    "Currency",
    "CurrencyMismatch",
    "DealStatus",
    "Discount",
    "DocumentAllowance",
    "DocumentCharge",
    "DocumentError",
    "DocumentKind",
    "DocumentStatus",
    "Engagement",
    "FacturlibError",
    "FlatFeeMission",
    "FloatNotAllowed",
    "FrozenValueError",
    "InvalidIdentifier",
    "InvalidValue",
    "Invoice",
    "InvoiceReference",
    "IssuedDocumentError",
    "LedgerError",
    "LifecycleError",
    "Line",
    "LineTotals",
    "Milestone",
    "MilestoneKind",
    "Money",
    "NotIssuable",
    "NumberingError",
    "NumberingPlan",
    "NumberingScheme",
    "Order",
    "Party",
    "Payment",
    "PaymentAllocation",
    "PaymentError",
    "PaymentMethod",
    "PaymentReversal",
    "Period",
    "Portfolio",
    "Problem",
    "Product",
    "Quote",
    "RenderError",
    "Reset",
    "RoundingPolicy",
    "ScheduleError",
    "SequenceState",
    "SeriesRule",
    "StatedVat",
    "Surcharge",
    "TimeMission",
    "Totals",
    "UnitMission",
    "UnknownCurrency",
    "Usage",
    "VatBreakdown",
    "VatCategory",
    "VatError",
    "VatRate",
    "allocate",
    "audit_numbers",
    "check_invoice",
    "compute_totals",
    "credit_note",
    "creditable",
    "currency",
    "deal_status",
    "deposit_deductions",
    "deposit_invoice",
    "final_invoice",
    "french_vat_id",
    "issue",
    "milestone_invoices",
    "minor_units",
    "next_number",
    "prebill",
    "progress_billed",
    "progress_invoice",
    "round_money",
    "sum_money",
    "to_money",
]
