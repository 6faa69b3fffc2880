"""A small but real invoice store on SQLite (the standard library's ``sqlite3``).

Run it with ``python examples/sqlite_store.py`` (it works in a temporary
directory), or ``python examples/sqlite_store.py STORE.sqlite3`` to keep the file.

facturlib stores nothing: `issue` returns the issued invoice and the new numbering
state, and the caller must keep both **in one transaction** (CGI ann. II 242 nonies
A: a series has no gap and no duplicate). This store shows how:

* ``documents`` holds each issued invoice as its tagged JSON (`facturlib.to_json`
  form: ``"$type": "Invoice", "$version": 2``), with the figures a query wants as
  columns: number, kind (UNTDID 1001 code), issue date, buyer, currency, net total
  (BT-109), VAT (BT-110) and gross total (BT-112). SQLite has no decimal type, so
  amounts are kept as their exact decimal text (``"1440.00"``), never as REAL.
* ``numbering`` holds the `SequenceState` as JSON with its ``revision``.
* `InvoiceStore.issue` runs inside ``BEGIN IMMEDIATE``: SQLite takes the write lock
  before the state is read, so two processes can never read the same state. The
  state's revision is passed to `facturlib.issue` as ``expected_revision`` and the
  new state is written with ``UPDATE ... WHERE revision = ?``: a state changed
  behind the store's back (another program, a restored backup) is refused with
  `facturlib.StaleStateError` instead of giving a number twice.
* Reading a document back (`InvoiceStore.get`) runs every check again: an invoice
  whose stored content no longer matches its seal is refused.
* `InvoiceStore.audit` runs `facturlib.audit_numbers` over every stored number.

The test suite runs 8 processes issuing 1 000 invoices at once against one file and
audits the result (``tests/unit/test_storage_examples.py``).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path

import facturlib as fl
from facturlib.core.serialize import from_json, to_json
from facturlib.demo import load_sample_company

SCHEMA = """
CREATE TABLE IF NOT EXISTS numbering (
    name     TEXT PRIMARY KEY,
    state    TEXT NOT NULL,               -- SequenceState as tagged JSON
    revision INTEGER NOT NULL             -- SequenceState.revision, for compare-and-swap
);
CREATE TABLE IF NOT EXISTS documents (
    number     TEXT PRIMARY KEY,          -- BT-1: unique, the primary key says so too
    kind       TEXT NOT NULL,             -- BT-3 (UNTDID 1001: 380, 381, 386...)
    issue_date TEXT NOT NULL,             -- BT-2, ISO 8601
    buyer      TEXT NOT NULL,             -- BT-44
    currency   TEXT NOT NULL,             -- BT-5
    net        TEXT NOT NULL,             -- BT-109, exact decimal text
    vat        TEXT NOT NULL,             -- BT-110
    gross      TEXT NOT NULL,             -- BT-112
    seal       TEXT NOT NULL,
    document   TEXT NOT NULL              -- the Invoice as tagged JSON
);
CREATE INDEX IF NOT EXISTS documents_by_buyer ON documents (buyer, issue_date);
"""


class InvoiceStore:
    """Issued invoices and their numbering state in one SQLite file.

    Args:
        path: the database file (created if missing).
        numbering: the `facturlib.NumberingScheme` or `facturlib.NumberingPlan`.
        name: the name of the numbering state's row (one store may hold several).
        timeout: seconds a writer waits for the lock before giving up.
        durable: wait for the disk at every commit (``synchronous=FULL``). With
            ``False`` (``NORMAL``, much faster), a power cut may lose the last
            commits, but never half of one: an invoice and its number come and go
            together, so the series keeps no gap.
    """

    def __init__(
        self,
        path: str | Path,
        numbering: fl.NumberingScheme | fl.NumberingPlan,
        *,
        name: str = "sales",
        timeout: float = 60.0,
        durable: bool = True,
    ) -> None:
        # isolation_level=None: no implicit transactions, we say BEGIN ourselves.
        self.connection = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
        self.connection.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        self.connection.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
        self.numbering = numbering
        self.name = name
        with self._transaction():
            # statement by statement: executescript() would commit the transaction
            for statement in SCHEMA.split(";"):
                self.connection.execute(statement)
            start = fl.SequenceState()
            self.connection.execute(
                "INSERT OR IGNORE INTO numbering (name, state, revision) VALUES (?, ?, ?)",
                (name, to_json(start), start.revision),
            )

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> InvoiceStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """A write transaction: the write lock is taken now, not at the first write."""
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def state(self) -> fl.SequenceState:
        """The numbering state as stored."""
        (text,) = self.connection.execute(
            "SELECT state FROM numbering WHERE name = ?", (self.name,)
        ).fetchone()
        state: fl.SequenceState = from_json(fl.SequenceState, text)
        return state

    def issue(self, draft: fl.Invoice, on: date, *, due_date: date | None = None) -> fl.Invoice:
        """Issue *draft* on *on*, and store the invoice and the new state together.

        Raises:
            facturlib.NotIssuable: the draft cannot be issued (nothing is written).
            facturlib.StaleStateError: the stored state changed outside this store.
        """
        with self._transaction():
            text, revision = self.connection.execute(
                "SELECT state, revision FROM numbering WHERE name = ?", (self.name,)
            ).fetchone()
            state = from_json(fl.SequenceState, text)
            invoice, new_state = fl.issue(
                draft, self.numbering, state, on, due_date=due_date, expected_revision=revision
            )
            swapped = self.connection.execute(
                "UPDATE numbering SET state = ?, revision = ? WHERE name = ? AND revision = ?",
                (to_json(new_state), new_state.revision, self.name, revision),
            ).rowcount
            if swapped != 1:  # only a writer ignoring the lock protocol gets here
                raise fl.StaleStateError(
                    "the numbering state changed while this invoice was being issued",
                    field="state",
                    value=revision,
                    hint="issue again: the state is read afresh",
                )
            totals = invoice.totals()
            self.connection.execute(
                "INSERT INTO documents (number, kind, issue_date, buyer, currency, net, vat,"
                " gross, seal, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    invoice.number,
                    invoice.kind.code,
                    invoice.issue_date.isoformat(),
                    invoice.buyer.name,
                    invoice.currency.code,
                    str(totals.tax_exclusive_total.amount),
                    str(totals.vat_total.amount),
                    str(totals.tax_inclusive_total.amount),
                    invoice.seal,
                    to_json(invoice),
                ),
            )
        return invoice

    def get(self, number: str) -> fl.Invoice:
        """The stored invoice *number*, checked again (seal and laws) as it loads.

        Raises:
            KeyError: no such number.
            facturlib.IssuedDocumentError: the stored content no longer matches its seal.
        """
        row = self.connection.execute(
            "SELECT document FROM documents WHERE number = ?", (number,)
        ).fetchone()
        if row is None:
            raise KeyError(number)
        invoice: fl.Invoice = from_json(row[0])  # tagged: no class needed
        return invoice

    def numbers(self) -> list[tuple[str, date]]:
        """Every stored ``(number, issue date)``, for `facturlib.audit_numbers`."""
        rows = self.connection.execute("SELECT number, issue_date FROM documents")
        return [(number, date.fromisoformat(on)) for number, on in rows]

    def audit(self, scheme: fl.NumberingScheme) -> tuple[fl.Problem, ...]:
        """Gaps, duplicates and dates out of order among the numbers of *scheme*."""
        return fl.audit_numbers(self.numbers(), scheme)

    def gross_by_buyer(self) -> dict[tuple[str, str], Decimal]:
        """The gross total (BT-112) billed to each buyer, per currency, added exactly."""
        totals: dict[tuple[str, str], Decimal] = {}
        for buyer, currency, gross in self.connection.execute(
            "SELECT buyer, currency, gross FROM documents"
        ):
            key = (buyer, currency)
            totals[key] = totals.get(key, Decimal(0)) + Decimal(gross)
        return totals


def sample_draft(index: int) -> fl.Invoice:
    """A draft from the sample company (``facturlib.demo``) to one of its customers."""
    company = load_sample_company()
    # French customers only: French VAT applies to all of them (CGI 259).
    french = [c for c in company.customers if c.address.country_code == "FR"]
    customer = french[index % len(french)]
    products = [company.product("DEV"), company.product("GUIDE")]
    return fl.Invoice(
        seller=company.seller,
        buyer=customer,
        currency="EUR",
        lines=[product.line(1 + index % 3) for product in products],
    )


def main(argv: list[str]) -> None:
    scheme = fl.NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(argv[0]) if argv else Path(tmp) / "store.sqlite3"
        with InvoiceStore(path, scheme) as store:
            for i, day in enumerate([2, 2, 9, 16, 23]):
                draft = sample_draft(i)
                invoice = store.issue(draft, date(2025, 1, day), due_date=date(2025, 2, 28))
                print(f"issued {invoice.number} to {invoice.buyer.name}")
            again = store.get(invoice.number)
            assert again == invoice
            assert again.seal == invoice.seal
            problems = store.audit(scheme)
            assert not problems, problems
            for (buyer, currency), gross in sorted(store.gross_by_buyer().items()):
                print(f"  {buyer}: {gross} {currency}")
            print(f"numbering at revision {store.state().revision}; audit: no gap, no duplicate")


if __name__ == "__main__":
    main(sys.argv[1:])
