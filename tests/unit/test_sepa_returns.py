"""Debits built from invoices, pain.002 rejects read back, and settle() reopening them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from facturlib.core.errors import SepaError
from facturlib.core.issuing import issue
from facturlib.core.money import to_money
from facturlib.core.numbering import SequenceState
from facturlib.receivables.payments import balance, settle
from facturlib.receivables.terms import DueRule, PaymentTerms, TermPart
from facturlib.sepa.batch import DirectDebitBatch, debits_due
from facturlib.sepa.returns import DebitReject, read_pain002, reversals
from facturlib.testing.builders import (
    sample_buyer,
    sample_creditor,
    sample_invoice,
    sample_mandate,
    sample_scheme,
)


def issued(count: int) -> list:
    state = SequenceState()
    result = []
    for i in range(1, count + 1):
        buyer = sample_buyer(id=f"CLI{i:06d}", siren=None, vat_id=None)
        invoice, state = issue(
            sample_invoice(buyer=buyer), sample_scheme(), state, on=date(2025, 1, 15)
        )
        result.append(invoice)
    return result


def report(rejected: list[tuple[str, str]]) -> bytes:
    txs = "".join(
        f"<TxInfAndSts><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>RJCT</TxSts>"
        f"<StsRsnInf><Rsn><Cd>{code}</Cd></Rsn></StsRsnInf>"
        f'<ChrgsInf><Amt Ccy="EUR">2.50</Amt></ChrgsInf></TxInfAndSts>'
        for e2e, code in rejected
    )
    return (
        '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">'
        "<CstmrPmtStsRpt><GrpHdr><MsgId>R</MsgId><CreDtTm>2025-02-20T10:00:00</CreDtTm></GrpHdr>"
        "<OrgnlGrpInfAndSts><OrgnlMsgId>M</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.08</OrgnlMsgNmId>"
        "<GrpSts>PART</GrpSts></OrgnlGrpInfAndSts><OrgnlPmtInfAndSts><OrgnlPmtInfId>M-1"
        f"</OrgnlPmtInfId><TxInfAndSts><OrgnlEndToEndId>OK</OrgnlEndToEndId><TxSts>ACCP</TxSts>"
        f"</TxInfAndSts>{txs}</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>"
    ).encode()


class TestDebitsDue:
    def test_invoices_and_installments(self) -> None:
        """Whole invoices and installments due by the date, on the customers' mandates."""
        invoices = issued(3)
        mandates = {i.buyer.key: sample_mandate(n) for n, i in enumerate(invoices, 1)}
        del mandates[invoices[2].buyer.key]  # no mandate: not collected
        terms = {
            invoices[1].number: PaymentTerms(parts=[TermPart(due=DueRule.net(d)) for d in (10, 60)])
        }
        debits, histories = debits_due(
            invoices,
            mandates,
            due_by=date(2025, 2, 14),
            collection_date=date(2025, 2, 20),
            terms=terms,
        )

        assert [("FA-2025-0002-1", "720.00"), ("FA-2025-0001", "1440.00")] == [
            (d.end_to_end_id, str(d.amount.amount)) for d in debits
        ]
        assert date(2025, 1, 25) == debits[0].installment_date
        assert {"RUM-000001": 1, "RUM-000002": 1} == {
            k: h.collections for k, h in histories.items()
        }


class TestRejectsReopenInvoices:
    def test_reject_reopens_exactly_the_rejected(self) -> None:
        """A pain.002 reject read back reopens the invoices of the rejected debits only."""
        invoices = issued(4)
        mandates = {i.buyer.key: sample_mandate(n) for n, i in enumerate(invoices, 1)}
        debits, _ = debits_due(
            invoices, mandates, due_by=date(2025, 2, 14), collection_date=date(2025, 2, 17)
        )
        batch = DirectDebitBatch(
            message_id="M",
            created_at=datetime(2025, 2, 14),
            creditor=sample_creditor(),
            debits=debits,
        )
        payments = [p.cleared() for p in batch.payments()]
        rejects = read_pain002(report([("FA-2025-0002", "AM04"), ("FA-2025-0004", "MD01")]))
        back = reversals(batch, rejects)
        result = settle(
            invoices,
            payments,
            reversals=back,
            allocations=batch.allocations(),
            on=date(2025, 2, 25),
        )

        assert [("FA-2025-0002", "AM04", "2.50"), ("FA-2025-0004", "MD01", "2.50")] == [
            (r.payment_id, r.reason, str(r.fee.amount)) for r in back
        ]
        assert ["FA-2025-0002", "FA-2025-0004"] == [
            i.number for i in invoices if not balance(i, result).settled
        ]

    def test_plain_list(self) -> None:
        """A plain list of (end-to-end id, reason) pairs gives the same reversals."""
        invoices = issued(2)
        mandates = {i.buyer.key: sample_mandate(n) for n, i in enumerate(invoices, 1)}
        debits, _ = debits_due(
            invoices, mandates, due_by=date(2025, 2, 14), collection_date=date(2025, 2, 17)
        )
        back = reversals(
            debits, [("FA-2025-0001", "AC04")], on=date(2025, 2, 19), fee=to_money("3.00", "EUR")
        )
        assert [("FA-2025-0001", "AC04", date(2025, 2, 19))] == [
            (r.payment_id, r.reason, r.date) for r in back
        ]

    def test_unknown_reject(self) -> None:
        """A reject naming no debit of the batch is refused."""
        with pytest.raises(SepaError, match="no debit"):
            reversals([], [DebitReject(end_to_end_id="X", date=date(2025, 1, 1))])


class TestReadPain002:
    def test_entities_refused(self) -> None:
        """A DTD with entities (billion laughs) is refused, never expanded."""
        evil = (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Document>&b;</Document>'
        )
        with pytest.raises(SepaError, match="DTD"):
            read_pain002(evil)

    def test_size_bounded(self) -> None:
        """A report over the size limit is refused before parsing."""
        with pytest.raises(SepaError, match="larger"):
            read_pain002(b"<Document/>" * 10, max_bytes=50)

    def test_not_xml(self) -> None:
        """Garbage is a SepaError, not an lxml exception."""
        with pytest.raises(SepaError, match="well-formed"):
            read_pain002(b"\x00\xff garbage")

    def test_whole_file_rejected(self) -> None:
        """A group rejection listing no transaction is reported as such."""
        data = (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">'
            b"<CstmrPmtStsRpt><GrpHdr><CreDtTm>2025-02-20T10:00:00</CreDtTm></GrpHdr>"
            b"<OrgnlGrpInfAndSts><GrpSts>RJCT</GrpSts><StsRsnInf><Rsn><Cd>FF01</Cd>"
            b"</Rsn></StsRsnInf></OrgnlGrpInfAndSts></CstmrPmtStsRpt></Document>"
        )
        with pytest.raises(SepaError, match="whole file"):
            read_pain002(data)
