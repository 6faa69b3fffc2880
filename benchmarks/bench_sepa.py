"""Workloads "sepa-1k", "sepa-10k", "sepa-100k": a pain.008.001.02 file of N direct debits.

Candidates:

* ``raw lxml`` (baseline, the limit): a hand-written writer over plain tuples that
  groups the debits per (sequence type, date) and builds the tree with
  ``etree.SubElement``, then ``etree.tostring``; no check, no transliteration.
* ``facturlib``: `facturlib.write_pain008` on a `DirectDebitBatch`, **including** the
  pre-flight checks (IBAN/BIC via schwifty, ICS, identifiers, amounts) and the
  transliteration of every text.
* ``sepaxml``: `sepaxml.SepaDD` (``add_payment`` then ``export(validate=False)``).
* ``sepaxml+xsd``: the same with ``export(validate=True)`` (its XSD validation);
  left out of the 100 000-debit workload, where it fails (libxml2's limits, above
  about 55 000 debits).

Every candidate returns (NbOfTxs, CtrlSum) read back from its file; they must agree.
Targets: facturlib within 1.5× the raw writer; ≥ 5× faster than sepaxml+xsd.

Peak memory of facturlib for 100 000 debits (target < 300 MiB) is measured in a
fresh subprocess (``resource.getrusage`` max RSS, which includes building the
batch): ``python benchmarks/bench_sepa.py --memory 100000``.
"""

from __future__ import annotations

import argparse
import copy
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from harness import Inputs, Workload

from facturlib import DirectDebitBatch, Pain008Version, write_pain008
from facturlib.testing.builders import sample_direct_debit_batch

__all__ = ["SEPA_1K", "SEPA_10K", "SEPA_100K", "SepaData", "make_data"]

NS = Pain008Version.V001_02.namespace
Result = tuple[int, Decimal]
_HEADER = re.compile(rb"<NbOfTxs>(\d+)</NbOfTxs>\s*<CtrlSum>([0-9.]+)</CtrlSum>")


@dataclass(frozen=True)
class SepaData:
    """The same debits as a facturlib batch, plain tuples and sepaxml payment dicts."""

    batch: DirectDebitBatch
    rows: tuple[tuple[Any, ...], ...]
    payments: tuple[dict[str, Any], ...]


def make_data(count: int) -> SepaData:
    batch = sample_direct_debit_batch(count, dates=3)
    rows = tuple(
        (
            d.end_to_end_id,
            d.amount.amount,
            d.mandate.reference,
            d.mandate.signed_on.isoformat(),
            d.debtor.name,
            d.debtor.iban,
            d.remittance,
            d.sequence_type.value,
            d.collection_date.isoformat(),
        )
        for d in batch.debits
    )
    payments = tuple(
        {
            "name": d.debtor.name,
            "IBAN": d.debtor.iban,
            "amount": int(d.amount.amount * 100),
            "type": d.sequence_type.value,
            "collection_date": d.collection_date,
            "mandate_id": d.mandate.reference,
            "mandate_date": d.mandate.signed_on,
            "description": d.remittance,
            "endtoend_id": d.end_to_end_id,
        }
        for d in batch.debits
    )
    return SepaData(batch=batch, rows=rows, payments=payments)


def _header(xml: bytes) -> Result:
    found = _HEADER.search(xml)
    assert found is not None
    return int(found.group(1)), Decimal(found.group(2).decode())


def raw_lxml(data: SepaData) -> Callable[[], Result]:
    """A minimal lxml writer over plain tuples (the limit)."""
    from lxml import etree

    creditor = data.batch.creditor

    def run() -> Result:
        q = "{%s}%s".__mod__
        sub = etree.SubElement
        groups: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
        for row in data.rows:
            groups.setdefault((row[7], row[8]), []).append(row)
        root = etree.Element(q((NS, "Document")), nsmap={None: NS})
        init = sub(root, q((NS, "CstmrDrctDbtInitn")))
        header = sub(init, q((NS, "GrpHdr")))
        sub(header, q((NS, "MsgId"))).text = "MSG-RAW"
        sub(header, q((NS, "CreDtTm"))).text = "2025-03-01T09:00:00"
        sub(header, q((NS, "NbOfTxs"))).text = str(len(data.rows))
        sub(header, q((NS, "CtrlSum"))).text = f"{sum(r[1] for r in data.rows):.2f}"
        sub(sub(header, q((NS, "InitgPty"))), q((NS, "Nm"))).text = creditor.name
        for n, ((seq, day), rows) in enumerate(sorted(groups.items()), 1):
            block = sub(init, q((NS, "PmtInf")))
            sub(block, q((NS, "PmtInfId"))).text = f"MSG-RAW-{n}"
            sub(block, q((NS, "PmtMtd"))).text = "DD"
            sub(block, q((NS, "NbOfTxs"))).text = str(len(rows))
            sub(block, q((NS, "CtrlSum"))).text = f"{sum(r[1] for r in rows):.2f}"
            kind = sub(block, q((NS, "PmtTpInf")))
            sub(sub(kind, q((NS, "SvcLvl"))), q((NS, "Cd"))).text = "SEPA"
            sub(sub(kind, q((NS, "LclInstrm"))), q((NS, "Cd"))).text = "CORE"
            sub(kind, q((NS, "SeqTp"))).text = seq
            sub(block, q((NS, "ReqdColltnDt"))).text = day
            sub(sub(block, q((NS, "Cdtr"))), q((NS, "Nm"))).text = creditor.name
            acct = sub(sub(block, q((NS, "CdtrAcct"))), q((NS, "Id")))
            sub(acct, q((NS, "IBAN"))).text = creditor.iban
            agent = sub(sub(block, q((NS, "CdtrAgt"))), q((NS, "FinInstnId")))
            sub(agent, q((NS, "BIC"))).text = creditor.bic
            sub(block, q((NS, "ChrgBr"))).text = "SLEV"
            scheme = sub(sub(sub(block, q((NS, "CdtrSchmeId"))), q((NS, "Id"))), q((NS, "PrvtId")))
            other = sub(scheme, q((NS, "Othr")))
            sub(other, q((NS, "Id"))).text = creditor.creditor_id
            sub(sub(other, q((NS, "SchmeNm"))), q((NS, "Prtry"))).text = "SEPA"
            for e2e, amount, ref, signed, name, iban, text, _seq, _day in rows:
                tx = sub(block, q((NS, "DrctDbtTxInf")))
                sub(sub(tx, q((NS, "PmtId"))), q((NS, "EndToEndId"))).text = e2e
                sub(tx, q((NS, "InstdAmt")), Ccy="EUR").text = f"{amount:.2f}"
                info = sub(sub(tx, q((NS, "DrctDbtTx"))), q((NS, "MndtRltdInf")))
                sub(info, q((NS, "MndtId"))).text = ref
                sub(info, q((NS, "DtOfSgntr"))).text = signed
                bank = sub(sub(tx, q((NS, "DbtrAgt"))), q((NS, "FinInstnId")))
                sub(sub(bank, q((NS, "Othr"))), q((NS, "Id"))).text = "NOTPROVIDED"
                sub(sub(tx, q((NS, "Dbtr"))), q((NS, "Nm"))).text = name
                sub(sub(sub(tx, q((NS, "DbtrAcct"))), q((NS, "Id"))), q((NS, "IBAN"))).text = iban
                sub(sub(tx, q((NS, "RmtInf"))), q((NS, "Ustrd"))).text = text
        return _header(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))

    return run


def facturlib_sepa(data: SepaData) -> Callable[[], Result]:
    """`write_pain008`, pre-flight checks included."""

    def run() -> Result:
        return _header(write_pain008(data.batch, version=Pain008Version.V001_02))

    return run


def _sepaxml(data: SepaData, validate: bool) -> Callable[[], Result]:
    from sepaxml import SepaDD

    creditor = data.batch.creditor
    config = {
        "name": creditor.name,
        "IBAN": creditor.iban,
        "BIC": creditor.bic,
        "batch": True,
        "creditor_id": creditor.creditor_id,
        "currency": "EUR",
    }

    def run() -> Result:
        writer = SepaDD(config, schema="pain.008.001.02", clean=True)
        for payment in data.payments:
            writer.add_payment(copy.copy(payment))
        return _header(writer.export(validate=validate))

    return run


def sepaxml_plain(data: SepaData) -> Callable[[], Result]:
    """sepaxml without its XSD validation."""
    return _sepaxml(data, False)


def sepaxml_validating(data: SepaData) -> Callable[[], Result]:
    """sepaxml with its XSD validation."""
    return _sepaxml(data, True)


def _setup(size: int) -> Inputs:
    return Inputs(data=make_data(size), units=size)


try:
    import sepaxml as _sepaxml_module
except ImportError:  # pragma: no cover - depends on the environment
    _sepaxml_module = None
    print(
        "note: sepaxml is not installed, its candidates are skipped "
        "(pip install -e '.[bench]' to compare with it)",
        file=sys.stderr,
    )


def _workload(name: str, size: int, quick: int, *, validating: bool = True) -> Workload:
    candidates: dict[str, Any] = {"raw lxml": raw_lxml, "facturlib": facturlib_sepa}
    if _sepaxml_module is not None:
        candidates["sepaxml"] = sepaxml_plain
        if validating:
            candidates["sepaxml+xsd"] = sepaxml_validating
    return Workload(
        name=name,
        unit="debit",
        description="pain.008.001.02 file of direct debits (facturlib incl. pre-flight), per debit",
        setup=_setup,
        candidates=candidates,
        baseline="raw lxml",
        size=size,
        quick_size=quick,
        target=1.5,
        target_candidate="facturlib",
    )


SEPA_1K = _workload("sepa-1k", 1_000, 200)
SEPA_10K = _workload("sepa-10k", 10_000, 500)
SEPA_100K = _workload("sepa-100k", 100_000, 1_000, validating=False)


def peak_memory_mib(count: int) -> float:
    """Max RSS (MiB) of a fresh process that builds a batch of *count* debits and writes it."""
    code = (
        "import resource, io, sys\n"
        "from facturlib.testing.builders import sample_direct_debit_batch\n"
        "from facturlib.sepa.pain008 import write_pain008_to\n"
        f"batch = sample_direct_debit_batch({count}, dates=3)\n"
        "out = open('/dev/null', 'wb')\n"
        "write_pain008_to(batch, out, version='pain.008.001.02')\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(done.stdout.strip()) / 1024


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="peak memory of facturlib's pain.008 writer")
    parser.add_argument("--memory", type=int, default=100_000, metavar="DEBITS")
    args = parser.parse_args()
    print(f"{args.memory} debits: peak RSS {peak_memory_mib(args.memory):.0f} MiB")
