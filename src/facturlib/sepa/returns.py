"""Rejects and returns of direct debits, read back into payment reversals.

A direct debit can come back before settlement (a *reject*: wrong account AC04,
closed account AC04/AC06, no mandate MD01, insufficient funds AM04…) or after it
(a *return* or refund, up to 8 weeks — 13 months when unauthorised — under the
EPC SDD Core rulebook 4.3.4). The creditor's bank reports them in an ISO 20022
customer payment status report (pain.002, ``CstmrPmtStsRpt``) or in a plain list
of end-to-end ids and ISO reason codes (ExternalStatusReason1Code).

`read_pain002` reads a status report safely — it comes from outside: its size is
bounded, entities are not expanded, nothing is fetched from the network — and
returns one `DebitReject` per rejected transaction (``TxSts`` = ``RJCT``, or every
transaction of a rejected block or group), with its reason code and the fees
charged. `reversals` turns rejects into `facturlib.PaymentReversal` values for the
debits of a batch, so that `facturlib.settle` shows exactly the invoices those
debits collected as due again.

>>> report = b'''<?xml version="1.0"?>
... <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
... <GrpHdr><MsgId>R1</MsgId><CreDtTm>2025-02-07T08:00:00</CreDtTm></GrpHdr>
... <OrgnlGrpInfAndSts><OrgnlMsgId>MSG-1</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.02</OrgnlMsgNmId>
... </OrgnlGrpInfAndSts><OrgnlPmtInfAndSts><OrgnlPmtInfId>MSG-1-1</OrgnlPmtInfId>
... <TxInfAndSts><OrgnlEndToEndId>FA-1</OrgnlEndToEndId><TxSts>RJCT</TxSts>
... <StsRsnInf><Rsn><Cd>AM04</Cd></Rsn></StsRsnInf>
... <ChrgsInf><Amt Ccy="EUR">7.50</Amt><Agt><FinInstnId><BIC>AGRIFRPP</BIC></FinInstnId></Agt>
... </ChrgsInf></TxInfAndSts></OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>'''
>>> [(r.end_to_end_id, r.reason, r.fee.amount, r.date.isoformat())
...  for r in read_pain002(report)]
[('FA-1', 'AM04', Decimal('7.50'), '2025-02-07')]

.. versionadded:: 0.2
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
from moneyed import Money

from facturlib.core._validators import (
    check_date,
    check_instance,
    check_int,
    is_optional_date,
    optional_text,
)
from facturlib.core.errors import InvalidValue, SepaError
from facturlib.core.money import to_money
from facturlib.receivables.payments import PaymentReversal
from facturlib.sepa.batch import DirectDebit, DirectDebitBatch

__all__ = ["REASON_CODES", "DebitReject", "read_pain002", "reversals"]

#: The reason codes of SEPA direct-debit R-transactions most often seen, with their
#: ISO 20022 ExternalStatusReason1Code meaning (EPC SDD Core rulebook annex, EPC173-14).
REASON_CODES = {
    "AC01": "account identifier incorrect (invalid IBAN)",
    "AC04": "account closed",
    "AC06": "account blocked, or blocked for direct debit by the debtor",
    "AC13": "debtor account is a consumer account (B2B)",
    "AG01": "transaction forbidden on this type of account",
    "AG02": "invalid operation code or file format",
    "AM04": "insufficient funds",
    "AM05": "duplicate collection",
    "BE05": "creditor identifier incorrect",
    "CNOR": "creditor bank not registered in the scheme",
    "DNOR": "debtor bank not registered in the scheme",
    "FF01": "invalid file format",
    "MD01": "no mandate",
    "MD02": "mandate data missing or incorrect",
    "MD06": "refund request by the debtor (disputed authorised transaction)",
    "MD07": "debtor deceased",
    "MS02": "refused by the debtor, reason not specified",
    "MS03": "reason not specified",
    "RC01": "bank identifier incorrect (invalid BIC)",
    "RR01": "regulatory reason: debtor account or identification missing",
    "RR02": "regulatory reason: debtor name or address missing",
    "RR03": "regulatory reason: creditor name or address missing",
    "RR04": "regulatory reason",
    "SL01": "specific service offered by the debtor bank",
}

#: Largest status report `read_pain002` accepts (a report on 100 000 debits is ~60 MB).
MAX_REPORT_BYTES = 64 * 1024 * 1024

_REJECTED = frozenset({"RJCT"})


def _is_optional_money(
    instance: object, attribute: attrs.Attribute[Money | None], value: object
) -> None:
    check_instance(value, Money, attribute.name, optional=True, error=SepaError)


@attrs.frozen(kw_only=True)
class DebitReject:
    """One direct debit that came back.

    Attributes:
        end_to_end_id: the end-to-end id of the debit (`DirectDebit.end_to_end_id`).
        reason: the ISO reason code (``AC04``, ``AM04``, ``MD01``…), kept as given.
        fee: the charges the bank took for it, if reported.
        date: the day it was reported (the report's creation date), if known.

    .. versionadded:: 0.2
    """

    end_to_end_id: str = attrs.field(converter=optional_text)
    reason: str | None = attrs.field(default=None, converter=optional_text)
    fee: Money | None = attrs.field(default=None, validator=_is_optional_money)
    date: date | None = attrs.field(default=None, validator=is_optional_date)

    @end_to_end_id.validator
    def _check_id(self, attribute: attrs.Attribute[str], value: object) -> None:
        if not isinstance(value, str):
            raise SepaError(
                "a reject needs the end-to-end id of the debit",
                field="end_to_end_id",
                value=value,
                hint="pass the OrgnlEndToEndId the bank reported",
            )

    @reason.validator
    def _check_reason(self, attribute: attrs.Attribute[str | None], value: object) -> None:
        if value is not None and (not isinstance(value, str) or len(value) > 35):
            raise SepaError(
                "a reason code is a short text such as AM04",
                field="reason",
                value=value,
                hint="pass the ISO reason code the bank reported",
            )

    @property
    def reason_text(self) -> str | None:
        """What the reason code means, when it is one of `REASON_CODES`."""
        return REASON_CODES.get(self.reason or "")


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _child(element: Any, name: str) -> Any | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _path(element: Any | None, *names: str) -> Any | None:
    for name in names:
        if element is None:
            return None
        element = _child(element, name)
    return element


def _text(element: Any | None, *names: str) -> str | None:
    found = _path(element, *names)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _reason(holder: Any | None) -> str | None:
    if holder is None:
        return None
    for child in holder:
        if _local(child.tag) == "StsRsnInf":
            code = _text(child, "Rsn", "Cd") or _text(child, "Rsn", "Prtry")
            if code:
                return code
    return None


def _fee(tx: Any) -> Money | None:
    total = Decimal(0)
    currency = None
    for child in tx:
        if _local(child.tag) != "ChrgsInf":
            continue
        amount = _child(child, "Amt")
        if amount is None or amount.text is None:
            continue
        try:
            value = Decimal(amount.text.strip())
        except InvalidOperation:
            raise SepaError(
                "a charge amount in the status report is not a number",
                field="ChrgsInf/Amt",
                value=amount.text[:40],
                hint="check the file comes from the bank unchanged",
            ) from None
        code = amount.get("Ccy") or "EUR"
        if currency not in (None, code):
            raise SepaError(
                "charges in two currencies on one transaction",
                field="ChrgsInf/Amt",
                value=code,
                hint="book the charges by hand",
            )
        currency = code
        total += value
    if currency is None or total <= 0:
        return None
    try:
        return to_money(total, currency)
    except InvalidValue as exc:
        raise SepaError(
            f"a charge in the status report is unreadable: {exc.message}",
            field="ChrgsInf/Amt",
            value=f"{total} {currency}",
        ) from None


def read_pain002(
    data: bytes, *, on: date | None = None, max_bytes: int = MAX_REPORT_BYTES
) -> tuple[DebitReject, ...]:
    """The rejected debits of a pain.002 customer payment status report.

    Any pain.002 version is read (001.02 to 001.14, EPC and DK variants): the
    elements are found by name. A transaction is rejected when its ``TxSts`` is
    ``RJCT``, or when it has no status of its own and its block (``PmtInfSts``) or
    the whole message (``GrpSts``) is ``RJCT`` (then the report must list the
    transactions: a rejection of a whole file without them is refused, as it names
    no debit).

    Args:
        data: the report's bytes.
        on: the reject date; defaults to the report's creation date (``CreDtTm``).
        max_bytes: the largest report accepted.

    Returns:
        One `DebitReject` per rejected transaction, in file order.

    Raises:
        SepaError: not bytes, too large, not well-formed XML, a DTD or entity
            declaration, not a pain.002 report, no date, a whole-file rejection
            that lists no transaction.

    .. versionadded:: 0.2
    """
    if not isinstance(data, bytes | bytearray):
        raise SepaError(
            f"expected the report's bytes, got {type(data).__name__}",
            field="data",
            value=type(data).__name__,
            hint="read the file in binary mode",
        )
    check_date(on, "on", optional=True, error=SepaError)
    check_int(max_bytes, "max_bytes", minimum=1, error=SepaError)
    if len(data) > max_bytes:
        raise SepaError(
            f"the status report is larger than {max_bytes} bytes",
            field="data",
            value=len(data),
            hint="split the report, or pass a larger max_bytes= if it is genuine",
        )
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(bytes(data), parser)
    except etree.XMLSyntaxError as exc:
        raise SepaError(
            f"the status report is not well-formed XML: {exc}",
            field="data",
            value=None,
            hint="check the file is the bank's pain.002 report",
        ) from None
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise SepaError(
            "the status report declares a DTD; bank reports never do",
            field="data",
            value=tree.docinfo.doctype,
            hint="refuse the file: entity declarations can be used to attack the reader",
        )
    report = _child(root, "CstmrPmtStsRpt") if _local(root.tag) == "Document" else None
    if report is None:
        raise SepaError(
            "not a pain.002 customer payment status report",
            field="data",
            value=_local(root.tag),
            hint="pass the Document/CstmrPmtStsRpt file the bank returned",
        )
    if on is None:
        created = _text(report, "GrpHdr", "CreDtTm")
        try:
            on = date.fromisoformat((created or "")[:10])
        except ValueError:
            raise SepaError(
                "the status report has no readable creation date",
                field="GrpHdr/CreDtTm",
                value=created,
                hint="pass on= with the day the reject was notified",
            ) from None
    group = _child(report, "OrgnlGrpInfAndSts")
    group_status = _text(group, "GrpSts")
    group_reason = _reason(group)
    rejects: list[DebitReject] = []
    for block in report:
        if _local(block.tag) != "OrgnlPmtInfAndSts":
            continue
        block_status = _text(block, "PmtInfSts") or group_status
        block_reason = _reason(block) or group_reason
        for tx in block:
            if _local(tx.tag) != "TxInfAndSts":
                continue
            status = _text(tx, "TxSts") or block_status
            if status not in _REJECTED:
                continue
            e2e = _text(tx, "OrgnlEndToEndId")
            if e2e is None:
                raise SepaError(
                    "a rejected transaction has no OrgnlEndToEndId",
                    field="TxInfAndSts",
                    value=None,
                    hint="ask the bank for a report that names the end-to-end ids",
                )
            rejects.append(
                DebitReject(
                    end_to_end_id=e2e,
                    reason=(_reason(tx) or block_reason or "")[:35] or None,
                    fee=_fee(tx),
                    date=on,
                )
            )
    if not rejects and group_status in _REJECTED:
        raise SepaError(
            "the whole file was rejected, and the report names no transaction",
            field="GrpSts",
            value=group_status,
            hint=f"nothing was collected (reason {group_reason}); fix the file and send it again",
        )
    return tuple(rejects)


def reversals(
    debits: DirectDebitBatch | Iterable[DirectDebit],
    rejects: Iterable[DebitReject | tuple[str, str]],
    *,
    on: date | None = None,
    fee: Money | None = None,
) -> tuple[PaymentReversal, ...]:
    """The `facturlib.PaymentReversal` of each rejected debit, for `facturlib.settle`.

    Args:
        debits: the batch (or its debits) the rejects refer to.
        rejects: `DebitReject` values from `read_pain002`, or a plain list of
            ``(end_to_end_id, reason_code)`` pairs.
        on: the reversal date: a reject's own date when it has one, else this.
        fee: the fee per reject when the report gives none (a bank's tariff).

    Returns:
        One reversal per reject; ``payment_id`` is the end-to-end id (the
        `DirectDebit.payment` id) and ``reason`` the reason code, kept as given.

    Raises:
        SepaError: a reject names no debit of the batch, is given twice, or has no
            date and *on* is missing.

    >>> from datetime import date
    >>> reversals([], [])
    ()

    .. versionadded:: 0.2
    """
    check_date(on, "on", optional=True, error=SepaError)
    check_instance(fee, Money, "fee", optional=True, error=SepaError)
    items = debits.debits if isinstance(debits, DirectDebitBatch) else tuple(debits)
    known = {}
    for i, debit in enumerate(items):
        check_instance(debit, DirectDebit, f"debits[{i}]", error=SepaError)
        known[debit.end_to_end_id] = debit
    seen: set[str] = set()
    result = []
    for i, item in enumerate(rejects):
        if isinstance(item, tuple) and len(item) == 2:
            item = DebitReject(end_to_end_id=item[0], reason=item[1])
        check_instance(
            item,
            DebitReject,
            f"rejects[{i}]",
            error=SepaError,
            hint="pass DebitReject values or (end_to_end_id, reason_code) pairs",
        )
        if item.end_to_end_id not in known:
            raise SepaError(
                "a reject names no debit of the batch",
                field=f"rejects[{i}].end_to_end_id",
                value=item.end_to_end_id,
                hint="pass the batch the status report answers",
            )
        if item.end_to_end_id in seen:
            raise SepaError(
                "a debit is rejected twice",
                field=f"rejects[{i}].end_to_end_id",
                value=item.end_to_end_id,
                hint="pass each reject once",
            )
        seen.add(item.end_to_end_id)
        day = item.date or on
        if day is None:
            raise SepaError(
                "the reject has no date",
                field="on",
                value=None,
                hint="pass on= with the day the reject was notified",
            )
        charged = item.fee or fee
        if charged is not None and charged.amount <= 0:
            charged = None
        result.append(
            PaymentReversal(
                payment_id=item.end_to_end_id, date=day, reason=item.reason, fee=charged
            )
        )
    return tuple(result)
