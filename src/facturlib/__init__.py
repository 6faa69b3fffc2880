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
from facturlib.accounts import Account, ChartOfAccounts, Journal, RevenueKind
from facturlib.credit_notes import credit_note, creditable
from facturlib.deferred import Deferral, DeferralBasis, accrued_revenue, deferred_revenue
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
from facturlib.fec import (
    CSV_COLUMNS,
    FEC_COLUMNS,
    FecFile,
    as_in_fec,
    check_fec,
    export_csv,
    export_fec,
    fec_filename,
    parse_csv,
    parse_fec,
)
from facturlib.issuing import check_invoice, issue
from facturlib.journal import (
    Activity,
    EarlyPaymentDiscount,
    JournalEntry,
    JournalLine,
    LatePaymentPenalty,
    journal_for,
    journalize,
)
from facturlib.ledger import TrialBalance, TrialBalanceRow, account_balance, letter, trial_balance
from facturlib.lines import Discount, DocumentAllowance, DocumentCharge, Line, Product, Surcharge
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
    "CSV_COLUMNS",
    "FEC_COLUMNS",
    "FR_FRANCHISE",
    "FR_INTERMEDIATE",
    "FR_REDUCED",
    "FR_STANDARD",
    "FR_SUPER_REDUCED",
    "FR_VAT_RATES",
    "Account",
    "Activity",
    "Address",
    "AllocationError",
    "AppliedAdjustment",
    "BillingPlanError",
    "ChartOfAccounts",
    "Contact",
    "CreditNoteError",
    "Currency",
    "CurrencyMismatch",
    "Deferral",
    "DeferralBasis",
    "Discount",
    "DocumentAllowance",
    "DocumentCharge",
    "DocumentError",
    "DocumentKind",
    "DocumentStatus",
    "EarlyPaymentDiscount",
    "FacturlibError",
    "FecFile",
    "FloatNotAllowed",
    "FrozenValueError",
    "InvalidIdentifier",
    "InvalidValue",
    "Invoice",
    "InvoiceReference",
    "IssuedDocumentError",
    "Journal",
    "JournalEntry",
    "JournalLine",
    "LatePaymentPenalty",
    "LedgerError",
    "LifecycleError",
    "Line",
    "LineTotals",
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
    "Problem",
    "Product",
    "Quote",
    "RenderError",
    "Reset",
    "RevenueKind",
    "RoundingPolicy",
    "ScheduleError",
    "SequenceState",
    "SeriesRule",
    "StatedVat",
    "Surcharge",
    "Totals",
    "TrialBalance",
    "TrialBalanceRow",
    "UnknownCurrency",
    "VatBreakdown",
    "VatCategory",
    "VatError",
    "VatRate",
    "account_balance",
    "accrued_revenue",
    "allocate",
    "as_in_fec",
    "audit_numbers",
    "check_fec",
    "check_invoice",
    "compute_totals",
    "credit_note",
    "creditable",
    "currency",
    "deferred_revenue",
    "export_csv",
    "export_fec",
    "fec_filename",
    "french_vat_id",
    "issue",
    "journal_for",
    "journalize",
    "letter",
    "minor_units",
    "next_number",
    "parse_csv",
    "parse_fec",
    "round_money",
    "sum_money",
    "to_money",
    "trial_balance",
]
