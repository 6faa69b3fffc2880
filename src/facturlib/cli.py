"""The ``facturlib`` command.

``facturlib demo`` bills a year of the bundled sample company (see
`facturlib.demo`), prints what happened — every document with its totals, the
VAT collected per rate, revenue, payments and balance per customer, the
reminders sent, the trial balance and the FEC check — and, with ``--out DIR``,
writes every document as JSON, PDF and Factur-X PDF (PDF/A-3b with its CII
XML attached), the FEC file and the letters of the last dunning run into *DIR*.

This module is the only place in facturlib that prints or writes files.

.. versionadded:: 0.1
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any, TextIO

from babel.numbers import format_currency
from moneyed import Money

from facturlib.accounting.fec import check_fec, export_fec
from facturlib.accounting.ledger import trial_balance
from facturlib.core.deliveries import DeliveryNote
from facturlib.core.documents import DocumentKind, Invoice, Quote
from facturlib.core.errors import FacturlibError, InvalidValue
from facturlib.core.exchange import ExchangeRate
from facturlib.core.serialize import from_json, to_dict, to_json
from facturlib.demo import Books, SampleCompany, after_closing, bill_year, load_sample_company
from facturlib.demo.purchases import purchase_entries, received_purchases
from facturlib.einvoice.cii import CiiRenderer
from facturlib.einvoice.facturx import FacturXRenderer
from facturlib.einvoice.reading import read_einvoice
from facturlib.einvoice.ubl import UblRenderer
from facturlib.receivables.dunning import dunning_letters, dunning_run
from facturlib.receivables.payments import customer_balances
from facturlib.renderers.letters import LetterRenderer
from facturlib.renderers.pdf import PdfRenderer
from facturlib.runs.billing import BillRun, bill_run
from facturlib.runs.outputs import check_file, file_count, run_files, run_report
from facturlib.runs.portfolio import PortfolioError, load_portfolio
from facturlib.sepa.pain008 import write_pain008

__all__ = ["main"]

_KIND_LABELS = {
    DocumentKind.INVOICE: "Facture",
    DocumentKind.CREDIT_NOTE: "Avoir",
    DocumentKind.DEPOSIT: "Acompte",
    DocumentKind.CORRECTIVE: "Rectificative",
}


def _fmt(amount: Money | Decimal, currency: str = "EUR") -> str:
    value = amount.amount if isinstance(amount, Money) else amount
    code = amount.currency.code if isinstance(amount, Money) else currency
    return format_currency(value, code, locale="fr_FR")


def _signed(kind: DocumentKind, amount: Money) -> Decimal:
    value: Decimal = amount.amount
    return -value if kind is DocumentKind.CREDIT_NOTE else value


def _eur(doc: Invoice, amount: Money) -> Money:
    """*amount* of *doc* in euros, at the rate the document states (BT-6, BT-111)."""
    if amount.currency.code == "EUR" or doc.tax_exchange_rate is None or doc.issue_date is None:
        return amount
    rate = ExchangeRate(currency=amount.currency, rate=doc.tax_exchange_rate, on=doc.issue_date)
    return rate.convert(amount)


def print_books(books: Books, out: TextIO) -> None:
    """Print the documents of *books*, the VAT per rate and the revenue per customer."""
    company = books.company
    year = company.fiscal_year
    title = f"{company.seller.name} — facturation {year.start:%d/%m/%Y} – {year.last_day:%d/%m/%Y}"
    out.write(f"{title}\n{'=' * len(title)}\n\n")
    header = (
        f"{'N°':<14} {'Date':<10} {'Type':<13} {'Client':<26} {'HT':>13} {'TVA':>12} {'TTC':>13}"
    )
    out.write(header + "\n" + "-" * len(header) + "\n")
    vat_by_rate: dict[str, Decimal] = defaultdict(Decimal)
    base_by_rate: dict[str, Decimal] = defaultdict(Decimal)
    revenue: dict[str, Decimal] = defaultdict(Decimal)
    by_number = {doc.number: doc for doc in books.documents}
    for doc in books.documents:
        totals = doc.totals()
        out.write(
            f"{doc.number:<14} {doc.issue_date:%d/%m/%Y} {_KIND_LABELS.get(doc.kind, '?'):<13} "
            f"{doc.buyer.name[:26]:<26} {_fmt(totals.tax_exclusive_total):>13} "
            f"{_fmt(totals.vat_total):>12} {_fmt(totals.tax_inclusive_total):>13}\n"
        )
        for group in totals.vat_breakdown:  # in euros, foreign documents at their rate
            vat_by_rate[group.vat.label] += _signed(doc.kind, _eur(doc, group.amount))
            base_by_rate[group.vat.label] += _signed(doc.kind, _eur(doc, group.taxable))
        # A final invoice states the full price; the deposits it deducts were
        # already counted when they were invoiced.
        for ref in doc.preceding if doc.kind is DocumentKind.INVOICE else ():
            deducted = by_number.get(ref.number)
            if deducted is not None and deducted.kind is DocumentKind.DEPOSIT:
                for group in deducted.totals().vat_breakdown:
                    vat_by_rate[group.vat.label] -= group.amount.amount
                    base_by_rate[group.vat.label] -= group.taxable.amount
        if doc.kind is not DocumentKind.DEPOSIT:  # a deposit is an advance, not revenue
            revenue[doc.buyer.name] += _signed(doc.kind, _eur(doc, totals.tax_exclusive_total))
    counts: dict[str, int] = defaultdict(int)
    for doc in books.documents:
        counts[_KIND_LABELS.get(doc.kind, "?")] += 1
    out.write("\n" + ", ".join(f"{n} × {label}" for label, n in counts.items()) + "\n")
    out.write("\nTVA collectée par taux (factures − avoirs)\n")
    for label in sorted(vat_by_rate):
        base, vat = _fmt(base_by_rate[label]), _fmt(vat_by_rate[label])
        out.write(f"  {label:<10} base {base:>14}   TVA {vat:>12}\n")
    out.write("\nChiffre d'affaires HT par client\n")
    for name, amount in sorted(revenue.items(), key=lambda item: -item[1]):
        out.write(f"  {name[:40]:<40} {_fmt(amount):>14}\n")
    print_sales(books, out)
    print_receivables(books, out)
    print_ledger(books, out)
    print_aftermath(books, out)


_QUOTE_STATUS = {"superseded": "remplacé", "accepted": "accepté", "sent": "envoyé"}


def print_sales(books: Books, out: TextIO) -> None:
    """Print the quotes (versions and status), the orders, their deliveries and invoices."""
    if not books.quotes:
        return
    out.write("\nDevis, commandes et livraisons\n")
    for quote in books.quotes:
        lines = ", ".join(f"{line.quantity} × {line.product_id}" for line in quote.lines)
        status = _QUOTE_STATUS.get(quote.status.value, quote.status.value)
        out.write(
            f"  Devis {quote.label:<22} {lines:<34} {status} le {quote.status_date:%d/%m/%Y}\n"
        )
    for order in books.orders:
        out.write(f"  Commande {order.number} (devis {order.quote_reference})\n")
        invoices = [d for d in books.documents if d.order_reference == order.number]
        for note in (n for n in books.delivery_notes if n.order_number == order.number):
            billed = next(
                (d for d in invoices if any(note.number in n.text for n in d.notes)), None
            )
            shipped = " + ".join(str(line.quantity) for line in note.lines)
            total = _fmt(billed.totals().tax_inclusive_total) if billed else "—"
            out.write(
                f"    {note.number} du {note.issue_date:%d/%m/%Y} : {shipped:>4} livrés → "
                f"facture {billed.number if billed else '—'} {total:>12}\n"
            )
        progress = order.progress(invoices)
        state = "facturée en totalité" if progress.is_fully_invoiced else "reste à facturer"
        out.write(
            f"    {state} : {_fmt(progress.invoiced_amount)} HT sur "
            f"{_fmt(progress.ordered_amount)} HT\n"
        )


def print_receivables(books: Books, out: TextIO) -> None:
    """Print the payments, the balance of each customer at closing and the dunning steps."""
    received = sum(  # in euros, foreign payments at their rate
        (
            (p.exchange_rate.convert(p.amount) if p.exchange_rate else p.amount).amount
            for p in books.payments
        ),
        Decimal(0),
    )
    returned = {r.payment_id for r in books.reversals}
    out.write(
        f"\nEncaissements : {len(books.payments)} paiements, {_fmt(received)}"
        f" ({len(returned)} rejeté(s))\n"
    )
    if books.direct_debits:
        debits = sum(len(b.debits) for b in books.direct_debits)
        rejected = [r for r in books.reversals if r.reason]
        out.write(
            f"Prélèvements SEPA : {debits} prélèvement(s) en {len(books.direct_debits)} "
            f"fichier(s) pain.008.001.08, {len(rejected)} rejet(s)"
            + "".join(f" ({r.payment_id} {r.reason} le {r.date:%d/%m/%Y})" for r in rejected)
            + "\n"
        )
    settlement = books.settlement()
    out.write(f"\nSoldes clients au {books.closing:%d/%m/%Y}\n")
    out.write(f"  {'Client':<30} {'Facturé':>14} {'Reste dû':>12} {'En retard':>12} {'Jours':>6}\n")
    names = {c.key: c.name for c in books.company.customers}
    for row in customer_balances(settlement):
        out.write(
            f"  {names.get(row.customer, row.customer)[:30]:<30} {_fmt(row.invoiced):>14} "
            f"{_fmt(row.due):>12} {_fmt(row.overdue):>12} {row.days_overdue:>6}\n"
        )
    steps = {level: step.name for level, step in enumerate(books.dunning_policy.levels, 1)}
    out.write(f"\nRelances envoyées ({len(books.dunning)})\n")
    for record in books.dunning:
        out.write(
            f"  {record.date:%d/%m/%Y}  {record.invoice_number:<14} "
            f"{steps.get(record.level, record.level)}\n"
        )


def print_aftermath(books: Books, out: TextIO) -> None:
    """Print January after the closing: the late invoice's dunning calendar and
    penalties, the payment, the refund of an overpayment and a small write-off."""
    after = after_closing(books)
    late = after.late_invoice
    out.write(f"\nAprès la clôture : calendrier de relance de {late.number}")
    out.write(f" (échéance {late.due_date:%d/%m/%Y})\n")
    for step in after.calendar:
        taken = f"faite le {step.taken:%d/%m/%Y}" if step.taken else "à faire"
        out.write(f"  {step.planned:%d/%m/%Y}  {step.step.name:<16} {taken}\n")
    penalty = after.penalty
    halves = ", ".join(f"{half} {_fmt(amount)}" for half, amount in penalty.by_half_year())
    indemnity = _fmt(penalty.indemnity) if penalty.indemnity is not None else "0,00"
    out.write(
        f"  Pénalités au {penalty.until:%d/%m/%Y} : intérêts {halves} ; "
        f"indemnité {indemnity} ; total {_fmt(penalty.total)}\n"
    )
    for payment in after.payments:
        out.write(
            f"  {payment.date:%d/%m/%Y}  règlement {payment.id} {_fmt(payment.amount):>12}"
            f"  ({payment.reference})\n"
        )
    refund = after.refund
    out.write(
        f"  {refund.date:%d/%m/%Y}  remboursement {refund.id} {_fmt(refund.amount):>12}"
        f"  ({refund.reason})\n"
    )
    for write_off in after.write_offs:
        amount = _fmt(write_off.amount) if write_off.amount is not None else ""
        out.write(
            f"  {write_off.date:%d/%m/%Y}  passage en perte {write_off.id} {amount:>12}"
            f"  ({write_off.reason})\n"
        )
    for entry in after.entries:
        lines = ", ".join(
            f"{ln.account.number} {'D' if ln.debit else 'C'} {_fmt(ln.amount.amount.copy_abs())}"
            for ln in entry.lines
        )
        out.write(f"    {entry.journal.code} {entry.piece:<16} {lines}\n")


def print_ledger(books: Books, out: TextIO) -> None:
    """Print the trial balance of the year's journal and the FEC check."""
    entries = books.journal()
    balance = trial_balance(entries)
    out.write(f"\nBalance générale au {books.closing:%d/%m/%Y} ({len(entries)} écritures)\n")
    out.write(f"  {'Compte':<8} {'Libellé':<38} {'Débit':>14} {'Crédit':>14}\n")
    for row in balance.rows:
        out.write(
            f"  {row.account.number:<8} {row.account.label[:38]:<38} "
            f"{_fmt(row.debit):>14} {_fmt(row.credit):>14}\n"
        )
    fec = export_fec(entries, siren=_siren(books), closing=books.closing)
    problems = check_fec(fec.content, filename=fec.filename, closing=books.closing)
    verdict = "aucune anomalie" if not problems else f"{len(problems)} anomalie(s)"
    out.write(f"\nFEC {fec.filename} : {verdict}\n")
    for problem in problems:
        out.write(f"  {problem.code}: {problem.message}\n")


def _siren(books: Books) -> str:
    siren = books.company.seller.legal_id
    if siren is None:  # pragma: no cover - the sample company has one
        raise InvalidValue("the seller has no SIREN", field="siren", hint="an FEC needs one")
    return siren


def write_books(books: Books, directory: Path) -> list[Path]:
    """Write the year into *directory*.

    Each document as ``<number>.json``, ``<number>.pdf`` and its e-invoices
    ``<number>.cii.xml`` (CII D22B, EN 16931), ``<number>.ubl.xml`` (UBL 2.1) and
    ``<number>-facturx.pdf`` (Factur-X EN 16931: the PDF as PDF/A-3b with the CII
    attached), the quotes (``<number>-rev<n>.pdf`` from the second revision) and
    delivery notes as PDF, the FEC file (``<SIREN>FEC<closing>.txt``), the SEPA direct-debit files
    (``PRLV-<date>.xml``, pain.008.001.08) and the letters of the year's last dunning run as
    text and PDF.
    """
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    renderer = PdfRenderer(locale="fr_FR")
    # The e-invoices, after the pre-flight check (facturlib.einvoice.check).
    e_invoices = (CiiRenderer("EN 16931"), UblRenderer("EN 16931"))
    facturx = FacturXRenderer("EN 16931", locale="fr_FR")
    for doc in books.documents:
        path = directory / f"{doc.number}.json"
        path.write_text(to_json(doc, indent=2), encoding="utf-8")
        written.append(path)
        for rendered in (renderer.render(doc), *(r.render(doc) for r in e_invoices)):
            (directory / rendered.filename).write_bytes(rendered.content)
            written.append(directory / rendered.filename)
        # Named apart from the plain PDF, which has the same number.
        hybrid = facturx.render(doc)
        written.append(directory / f"{Path(hybrid.filename).stem}-facturx.pdf")
        written[-1].write_bytes(hybrid.content)
    # The quotes (every version) and the delivery notes, as PDF: they are not invoices.
    papers: list[Quote | DeliveryNote] = [*books.quotes, *books.delivery_notes]
    for paper in papers:
        rendered = renderer.render(paper)
        name = rendered.filename
        if isinstance(paper, Quote) and paper.revision > 1:
            name = f"{Path(name).stem}-rev{paper.revision}.pdf"
        (directory / name).write_bytes(rendered.content)
        written.append(directory / name)
    fec = export_fec(books.journal(), siren=_siren(books), closing=books.closing)
    (directory / fec.filename).write_bytes(fec.content)
    written.append(directory / fec.filename)
    # The SEPA direct-debit files sent to the bank (pain.008.001.08, after pre-flight checks).
    for batch in books.direct_debits:
        path = directory / f"{batch.message_id}.xml"
        path.write_bytes(write_pain008(batch))
        written.append(path)
    # The letters of the last dunning run of the year, rebuilt from its history.
    letters = LetterRenderer(lang="fr")
    last = max((r.date for r in books.dunning), default=books.closing)
    actions = dunning_run(
        books.documents,
        [p for p in books.payments if p.date <= last],
        books.dunning_policy,
        last,
        history=[r for r in books.dunning if r.date < last],
        allocations=[a for a in books.allocations if a.date <= last],
        reversals=[r for r in books.reversals if r.date <= last],
    )
    for letter in dunning_letters(actions):
        for rendered in (letters.render(letter), renderer.render(letter)):
            (directory / rendered.filename).write_bytes(rendered.content)
            written.append(directory / rendered.filename)
    return written


def print_purchases(company: SampleCompany, out: TextIO) -> None:
    """The supplier e-invoices the sample company received, read back and booked."""
    received = received_purchases(company)
    out.write("\nAchats reçus (e-invoices lues et comptabilisées au journal HA)\n")
    for item in received:
        document = item.document
        out.write(
            f"  {document.number:<12} {document.seller.name:<24} {item.format} {item.profile}"
            f"  {len(item.problems)} écart(s)\n"
        )
    entries = purchase_entries(received)
    balance = trial_balance(entries).balance
    out.write(f"  {len(entries)} écritures, balance {balance.amount}\n")


def read_back(paths: Sequence[Path]) -> tuple[int, list[str]]:
    """Read back the Factur-X files written: how many, and the problems found."""
    problems = []
    for path in paths:
        received = read_einvoice(path.read_bytes())
        problems += [f"{path.name}: {p.code} {p.message}" for p in received.problems]
    return len(paths), problems


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    books = bill_year(load_sample_company())
    print_books(books, out)
    print_purchases(books.company, out)
    if args.out is not None:
        written = write_books(books, Path(args.out))
        out.write(f"\nWrote {len(written)} files to {args.out}\n")
        count, problems = read_back([p for p in written if p.name.endswith("-facturx.pdf")])
        out.write(f"Relu {count} Factur-X : {len(problems)} écart(s)\n")
        for problem in problems:
            out.write(f"  {problem}\n")
    return 0


# ------------------------------------------------------------------ bill-run, render, check

#: The largest file ``render`` and ``check`` read (a stored invoice, an FEC, a PDF).
_MAX_INPUT = 64 * 1024 * 1024


class _UsageError(Exception):
    """A usage problem (exit status 2): bad arguments, unreadable or unwritable paths."""


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def add_run_commands(commands: Any) -> None:
    """Add ``bill-run``, ``render`` and ``check`` to the subcommands *commands*."""
    run = commands.add_parser(
        "bill-run",
        help="bill a portfolio file through a date",
        description="Bill everything due in PORTFOLIO (JSON or YAML, see docs/bill-runs.md) "
        "through a date; write the documents, e-invoices, SEPA files, journal, FEC, dunning "
        "letters and the new state (state.json, the portfolio for the next run) into DIR.",
    )
    run.add_argument("portfolio", metavar="PORTFOLIO", help="the portfolio file")
    run.add_argument("--through", type=_day, required=True, metavar="DATE", help="YYYY-MM-DD")
    run.add_argument("--out", metavar="DIR", help="where to write (required unless --dry-run)")
    run.add_argument("--dry-run", action="store_true", help="report only, write nothing")
    run.add_argument("--format", choices=("text", "json"), default="text", help="the report")
    render = commands.add_parser("render", help="render a stored invoice (JSON) as a PDF")
    render.add_argument("file", metavar="FILE.json")
    render.add_argument("--out", metavar="FILE.pdf", help="default: FILE.pdf next to FILE.json")
    check = commands.add_parser(
        "check", help="check an FEC, a CII/UBL/Factur-X e-invoice or a pain.008 file"
    )
    check.add_argument("files", metavar="FILE", nargs="+")
    check.add_argument("--format", choices=("text", "json"), default="text")


def run_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``bill-run``, ``render`` or ``check``; messages for cron: the report on *out*,
    errors on *err*."""
    try:
        if args.command == "bill-run":
            return _bill_run(args, out, err)
        if args.command == "render":
            return _render(args, out, err)
        return _check(args, out)
    except _UsageError as error:
        err.write(f"facturlib {args.command}: {error}\n")
        return 2


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read(_MAX_INPUT + 1)
    except OSError as exc:
        raise _UsageError(f"cannot read {path}: {exc.strerror}") from None
    if len(data) > _MAX_INPUT:
        raise _UsageError(f"{path} is longer than {_MAX_INPUT} bytes")
    return data


def _writable(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / ".facturlib-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise _UsageError(f"cannot write to --out {directory}: {exc.strerror}") from None


def _bill_run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.out is None and not args.dry_run:
        raise _UsageError("give --out DIR (or --dry-run)")
    if not Path(args.portfolio).is_file():
        raise _UsageError(f"no portfolio file {args.portfolio}")
    try:
        portfolio = load_portfolio(args.portfolio)
    except PortfolioError as error:
        for problem in error.problems:
            err.write(f"{error.source}: {problem.reference}: {problem.message}\n")
        return 1
    run = bill_run(portfolio, through=args.through)
    directory = None if args.dry_run else Path(args.out)
    if directory is not None:
        _writable(directory)
        try:
            _write_run(run, directory, err)
        except OSError as exc:
            raise _UsageError(f"cannot write into {directory}: {exc.strerror}") from None
        except FacturlibError as error:
            err.write(f"facturlib bill-run: {error}\n")
            return 1
    report = run_report(run)
    if args.format == "json":
        out.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_run(run, report, directory, out)
    for problem in run.problems:
        err.write(f"{args.portfolio}: {problem.reference}: {problem.message}\n")
    return 1 if run.problems else 0


def _write_run(run: BillRun, directory: Path, err: TextIO) -> None:
    from rich.progress import Progress

    with Progress(console=_console(err), disable=not err.isatty(), transient=True) as progress:
        task = progress.add_task("Writing", total=file_count(run))
        for item in run_files(run):
            path = directory / item.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(item.content)
            progress.advance(task)


def _console(err: TextIO) -> Any:
    from rich.console import Console

    return Console(file=err, stderr=True)


def _print_run(run: BillRun, report: dict[str, Any], directory: Path | None, out: TextIO) -> None:
    docs = report["documents"]
    out.write(f"Bill run through {report['through']}: {len(docs)} document(s)")
    if docs:
        out.write(f", {docs[0]['number']} to {docs[-1]['number']}")
    out.write("\n")
    for doc in docs:
        out.write(
            f"  {doc['number']:<14} {doc['issue_date']} {doc['customer']:<10} "
            f"{doc['tax_inclusive']:>12} {doc['currency']}  due {doc['due_date']}\n"
        )
    for redated in run.redated:
        out.write(
            f"  re-dated {redated.number}: planned {redated.planned}, issued {redated.issued}\n"
        )
    debits = report["direct_debits"]
    out.write(f"Direct debits: {len(debits)} file(s)")
    out.write("".join(f", {d['message_id']} ({d['count']}, {d['total']})" for d in debits) + "\n")
    out.write(f"Dunning: {len(report['dunning'])} reminder(s)\n")
    out.write(f"Journal: {report['entries']} entries\n")
    out.write(f"Problems: {len(run.problems)}\n")
    if directory is not None:
        out.write(f"Wrote into {directory}; the next run reads {directory / 'state.json'}\n")


def _render(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    data = _read(args.file)
    try:
        invoice = from_json(Invoice, data)
        rendered = PdfRenderer(locale="fr_FR").render(invoice)
    except FacturlibError as error:
        err.write(f"{args.file}: {error}\n")
        return 1
    target = Path(args.out) if args.out else Path(args.file).with_suffix(".pdf")
    try:
        target.write_bytes(rendered.content)
    except OSError as exc:
        raise _UsageError(f"cannot write {target}: {exc.strerror}") from None
    out.write(f"{target}\n")
    return 0


def _check(args: argparse.Namespace, out: TextIO) -> int:
    results = []
    for name in args.files:
        found = check_file(_read(name), filename=Path(name).name)
        results.append((name, found))
    if args.format == "json":
        payload = [
            {"file": name, "kind": found.kind, "problems": [to_dict(p) for p in found.problems]}
            for name, found in results
        ]
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        for name, found in results:
            verdict = "ok" if not found.problems else f"{len(found.problems)} problem(s)"
            out.write(f"{name}: {found.kind}, {verdict}\n")
            for problem in found.problems:
                where = f" [{problem.reference}]" if problem.reference else ""
                out.write(f"  {problem.code}{where}: {problem.message}\n")
    return 1 if any(found.problems for _, found in results) else 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the ``facturlib`` command with *argv*; return the exit status.

    Exit status: 0 done, 1 problems in the data (a bad portfolio, a run or a check
    with problems), 2 a usage error (bad arguments, a file or folder that cannot be
    read or written).
    """
    if out is None:
        _tolerant(sys.stdout)
        _tolerant(sys.stderr)
    stream = out if out is not None else sys.stdout
    try:
        return _run(argv, stream)
    except BrokenPipeError:
        # The reader went away (``facturlib ... | head``): stop quietly, as cat does.
        _silence_stdout()
        return 0


def _tolerant(stream: TextIO) -> None:
    """Write what a terminal's encoding cannot show as ``?`` instead of failing
    (LANG=C, PYTHONIOENCODING=ascii)."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="replace")


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a descriptor
        pass


def _run(argv: Sequence[str] | None, stream: TextIO) -> int:
    parser = argparse.ArgumentParser(
        prog="facturlib", description="facturlib, an embeddable billing core."
    )
    parser.add_argument("--version", action="version", version=f"facturlib {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="bill a year of the bundled sample company")
    demo.add_argument("--out", metavar="DIR", help="also write every document into DIR")
    add_run_commands(commands)
    args = parser.parse_args(argv)
    if args.command == "demo":
        return _demo(args, stream)
    return run_command(args, stream, sys.stderr)


def _version() -> str:
    try:
        return metadata.version("facturlib")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "unknown"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
