"""The files of a bill run, and the checks of a file: bytes in, bytes out, no I/O.

`run_files` yields every file a `facturlib.runs.billing.BillRun` produces, as
`OutputFile` values (a relative path and its bytes), one at a time so that a caller
can write them as they come (``facturlib bill-run`` does, with a progress bar):

* ``documents/<number>.json`` (`facturlib.core.serialize.to_json`) and
  ``documents/<number>.pdf`` (`facturlib.renderers.pdf.PdfRenderer`) for each invoice,
  and the e-invoice its customer asked for: ``<number>-facturx.pdf`` (Factur-X
  EN 16931, PDF/A-3 with its CII), ``<number>.cii.xml`` (CII D22B) or
  ``<number>.ubl.xml`` (UBL 2.1), after the EN 16931 / BR-FR pre-flight;
* ``sepa/<message id>.xml``: each direct-debit batch as pain.008.001.08;
* ``journal.json`` (the entries as plain data) and the FEC file
  ``<SIREN>FEC<YYYYMMDD>.txt`` of the run's entries (LPF art. A47 A-1), closing on the
  run's date;
* ``dunning/``: each reminder letter as text and PDF, and ``dunning.json``;
* ``state.json``: the portfolio with the state after the run, the input of the next
  run (`facturlib.runs.portfolio.portfolio_to_dict`);
* ``report.json``: `run_report`.

`check_file` tells what a file is (an FEC, a CII, UBL or Factur-X e-invoice, a
pain.008) from its content and runs facturlib's checks over it.

.. versionadded:: 0.2
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

import attrs

from facturlib.accounting.fec import check_fec, export_fec
from facturlib.core._validators import (
    as_tuple,
    check_instance,
    instance_of,
    is_text,
    tuple_of,
)
from facturlib.core.errors import FacturlibError, Problem
from facturlib.core.serialize import to_dict, to_json
from facturlib.receivables.dunning import dunning_letters
from facturlib.runs.billing import BillRun
from facturlib.runs.portfolio import EInvoiceFormat, portfolio_to_dict
from facturlib.runs.sepa_check import check_pain008

if TYPE_CHECKING:
    from facturlib.einvoice.cii import CiiRenderer
    from facturlib.einvoice.facturx import FacturXRenderer
    from facturlib.einvoice.ubl import UblRenderer
    from facturlib.renderers.pdf import PdfRenderer

__all__ = ["FileCheck", "OutputFile", "check_file", "file_count", "run_files", "run_report"]


@attrs.frozen
class OutputFile:
    """One file of a bill run: its path relative to the output folder, and its bytes.

    .. versionadded:: 0.2
    """

    path: str = attrs.field(validator=is_text)
    content: bytes = attrs.field(validator=instance_of(bytes))


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def run_report(run: BillRun) -> dict[str, Any]:
    """A summary of *run* as JSON-compatible data (what ``--format json`` prints).

    Keys: ``through``, ``documents`` (number, kind code, customer, dates, totals),
    ``redated``, ``direct_debits`` (message id, count, total), ``dunning`` (invoice,
    customer, level, step, amount due), ``entries`` (count), ``problems``.

    .. versionadded:: 0.2
    """
    check_instance(run, BillRun, "run", hint="bill_run(portfolio, through=...)")
    documents = []
    for doc in run.documents:
        totals = doc.totals()
        documents.append(
            {
                "number": doc.number,
                "kind": doc.kind.code,
                "customer": doc.buyer.key,
                "issue_date": None if doc.issue_date is None else doc.issue_date.isoformat(),
                "due_date": None if doc.due_date is None else doc.due_date.isoformat(),
                "currency": doc.currency.code,
                "tax_exclusive": _amount(totals.tax_exclusive_total.amount),
                "vat": _amount(totals.vat_total.amount),
                "tax_inclusive": _amount(totals.tax_inclusive_total.amount),
            }
        )
    return {
        "through": run.through.isoformat(),
        "documents": documents,
        "redated": [to_dict(r) for r in run.redated],
        "direct_debits": [
            {
                "message_id": b.message_id,
                "count": len(b.debits),
                "total": _amount(sum((d.amount.amount for d in b.debits), Decimal(0))),
            }
            for b in run.direct_debits
        ],
        "dunning": [
            {
                "invoice": a.invoice_number,
                "customer": a.customer,
                "level": a.level,
                "step": a.step.name,
                "amount_due": _amount(a.amount_due.amount),
            }
            for a in run.dunning
        ],
        "entries": len(run.entries),
        "problems": [to_dict(p) for p in run.problems],
    }


def file_count(run: BillRun) -> int:
    """How many files `run_files` yields for *run* (for a progress bar).

    .. versionadded:: 0.2
    """
    check_instance(run, BillRun, "run", hint="bill_run(portfolio, through=...)")
    fmt = {c.key: c.e_invoice for c in run.portfolio.customers}
    extra = sum(1 for d in run.documents if fmt.get(d.buyer.key) is not EInvoiceFormat.NONE)
    letters = len(dunning_letters(run.dunning))
    fec = 2 if run.entries else 1
    return 2 * len(run.documents) + extra + len(run.direct_debits) + fec + 2 * letters + 3


def run_files(run: BillRun, *, locale: str = "fr_FR") -> Iterator[OutputFile]:
    """Every file of *run*, one at a time (see the module docstring).

    Raises:
        RenderError: a document a renderer refuses (an e-invoice failing its pre-flight).
        SepaError: a batch failing its checks.

    .. versionadded:: 0.2
    """
    check_instance(run, BillRun, "run", hint="bill_run(portfolio, through=...)")
    check_instance(locale, str, "locale", hint='e.g. "fr_FR"')
    # The renderers import reportlab, lxml and pikepdf: only when files are made, so
    # that `import facturlib` stays light.
    from facturlib.einvoice.cii import CiiRenderer
    from facturlib.einvoice.facturx import FacturXRenderer
    from facturlib.einvoice.ubl import UblRenderer
    from facturlib.renderers.pdf import PdfRenderer

    renderers = (
        PdfRenderer(locale=locale),
        FacturXRenderer("EN 16931", locale=locale),
        CiiRenderer("EN 16931"),
        UblRenderer("EN 16931"),
    )
    return _files(run, *renderers)


def _files(
    run: BillRun,
    pdf: PdfRenderer,
    facturx: FacturXRenderer,
    cii: CiiRenderer,
    ubl: UblRenderer,
) -> Iterator[OutputFile]:
    from facturlib.renderers.letters import LetterRenderer
    from facturlib.sepa.pain008 import write_pain008

    fmt = {c.key: c.e_invoice for c in run.portfolio.customers}
    for doc in run.documents:
        yield OutputFile(f"documents/{doc.number}.json", to_json(doc, indent=2).encode())
        rendered = pdf.render(doc)
        yield OutputFile(f"documents/{rendered.filename}", rendered.content)
        wanted = fmt.get(doc.buyer.key, EInvoiceFormat.FACTURX)
        if wanted is EInvoiceFormat.FACTURX:
            hybrid = facturx.render(doc)
            name = f"{PurePosixPath(hybrid.filename).stem}-facturx.pdf"
            yield OutputFile(f"documents/{name}", hybrid.content)
        elif wanted is not EInvoiceFormat.NONE:
            xml = (cii if wanted is EInvoiceFormat.CII else ubl).render(doc)
            yield OutputFile(f"documents/{xml.filename}", xml.content)
    for batch in run.direct_debits:
        yield OutputFile(f"sepa/{batch.message_id}.xml", write_pain008(batch))
    yield OutputFile(
        "journal.json",
        json.dumps([to_dict(e) for e in run.entries], ensure_ascii=False, indent=2).encode(),
    )
    siren = run.portfolio.seller.legal_id
    if run.entries and siren is not None:
        fec = export_fec(run.entries, siren=siren, closing=run.through, transliterate=True)
        yield OutputFile(fec.filename, fec.content)
    letters = LetterRenderer(lang="fr")
    for letter in dunning_letters(run.dunning):
        for rendered in (letters.render(letter), pdf.render(letter)):
            yield OutputFile(f"dunning/{rendered.filename}", rendered.content)
    yield OutputFile(
        "dunning.json",
        json.dumps(run_report(run)["dunning"], ensure_ascii=False, indent=2).encode(),
    )
    state = portfolio_to_dict(run.portfolio)
    yield OutputFile("state.json", json.dumps(state, ensure_ascii=False, indent=1).encode())
    yield OutputFile("report.json", json.dumps(run_report(run), indent=2).encode())


@attrs.frozen
class FileCheck:
    """What `check_file` found.

    Attributes:
        kind: ``"fec"``, ``"cii"``, ``"ubl"``, ``"facturx"``, ``"pain.008"`` or
            ``"unknown"``.
        problems: the problems found (empty: the file passed).

    .. versionadded:: 0.2
    """

    kind: str = attrs.field(validator=is_text)
    problems: tuple[Problem, ...] = attrs.field(converter=as_tuple, validator=tuple_of(Problem))


def _kind(data: bytes) -> str:
    head = data[:4096]
    if head.lstrip().startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "facturx"
    if b"urn:iso:std:iso:20022:tech:xsd:pain.008" in head:
        return "pain.008"
    if b"CrossIndustryInvoice" in head:
        return "cii"
    if b"oasis:names:specification:ubl" in head:
        return "ubl"
    if b"JournalCode" in head[:200]:
        return "fec"
    return "unknown"


def check_file(data: bytes, *, filename: str | None = None) -> FileCheck:
    """Check a file facturlib writes, whatever it is, from its content.

    * an FEC (its header starts ``JournalCode``): `facturlib.accounting.fec.check_fec`,
      with the file name when given;
    * a CII or UBL XML, or a Factur-X PDF: `facturlib.einvoice.reading.read_einvoice`
      (read safely; the problems it reports, e.g. totals that do not add up, BR-CO-15);
    * a pain.008 XML: `facturlib.runs.sepa_check.check_pain008`.

    Args:
        data: the file's bytes, from anyone.
        filename: its name (an FEC's name carries the SIREN and closing date).

    Returns:
        A `FileCheck`; a file that cannot be read at all gives one fatal problem.

    >>> check_file(b"hello").kind
    'unknown'

    .. versionadded:: 0.2
    """
    check_instance(data, bytes, "data", hint="the file's bytes: Path(...).read_bytes()")
    check_instance(filename, str, "filename", optional=True)
    kind = _kind(data)
    try:
        if kind == "fec":
            return FileCheck(kind, check_fec(data, filename=filename))
        if kind == "pain.008":
            return FileCheck(kind, check_pain008(data))
        if kind in ("facturx", "cii", "ubl"):
            from facturlib.einvoice.reading import read_einvoice

            received = read_einvoice(data)
            return FileCheck(kind, tuple(p for p in received.problems if p.fatal))
    except FacturlibError as error:
        return FileCheck(kind, (Problem(code="unreadable", message=str(error)),))
    return FileCheck(
        kind,
        (
            Problem(
                code="unknown",
                message="not a file facturlib checks: expected an FEC, a CII or UBL XML, "
                "a Factur-X PDF or a pain.008 XML",
            ),
        ),
    )
