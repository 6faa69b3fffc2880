"""Checking a pain.008 file received or kept: the content a bank would refuse.

`check_pain008` reads a SEPA direct-debit initiation (``pain.008``, any of the
versions facturlib writes) safely — no DTD, no entity expansion, no network, bounded
size and depth — and reports, as `facturlib.core.errors.Problem`\\s, what the EPC
SDD rulebooks and their implementation guidelines (EPC130-08, EPC131-08) refuse:

* the group header: a message id, ``NbOfTxs`` and ``CtrlSum`` that match the
  transactions (ISO 20022 ``GrpHdr``);
* each payment-information block: its own count and sum, a sequence type
  (FRST, RCUR, FNAL, OOFF), an ISO requested collection date, the creditor's IBAN
  (checked by schwifty) and creditor identifier (ISO 7064 MOD 97-10, EPC262-08);
* each transaction: a unique end-to-end id of 1–35 characters, an amount in EUR
  between 0.01 and 999 999 999.99 with at most two decimals (AT-06), a mandate
  reference and signature date (AT-01, AT-25), a debtor name and IBAN.

>>> check_pain008(b"<Document/>")[0].code
'not_pain008'

.. versionadded:: 0.2
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from facturlib.core.errors import FacturlibError, Problem
from facturlib.einvoice._xml import parse_untrusted
from facturlib.sepa.creditor_id import is_valid_creditor_id

__all__ = ["check_pain008"]

_NS = "urn:iso:std:iso:20022:tech:xsd:pain.008."
_SEQUENCE_TYPES = frozenset({"FRST", "RCUR", "FNAL", "OOFF"})
_MIN, _MAX = Decimal("0.01"), Decimal("999999999.99")


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Any, name: str) -> Iterator[Any]:
    return (child for child in element if _local(child) == name)


def _find(element: Any | None, *path: str) -> Any | None:
    for name in path:
        if element is None:
            return None
        element = next(_children(element, name), None)
    return element


def _text(element: Any | None, *path: str) -> str | None:
    found = _find(element, *path)
    if found is None or found.text is None:
        return None
    return str(found.text).strip()


def _decimal(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text is not None else None
    except InvalidOperation:
        return None


def _iban(text: str | None) -> str | None:
    if not text:
        return "missing"
    try:
        IBAN(text)
    except SchwiftyException as exc:
        return str(exc)
    return None


def check_pain008(data: bytes) -> tuple[Problem, ...]:
    """Every problem of the pain.008 file *data* (see the module docstring).

    Returns:
        The problems, empty for a file that passes; a file that is not a pain.008
        or cannot be read safely gives one problem saying so.

    .. versionadded:: 0.2
    """
    try:
        root = parse_untrusted(bytes(data))
    except FacturlibError as error:
        return (Problem(code="unreadable", message=f"not a readable XML file: {error}"),)
    namespace = root.tag[1:].split("}")[0] if str(root.tag).startswith("{") else ""
    initiation = _find(root, "CstmrDrctDbtInitn")
    if not namespace.startswith(_NS) or initiation is None:
        return (
            Problem(
                code="not_pain008",
                message="not a pain.008 customer direct-debit initiation "
                f"(namespace {namespace or 'none'}); expected {_NS}001.08 or another version",
            ),
        )
    problems: list[Problem] = []

    def problem(code: str, message: str, reference: str | None = None) -> None:
        problems.append(Problem(code=code, message=message, reference=reference))

    header = _find(initiation, "GrpHdr")
    message_id = _text(header, "MsgId")
    if not message_id:
        problem("message_id", "the group header has no message id (GrpHdr/MsgId)")
    seen: set[str] = set()
    count, total = 0, Decimal(0)
    for block in _children(initiation, "PmtInf"):
        block_id = _text(block, "PmtInfId") or "?"
        block_count, block_total = 0, Decimal(0)
        sequence = _text(block, "PmtTpInf", "SeqTp")
        if sequence not in _SEQUENCE_TYPES:
            problem(
                "sequence_type",
                f"sequence type {sequence!r} is not one of {sorted(_SEQUENCE_TYPES)} (EPC AT-21)",
                block_id,
            )
        try:
            date.fromisoformat(_text(block, "ReqdColltnDt") or "")
        except ValueError:
            problem("collection_date", "no ISO requested collection date (ReqdColltnDt)", block_id)
        creditor_iban = _text(block, "CdtrAcct", "Id", "IBAN")
        if (why := _iban(creditor_iban)) is not None:
            problem("creditor_iban", f"the creditor's IBAN is not valid: {why}", block_id)
        creditor_id = _text(block, "CdtrSchmeId", "Id", "PrvtId", "Othr", "Id")
        if creditor_id is None:
            for tx in _children(block, "DrctDbtTxInf"):
                creditor_id = _text(tx, "DrctDbtTx", "CdtrSchmeId", "Id", "PrvtId", "Othr", "Id")
                break
        if not is_valid_creditor_id(creditor_id or ""):
            problem(
                "creditor_id",
                f"creditor identifier {creditor_id!r} fails its "
                "ISO 7064 MOD 97-10 check (EPC262-08)",
                block_id,
            )
        for tx in _children(block, "DrctDbtTxInf"):
            end_to_end = _text(tx, "PmtId", "EndToEndId") or ""
            ref = end_to_end or block_id
            if not 1 <= len(end_to_end) <= 35:
                problem("end_to_end_id", "an end-to-end id has 1 to 35 characters (AT-10)", ref)
            elif end_to_end in seen:
                problem("end_to_end_id", "the end-to-end id appears twice", ref)
            seen.add(end_to_end)
            amount_element = _find(tx, "InstdAmt")
            amount = _decimal(_text(tx, "InstdAmt"))
            currency = None if amount_element is None else amount_element.get("Ccy")
            exponent = None if amount is None else amount.as_tuple().exponent
            if (
                amount is None
                or not isinstance(exponent, int)
                or exponent < -2
                or not _MIN <= amount <= _MAX
            ):
                problem(
                    "amount",
                    f"amount {_text(tx, 'InstdAmt')!r} is not between 0.01 and "
                    "999999999.99 with at most two decimals (AT-06)",
                    ref,
                )
            else:
                block_count += 1
                block_total += amount
            if currency != "EUR":
                problem("currency", f"amount in {currency!r}: SEPA debits are in EUR", ref)
            if not _text(tx, "DrctDbtTx", "MndtRltdInf", "MndtId"):
                problem("mandate", "no mandate reference (MndtId, AT-01)", ref)
            try:
                date.fromisoformat(_text(tx, "DrctDbtTx", "MndtRltdInf", "DtOfSgntr") or "")
            except ValueError:
                problem("mandate", "no mandate signature date (DtOfSgntr, AT-25)", ref)
            if not _text(tx, "Dbtr", "Nm"):
                problem("debtor", "no debtor name (AT-14)", ref)
            if (why := _iban(_text(tx, "DbtrAcct", "Id", "IBAN"))) is not None:
                problem("debtor_iban", f"the debtor's IBAN is not valid: {why}", ref)
        for field, stated, actual in (
            ("NbOfTxs", _text(block, "NbOfTxs"), str(block_count)),
            ("CtrlSum", _text(block, "CtrlSum"), f"{block_total:.2f}"),
        ):
            if stated is not None and _decimal(stated) != _decimal(actual):
                problem("control", f"{field} says {stated}, the block holds {actual}", block_id)
        count += block_count
        total += block_total
    if count == 0:
        problem("empty", "the file holds no valid direct-debit transaction")
    for field, stated, actual in (
        ("NbOfTxs", _text(header, "NbOfTxs"), str(count)),
        ("CtrlSum", _text(header, "CtrlSum"), f"{total:.2f}"),
    ):
        if stated is None or _decimal(stated) != _decimal(actual):
            problem("control", f"GrpHdr/{field} says {stated}, the file holds {actual}", message_id)
    return tuple(problems)
