"""The storage examples under real concurrency: ``examples/sqlite_store.py`` and
``examples/postgres_store.py``.

Eight processes issue 1 000 invoices in all against one store. Every number must be
given once, with no gap (CGI ann. II 242 nonies A: `facturlib.audit_numbers` finds
nothing), every stored invoice must load and pass `facturlib.check_issued`, and the
total columns must be the invoice's own totals.

The PostgreSQL test starts a throwaway cluster (``initdb``/``pg_ctl`` as an
unprivileged account when run as root, see the example's docstring). It is skipped
only when no server binaries can be found and ``FACTURLIB_REQUIRE_POSTGRES`` is not
set; CI sets it, and installs the server when it is missing.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import sys
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import facturlib as fl
from facturlib.core.serialize import from_dict, from_json

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
if str(EXAMPLES) not in sys.path:  # the spawned workers import the examples too
    sys.path.insert(0, str(EXAMPLES))

import sqlite_store  # noqa: E402

PROCESSES = 8
TOTAL = 1_000
SCHEME = fl.NumberingScheme(pattern="FA-{yyyy}-{seq:05}")
ON = date(2025, 3, 14)
DUE = date(2025, 4, 30)


def _drafts() -> list[fl.Invoice]:
    return [sqlite_store.sample_draft(i) for i in range(6)]


def _sqlite_worker(path: str, count: int) -> list[str]:
    """Issue *count* invoices into the SQLite store at *path*; return their numbers."""
    drafts = _drafts()
    # durable=False: this test is about concurrency, not about surviving a power cut.
    with sqlite_store.InvoiceStore(path, SCHEME, durable=False) as store:
        return [store.issue(drafts[i % 6], ON, due_date=DUE).number or "" for i in range(count)]


def _postgres_worker(conninfo: str, count: int) -> list[str]:
    """Issue *count* invoices into the PostgreSQL store; return their numbers."""
    import postgres_store

    drafts = _drafts()
    with postgres_store.InvoiceStore(conninfo, SCHEME) as store:
        return [store.issue(drafts[i % 6], ON, due_date=DUE).number or "" for i in range(count)]


def _in_processes(worker: Any, target: str) -> list[str]:
    """Run *worker* in `PROCESSES` spawned processes, `TOTAL` invoices in all."""
    shares = [TOTAL // PROCESSES + (i < TOTAL % PROCESSES) for i in range(PROCESSES)]
    # A fork server that has imported facturlib once starts the workers in a blink;
    # spawning 8 fresh interpreters costs seconds each on a small, busy machine.
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["facturlib", "sqlite_store", "postgres_store"])
    else:  # pragma: no cover - Windows
        context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        numbers = pool.starmap(worker, [(target, share) for share in shares])
    return [number for chunk in numbers for number in chunk]


def _check_rows(given: list[str], rows: list[tuple[Any, ...]], final_revision: int) -> None:
    """The audit of a store after the concurrent run (rows: number, date, columns, doc)."""
    assert TOTAL == len(given) == len(set(given))
    assert TOTAL == len(rows)
    assert sorted(given) == sorted(row[0] for row in rows)
    entries = [(row[0], row[1]) for row in rows]
    assert () == fl.audit_numbers(entries, SCHEME)
    assert TOTAL == final_revision
    for number, issued_on, kind, buyer, currency, net, vat, gross, invoice in rows:
        totals = invoice.totals()
        assert (number, issued_on, "380") == (invoice.number, invoice.issue_date, kind)
        assert (buyer, currency) == (invoice.buyer.name, invoice.currency.code)
        assert (
            totals.tax_exclusive_total.amount,
            totals.vat_total.amount,
            totals.tax_inclusive_total.amount,
        ) == (Decimal(net), Decimal(vat), Decimal(gross))
        assert () == fl.check_issued(invoice)


class TestSqliteStore:
    def test_eight_processes_issue_a_gapless_series(self, tmp_path: Path) -> None:
        """8 processes, 1 000 invoices: no gap, no duplicate, every stored invoice loads."""
        path = str(tmp_path / "store.sqlite3")
        sqlite_store.InvoiceStore(path, SCHEME).close()  # the schema, once

        given = _in_processes(_sqlite_worker, path)

        with sqlite_store.InvoiceStore(path, SCHEME) as store:
            rows = store.connection.execute(
                "SELECT number, issue_date, kind, buyer, currency, net, vat, gross, document"
                " FROM documents"
            ).fetchall()
            loaded = [
                (*row[:1], date.fromisoformat(row[1]), *row[2:8], from_json(row[8])) for row in rows
            ]
            _check_rows(given, loaded, store.state().revision)
            assert () == store.audit(SCHEME)
            assert loaded[0][8] == store.get(loaded[0][0])

    def test_state_changed_behind_the_store(self, tmp_path: Path) -> None:
        """A revision column moved by another program: StaleStateError, nothing written."""
        with sqlite_store.InvoiceStore(tmp_path / "s.sqlite3", SCHEME) as store:
            store.issue(_drafts()[0], ON, due_date=DUE)
            store.connection.execute("UPDATE numbering SET revision = revision + 1")

            with pytest.raises(fl.StaleStateError):
                store.issue(_drafts()[1], ON, due_date=DUE)

            assert 1 == len(store.numbers())

    def test_refused_draft_writes_nothing(self, tmp_path: Path) -> None:
        """A draft that cannot be issued (no due date, C. com. L441-9) writes nothing."""
        with sqlite_store.InvoiceStore(tmp_path / "s.sqlite3", SCHEME) as store:
            with pytest.raises(fl.NotIssuable):
                store.issue(_drafts()[0], ON)

            assert ([], 0) == (store.numbers(), store.state().revision)

    def test_tampered_document_is_refused(self, tmp_path: Path) -> None:
        """A stored invoice edited in the database no longer loads (its seal)."""
        with sqlite_store.InvoiceStore(tmp_path / "s.sqlite3", SCHEME) as store:
            number = store.issue(_drafts()[0], ON, due_date=DUE).number
            (text,) = store.connection.execute("SELECT document FROM documents").fetchone()
            data = json.loads(text)
            data["lines"][0]["quantity"] = "100"
            store.connection.execute("UPDATE documents SET document = ?", (json.dumps(data),))

            with pytest.raises(fl.IssuedDocumentError):
                store.get(number or "")

    def test_schema_is_idempotent(self, tmp_path: Path) -> None:
        """Opening the store again keeps its state."""
        path = tmp_path / "s.sqlite3"
        with sqlite_store.InvoiceStore(path, SCHEME) as store:
            store.issue(_drafts()[0], ON, due_date=DUE)
        with sqlite_store.InvoiceStore(path, SCHEME) as store:
            assert 1 == store.state().revision

    def test_sqlite_is_not_left_locked(self, tmp_path: Path) -> None:
        """After a refused issue, another connection can write at once."""
        path = tmp_path / "s.sqlite3"
        with sqlite_store.InvoiceStore(path, SCHEME) as store:
            with pytest.raises(fl.NotIssuable):
                store.issue(_drafts()[0], ON)
            other = sqlite3.connect(str(path), timeout=0.1)
            other.execute("UPDATE numbering SET revision = revision")
            other.commit()
            other.close()


def _postgres_binaries() -> Path | None:
    try:
        import postgres_store
    except ImportError:  # psycopg missing: pip install -e '.[test]'
        if os.environ.get("FACTURLIB_REQUIRE_POSTGRES"):
            raise
        pytest.skip("psycopg is not installed (pip install -e '.[test]')")
    found: Path | None = postgres_store.server_binaries()
    return found


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A throwaway PostgreSQL cluster for this module's tests."""
    binaries = _postgres_binaries()
    if binaries is None:
        if os.environ.get("FACTURLIB_REQUIRE_POSTGRES"):
            pytest.fail("FACTURLIB_REQUIRE_POSTGRES is set but no initdb was found")
        pytest.skip(
            "no PostgreSQL server binaries (initdb) on PATH or in /usr/lib/postgresql/*/bin; "
            "install the server (apt-get install postgresql) to run this test"
        )
    import postgres_store

    with postgres_store.throwaway_cluster(binaries) as conninfo:
        yield conninfo


def _database(cluster: str, name: str) -> str:
    """A new empty database in the cluster; its connection string."""
    import psycopg

    with psycopg.connect(cluster, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    return cluster.replace("dbname=postgres", f"dbname={name}")


class TestPostgresStore:
    def test_eight_processes_issue_a_gapless_series(self, cluster: str) -> None:
        """8 processes, 1 000 invoices with SELECT ... FOR UPDATE: gapless, all loadable."""
        import postgres_store

        conninfo = _database(cluster, "concurrent")
        postgres_store.InvoiceStore(conninfo, SCHEME).close()  # the schema, once

        given = _in_processes(_postgres_worker, conninfo)

        with postgres_store.InvoiceStore(conninfo, SCHEME) as store:
            rows = store.connection.execute(
                "SELECT number, issue_date, kind, buyer, currency, net, vat, gross, document"
                " FROM documents"
            ).fetchall()
            loaded = [(*row[:8], from_dict(row[8])) for row in rows]
            _check_rows(given, loaded, store.state().revision)
            assert () == store.audit(SCHEME)
            assert loaded[0][8] == store.get(loaded[0][0])
            (kind,) = store.connection.execute(
                "SELECT DISTINCT document->>'$type' FROM documents"
            ).fetchone()
            assert "Invoice" == kind

    def test_state_changed_behind_the_store(self, cluster: str) -> None:
        """A revision column moved by another program: StaleStateError, nothing written."""
        import postgres_store

        with postgres_store.InvoiceStore(_database(cluster, "stale"), SCHEME) as store:
            store.issue(_drafts()[0], ON, due_date=DUE)
            before = len(store.numbers())
            store.connection.execute("UPDATE numbering SET revision = revision + 1")

            with pytest.raises(fl.StaleStateError):
                store.issue(_drafts()[1], ON, due_date=DUE)

            assert before == len(store.numbers())

    def test_tampered_document_is_refused(self, cluster: str) -> None:
        """A stored invoice edited in the database no longer loads (its seal)."""
        import postgres_store

        with postgres_store.InvoiceStore(_database(cluster, "tamper"), SCHEME) as store:
            number = store.issue(_drafts()[0], ON, due_date=DUE).number
            store.connection.execute(
                "UPDATE documents SET document = jsonb_set(document, '{buyer,name}', '\"X\"')"
                " WHERE number = %s",
                (number,),
            )

            with pytest.raises(fl.IssuedDocumentError):
                store.get(number or "")


class TestThrowawayCluster:
    def test_no_server_found(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without initdb on PATH or in /usr/lib/postgresql, no binaries (the test skips)."""
        _postgres_binaries()
        import postgres_store

        monkeypatch.setattr(postgres_store.shutil, "which", lambda name: None)
        monkeypatch.setattr(postgres_store.glob, "glob", lambda pattern: [])

        assert postgres_store.server_binaries() is None
        with pytest.raises(FileNotFoundError), postgres_store.throwaway_cluster():
            pass  # pragma: no cover

    def test_debian_layout(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Off PATH, the highest version under /usr/lib/postgresql/*/bin is taken."""
        _postgres_binaries()
        import postgres_store

        found = ["/usr/lib/postgresql/9/bin/initdb", "/usr/lib/postgresql/15/bin/initdb"]
        monkeypatch.setattr(postgres_store.shutil, "which", lambda name: None)
        monkeypatch.setattr(postgres_store.glob, "glob", lambda pattern: list(found))

        assert Path("/usr/lib/postgresql/15/bin") == postgres_store.server_binaries()

    def test_root_runs_the_server_unprivileged(self) -> None:
        """As root, the server runs as another account; otherwise as the current user."""
        _postgres_binaries()
        import postgres_store

        drop = postgres_store._unprivileged()

        if os.geteuid() == 0:
            assert 0 != drop["user"]
        else:
            assert {} == drop
