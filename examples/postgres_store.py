"""The invoice store of ``sqlite_store.py`` on PostgreSQL, with psycopg 3.

Run it with ``python examples/postgres_store.py "host=... dbname=... user=..."``,
or with no argument: it then starts a throwaway cluster of its own in a temporary
directory (``initdb`` and ``pg_ctl`` of a local PostgreSQL installation, listening
on a Unix socket only), uses it, and removes it.

Same tables and same rule as the SQLite store: the issued invoice and the new
numbering state are written in one transaction (CGI ann. II 242 nonies A). Here the
numbering row is locked with ``SELECT ... FOR UPDATE``: a second writer waits on
that row until the first commits, then reads the state the first one wrote. The
state's ``revision`` is passed to `facturlib.issue` as ``expected_revision`` and
the update is a compare-and-swap (``WHERE revision = %s``), so a state changed
outside the store is refused (`facturlib.StaleStateError`). Amounts are
``numeric`` columns (exact decimals; psycopg reads them back as `decimal.Decimal`),
the document is ``jsonb`` (its tags make it self-describing: ``document->>'$type'``).

**Running PostgreSQL as root.** The server refuses to run as root (it would give
every SQL superuser the machine). `throwaway_cluster` therefore runs ``initdb`` and
``pg_ctl`` as an unprivileged account when the current user is root: ``postgres``
if that account exists (Debian's packages create it), else ``nobody``. It uses
`subprocess`'s ``user=``/``group=`` arguments (``setuid`` in the child, the
equivalent of ``setpriv``/``runuser``), gives that account a fresh directory under
the system temporary directory (``pytest``'s own temporary folders are private to
root), and trusts local connections on that socket only (no TCP port is opened).

The test suite runs 8 processes issuing 1 000 invoices at once against a
throwaway cluster and audits the result (``tests/unit/test_storage_examples.py``).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

import facturlib as fl
from facturlib.core.serialize import from_dict, to_dict
from facturlib.demo import load_sample_company

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS numbering (
        name     text PRIMARY KEY,
        state    jsonb NOT NULL,          -- SequenceState, tagged
        revision bigint NOT NULL          -- SequenceState.revision, for compare-and-swap
    )""",
    """CREATE TABLE IF NOT EXISTS documents (
        number     text PRIMARY KEY,      -- BT-1
        kind       text NOT NULL,         -- BT-3 (UNTDID 1001)
        issue_date date NOT NULL,         -- BT-2
        buyer      text NOT NULL,         -- BT-44
        currency   char(3) NOT NULL,      -- BT-5
        net        numeric NOT NULL,      -- BT-109
        vat        numeric NOT NULL,      -- BT-110
        gross      numeric NOT NULL,      -- BT-112
        seal       text NOT NULL,
        document   jsonb NOT NULL         -- the Invoice, tagged
    )""",
    "CREATE INDEX IF NOT EXISTS documents_by_buyer ON documents (buyer, issue_date)",
]


class InvoiceStore:
    """Issued invoices and their numbering state in a PostgreSQL database.

    Args:
        conninfo: a libpq connection string (``"host=/tmp/pg dbname=postgres"``).
        numbering: the `facturlib.NumberingScheme` or `facturlib.NumberingPlan`.
        name: the name of the numbering state's row.
    """

    def __init__(
        self,
        conninfo: str,
        numbering: fl.NumberingScheme | fl.NumberingPlan,
        *,
        name: str = "sales",
    ) -> None:
        self.connection = psycopg.connect(conninfo, autocommit=True)
        self.numbering = numbering
        self.name = name
        try:
            if not self._ready():
                self._create()
        except BaseException:
            self.connection.close()
            raise

    def _ready(self) -> bool:
        """Whether the tables and this store's numbering row exist."""
        (table,) = self.connection.execute("SELECT to_regclass('numbering')").fetchone() or (None,)
        if table is None:
            return False
        row = self.connection.execute(
            "SELECT 1 FROM numbering WHERE name = %s", (self.name,)
        ).fetchone()
        return row is not None

    def _create(self) -> None:
        """The tables and the numbering row, once. Only when missing: DDL on tables in
        use would take locks that deadlock with writers holding the numbering row."""
        with self.connection.transaction():
            # Two stores creating the schema at once would race on the catalogue.
            self.connection.execute("SELECT pg_advisory_xact_lock(20250115)")
            for statement in SCHEMA:
                self.connection.execute(statement)
            self.connection.execute(
                "INSERT INTO numbering (name, state, revision) VALUES (%s, %s, %s)"
                " ON CONFLICT (name) DO NOTHING",
                (self.name, Jsonb(to_dict(fl.SequenceState())), 0),
            )

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> InvoiceStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def state(self) -> fl.SequenceState:
        """The numbering state as stored."""
        row = self.connection.execute(
            "SELECT state FROM numbering WHERE name = %s", (self.name,)
        ).fetchone()
        assert row is not None
        state: fl.SequenceState = from_dict(fl.SequenceState, row[0])
        return state

    def issue(self, draft: fl.Invoice, on: date, *, due_date: date | None = None) -> fl.Invoice:
        """Issue *draft* on *on*, and store the invoice and the new state together.

        Raises:
            facturlib.NotIssuable: the draft cannot be issued (nothing is written).
            facturlib.StaleStateError: the stored state changed outside this store.
        """
        with self.connection.transaction():
            row = self.connection.execute(
                "SELECT state, revision FROM numbering WHERE name = %s FOR UPDATE", (self.name,)
            ).fetchone()
            assert row is not None, "the constructor inserts the numbering row"
            state = from_dict(fl.SequenceState, row[0])
            invoice, new_state = fl.issue(
                draft, self.numbering, state, on, due_date=due_date, expected_revision=row[1]
            )
            swapped = self.connection.execute(
                "UPDATE numbering SET state = %s, revision = %s WHERE name = %s AND revision = %s",
                (Jsonb(to_dict(new_state)), new_state.revision, self.name, row[1]),
            ).rowcount
            if swapped != 1:  # only a writer ignoring the lock protocol gets here
                raise fl.StaleStateError(
                    "the numbering state changed while this invoice was being issued",
                    field="state",
                    value=row[1],
                    hint="issue again: the state is read afresh",
                )
            totals = invoice.totals()
            self.connection.execute(
                "INSERT INTO documents (number, kind, issue_date, buyer, currency, net, vat,"
                " gross, seal, document) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    invoice.number,
                    invoice.kind.code,
                    invoice.issue_date,
                    invoice.buyer.name,
                    invoice.currency.code,
                    totals.tax_exclusive_total.amount,
                    totals.vat_total.amount,
                    totals.tax_inclusive_total.amount,
                    invoice.seal,
                    Jsonb(to_dict(invoice)),
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
            "SELECT document FROM documents WHERE number = %s", (number,)
        ).fetchone()
        if row is None:
            raise KeyError(number)
        invoice: fl.Invoice = from_dict(row[0])  # tagged: no class needed
        return invoice

    def numbers(self) -> list[tuple[str, date]]:
        """Every stored ``(number, issue date)``, for `facturlib.audit_numbers`."""
        rows = self.connection.execute("SELECT number, issue_date FROM documents").fetchall()
        return [(number, on) for number, on in rows]

    def audit(self, scheme: fl.NumberingScheme) -> tuple[fl.Problem, ...]:
        """Gaps, duplicates and dates out of order among the numbers of *scheme*."""
        return fl.audit_numbers(self.numbers(), scheme)

    def gross_by_buyer(self) -> dict[tuple[str, str], Decimal]:
        """The gross total (BT-112) billed to each buyer, per currency (``numeric`` sums)."""
        rows = self.connection.execute(
            "SELECT buyer, currency, sum(gross) FROM documents GROUP BY buyer, currency"
        ).fetchall()
        return {(buyer, currency): total for buyer, currency, total in rows}


# ------------------------------------------------------------------ throwaway cluster


def server_binaries() -> Path | None:
    """The directory holding ``initdb``, ``pg_ctl`` and ``postgres``, or ``None``.

    Looks on ``PATH``, then in Debian's and Ubuntu's ``/usr/lib/postgresql/*/bin``
    (the highest version), which is not on ``PATH`` by default.
    """
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    return Path(candidates[-1]).parent if candidates else None


def _unprivileged() -> dict[str, Any]:
    """``subprocess`` arguments that drop root for the server (it refuses to run as root)."""
    if os.geteuid() != 0:
        return {}
    for account in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(account)
        except KeyError:
            continue
        return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
    raise RuntimeError("running as root and no 'postgres' or 'nobody' account to run the server as")


@contextmanager
def throwaway_cluster(bin_dir: Path | None = None) -> Iterator[str]:
    """Start a PostgreSQL cluster in a temporary directory; yield its connection string.

    The server listens on a Unix socket in that directory only, with ``fsync`` off
    (the data is thrown away), and is stopped and removed on exit.

    Raises:
        FileNotFoundError: no PostgreSQL server binaries were found.
    """
    bin_dir = bin_dir or server_binaries()
    if bin_dir is None:
        raise FileNotFoundError("initdb: no PostgreSQL server found on PATH or in /usr/lib")
    drop = _unprivileged()
    root = Path(tempfile.mkdtemp(prefix="facturlib-pg-"))
    if drop:
        os.chown(root, drop["user"], drop["group"])
    data = root / "data"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(root),
        "LC_ALL": "C",
        "TZ": "UTC",
    }

    def run(*args: str) -> None:
        result = subprocess.run(
            args, env=env, cwd=root, capture_output=True, text=True, timeout=120, **drop
        )
        if result.returncode != 0:
            log = root / "log"
            server = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}{server}")

    started = False
    try:
        run(
            str(bin_dir / "initdb"),
            "-D", str(data),
            "-U", "facturlib",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )  # fmt: skip
        options = f"-k {root} -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"),
            "-o", options, "-w", "-t", "60", "start")  # fmt: skip
        started = True
        yield f"host={root} dbname=postgres user=facturlib"
    finally:
        if started:
            run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def sample_draft(index: int) -> fl.Invoice:
    """A draft from the sample company (``facturlib.demo``) to one of its French customers."""
    company = load_sample_company()
    french = [c for c in company.customers if c.address.country_code == "FR"]
    products = [company.product("DEV"), company.product("GUIDE")]
    return fl.Invoice(
        seller=company.seller,
        buyer=french[index % len(french)],
        currency="EUR",
        lines=[product.line(1 + index % 3) for product in products],
    )


def demo(conninfo: str) -> None:
    scheme = fl.NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
    with InvoiceStore(conninfo, scheme) as store:
        for i, day in enumerate([2, 2, 9, 16, 23]):
            invoice = store.issue(sample_draft(i), date(2025, 1, day), due_date=date(2025, 2, 28))
            print(f"issued {invoice.number} to {invoice.buyer.name}")
        again = store.get(invoice.number)
        assert again == invoice
        assert again.seal == invoice.seal
        problems = store.audit(scheme)
        assert not problems, problems
        for (buyer, currency), gross in sorted(store.gross_by_buyer().items()):
            print(f"  {buyer}: {gross} {currency}")
        print(f"numbering at revision {store.state().revision}; audit: no gap, no duplicate")


def main(argv: list[str]) -> None:
    if argv:
        demo(argv[0])
        return
    if server_binaries() is None:
        print("no PostgreSQL server found (initdb): pass a connection string to use yours")
        return
    with throwaway_cluster() as conninfo:
        print(f"throwaway cluster: {conninfo}")
        demo(conninfo)


if __name__ == "__main__":
    main(sys.argv[1:])
