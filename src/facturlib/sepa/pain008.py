"""Write a direct-debit batch as an ISO 20022 pain.008 customer direct-debit initiation.

One model (`facturlib.sepa.batch.DirectDebitBatch`), four message versions
(`facturlib.sepa.checks.Pain008Version`):

* ``pain.008.001.08`` (default) — the ISO 20022 2019 message of the EPC SDD
  rulebooks since 19 November 2023: agents by ``BICFI``; addresses written
  structured or hybrid (``PstCd``, ``TwnNm``, ``Ctry`` and at most two
  ``AdrLine``), as the 2025 rulebooks require from 15 November 2026;
* ``pain.008.001.02`` — the ISO 20022 2009 message, the EPC reference until 2023;
* ``pain.008.002.02`` and ``pain.008.003.02`` — the legacy EPC-restricted and
  German DK schemas some banks still ask for.

The old versions carry addresses as the EPC guidelines of their time allow them:
country and two address lines. An agent without a BIC is written
``Othr/Id = NOTPROVIDED`` (IBAN-only, EPC since 2016); pain.008.002.02 has no such
form and needs every BIC. Each block (``PmtInf``) and the group header carry the
number of transactions and the control sum. Every text is transliterated to the
EPC Latin set and cut to its field's length (`facturlib.sepa.charset`).

The batch is checked first (`facturlib.sepa.checks.check_batch`): a batch with any
problem is refused with one `facturlib.core.errors.SepaError` listing them all,
before anything is written. The file is written as a stream (lxml ``xmlfile``),
one transaction at a time, so memory stays flat for 100 000 debits.

>>> from datetime import date, datetime
>>> from facturlib.core.money import to_money
>>> from facturlib.core.parties import Address, Party
>>> from facturlib.sepa.batch import DirectDebit, DirectDebitBatch
>>> from facturlib.sepa.mandates import Mandate
>>> creditor = Party(name="Exemple SAS", address=Address(city="Paris", country_code="FR"),
...                  iban="FR7630006000011234567890189", creditor_id="FR72ZZZ123456")
>>> debtor = Party(name="Société Dupont & Fils", iban="DE89370400440532013000",
...                address=Address(line1="3 rue Neuve", postal_code="69001", city="Lyon",
...                                country_code="FR"))
>>> mandate = Mandate(reference="RUM-0001", signed_on=date(2025, 1, 10), debtor=debtor)
>>> batch = DirectDebitBatch(message_id="MSG-1", created_at=datetime(2025, 2, 1, 9, 30),
...     creditor=creditor, debits=[DirectDebit(end_to_end_id="FA-1",
...     amount=to_money("10.00", "EUR"), mandate=mandate, collection_date=date(2025, 2, 5))])
>>> xml = write_pain008(batch)
>>> b"<Nm>Societe Dupont + Fils</Nm>" in xml, b"<CtrlSum>10.00</CtrlSum>" in xml
(True, True)

.. versionadded:: 0.2
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO, Any

from facturlib.core._validators import check_bool, check_instance
from facturlib.core.errors import SepaError
from facturlib.core.parties import Address, Party
from facturlib.sepa.batch import DirectDebit, DirectDebitBatch, PaymentBlock
from facturlib.sepa.charset import NAME_LENGTH, REMITTANCE_LENGTH, fit
from facturlib.sepa.checks import Pain008Version, require_valid, to_version
from facturlib.sepa.mandates import MandateAmendment

__all__ = ["Pain008Version", "write_pain008", "write_pain008_to"]

_Sub = Callable[..., Any]

#: lxml, imported on first use so that ``import facturlib`` stays light.
etree: Any = None


def _load_lxml() -> None:
    global etree
    if etree is None:
        from lxml import etree as module

        etree = module


def write_pain008(
    batch: DirectDebitBatch, *, version: Pain008Version | str = Pain008Version.V001_08
) -> bytes:
    """The pain.008 XML of *batch*, UTF-8 encoded.

    Args:
        batch: the batch.
        version: the message version (default ``pain.008.001.08``).

    Returns:
        The file's bytes.

    Raises:
        SepaError: the batch has problems (``error.problems`` lists every one, see
            `facturlib.sepa.checks.check_batch`); nothing is written.

    .. versionadded:: 0.2
    """
    out = io.BytesIO()
    write_pain008_to(batch, out, version=version)
    return out.getvalue()


def write_pain008_to(
    batch: DirectDebitBatch,
    out: IO[bytes],
    *,
    version: Pain008Version | str = Pain008Version.V001_08,
    check: bool = True,
) -> None:
    """Write the pain.008 XML of *batch* to the binary stream *out*.

    Args:
        batch: the batch.
        out: a binary stream (an open file, a ``BytesIO``).
        version: the message version.
        check: run `facturlib.sepa.checks.require_valid` first (default). Pass
            ``False`` only for a batch that was just checked for the same version.

    Raises:
        SepaError: the batch has problems; nothing is written.

    .. versionadded:: 0.2
    """
    check_instance(batch, DirectDebitBatch, "batch", error=SepaError)
    check_bool(check, "check", error=SepaError)
    version = to_version(version)
    if check:
        require_valid(batch, version=version)
    _load_lxml()
    _Writer(batch, version).write(out)


class _Writer:
    def __init__(self, batch: DirectDebitBatch, version: Pain008Version) -> None:
        self.batch = batch
        self.version = version
        self.modern = version is Pain008Version.V001_08
        self.legacy = version in (Pain008Version.V002_02, Pain008Version.V003_02)
        self.bic_tag = "BICFI" if self.modern else "BIC"

    def write(self, out: IO[bytes]) -> None:
        batch = self.batch
        blocks = batch.blocks()
        creditor = batch.creditor
        element = etree.Element
        with etree.xmlfile(out, encoding="UTF-8") as xf:
            xf.write_declaration()
            with (
                xf.element("Document", xmlns=self.version.namespace),
                xf.element("CstmrDrctDbtInitn"),
            ):
                header = element("GrpHdr")
                self._text(header, "MsgId", batch.message_id)
                self._text(header, "CreDtTm", batch.created_at.isoformat(timespec="seconds"))
                self._text(header, "NbOfTxs", str(sum(b.count for b in blocks)))
                self._text(header, "CtrlSum", f"{sum(b.total for b in blocks):.2f}")
                party = etree.SubElement(header, "InitgPty")
                self._text(party, "Nm", fit(batch.initiating_party or creditor.name, NAME_LENGTH))
                xf.write(header)
                for block in blocks:
                    with xf.element("PmtInf"):
                        for head in self._block_head(block, creditor):
                            xf.write(head)
                        transaction = self._transaction
                        for debit in block.debits:
                            xf.write(transaction(debit))

    # -- pieces ------------------------------------------------------------

    @staticmethod
    def _text(parent: Any, tag: str, text: str) -> Any:
        child = etree.SubElement(parent, tag)
        child.text = text
        return child

    def _block_head(self, block: PaymentBlock, creditor: Party) -> list[Any]:
        element = etree.Element
        text = self._text
        items = []
        e = element("PmtInfId")
        e.text = block.id
        items.append(e)
        e = element("PmtMtd")
        e.text = "DD"
        items.append(e)
        if self.batch.batch_booking is not None:
            e = element("BtchBookg")
            e.text = "true" if self.batch.batch_booking else "false"
            items.append(e)
        e = element("NbOfTxs")
        e.text = str(block.count)
        items.append(e)
        e = element("CtrlSum")
        e.text = f"{block.total:.2f}"
        items.append(e)
        kind = element("PmtTpInf")
        text(etree.SubElement(kind, "SvcLvl"), "Cd", "SEPA")
        text(etree.SubElement(kind, "LclInstrm"), "Cd", block.scheme.value)
        text(kind, "SeqTp", block.sequence_type.value)
        items.append(kind)
        e = element("ReqdColltnDt")
        e.text = block.collection_date.isoformat()
        items.append(e)
        cdtr = element("Cdtr")
        text(cdtr, "Nm", fit(creditor.name, NAME_LENGTH))
        self._address(cdtr, creditor.address)
        items.append(cdtr)
        acct = element("CdtrAcct")
        text(etree.SubElement(acct, "Id"), "IBAN", creditor.iban or "")
        items.append(acct)
        agent = element("CdtrAgt")
        self._agent(agent, creditor.bic)
        items.append(agent)
        e = element("ChrgBr")
        e.text = "SLEV"
        items.append(e)
        scheme = element("CdtrSchmeId")
        self._creditor_id(scheme, creditor.creditor_id or "")
        items.append(scheme)
        return items

    def _creditor_id(self, parent: Any, value: str) -> None:
        sub = etree.SubElement
        other = sub(sub(sub(parent, "Id"), "PrvtId"), "Othr")
        self._text(other, "Id", value)
        self._text(sub(other, "SchmeNm"), "Prtry", "SEPA")

    def _agent(self, parent: Any, bic: str | None) -> None:
        sub = etree.SubElement
        institution = sub(parent, "FinInstnId")
        if bic:
            self._text(institution, self.bic_tag, bic)
        else:
            self._text(sub(institution, "Othr"), "Id", "NOTPROVIDED")

    def _address(self, parent: Any, address: Address) -> None:
        sub = etree.SubElement
        text = self._text
        postal = sub(parent, "PstlAdr")
        town = fit(address.city, 35)
        lines = [fit(line, 70) for line in (address.line1, address.line2) if line]
        lines = [line for line in lines if line]
        if self.modern:
            code = fit(address.postal_code, 16) if address.postal_code else ""
            if code:
                text(postal, "PstCd", code)
            text(postal, "TwnNm", town)
            text(postal, "Ctry", address.country_code)
            for line in lines[:2]:
                text(postal, "AdrLine", line)
        else:
            text(postal, "Ctry", address.country_code)
            if lines:
                text(postal, "AdrLine", lines[0])
            code = fit(address.postal_code, 16) if address.postal_code else ""
            text(postal, "AdrLine", fit(f"{code} {town}", 70))

    def _amendment(self, mandate_info: Any, amendment: MandateAmendment) -> None:
        sub = etree.SubElement
        text = self._text
        text(mandate_info, "AmdmntInd", "true")
        details = sub(mandate_info, "AmdmntInfDtls")
        if amendment.original_reference:
            text(details, "OrgnlMndtId", amendment.original_reference)
        if amendment.original_creditor_id or amendment.original_creditor_name:
            original = sub(details, "OrgnlCdtrSchmeId")
            if amendment.original_creditor_name:
                text(original, "Nm", fit(amendment.original_creditor_name, NAME_LENGTH))
            if amendment.original_creditor_id:
                self._creditor_id(original, amendment.original_creditor_id)
        if amendment.original_iban and not amendment.other_bank:
            text(sub(sub(details, "OrgnlDbtrAcct"), "Id"), "IBAN", amendment.original_iban)
        if amendment.other_bank:
            if self.legacy:
                agent = sub(sub(details, "OrgnlDbtrAgt"), "FinInstnId")
                text(sub(agent, "Othr"), "Id", "SMNDA")
            else:
                account = sub(sub(details, "OrgnlDbtrAcct"), "Id")
                text(sub(account, "Othr"), "Id", "SMNDA")

    def _transaction(self, debit: DirectDebit) -> Any:
        sub = etree.SubElement
        tx = etree.Element("DrctDbtTxInf")
        ident = sub(tx, "PmtId")
        sub(ident, "EndToEndId").text = debit.end_to_end_id
        amount = sub(tx, "InstdAmt", Ccy="EUR")
        amount.text = f"{debit.amount.amount:.2f}"
        mandate = debit.mandate
        info = sub(sub(tx, "DrctDbtTx"), "MndtRltdInf")
        sub(info, "MndtId").text = mandate.reference
        sub(info, "DtOfSgntr").text = mandate.signed_on.isoformat()
        if debit.amendment is not None:
            self._amendment(info, debit.amendment)
        debtor = mandate.debtor
        self._agent(sub(tx, "DbtrAgt"), debtor.bic)
        party = sub(tx, "Dbtr")
        sub(party, "Nm").text = fit(debtor.name, NAME_LENGTH)
        self._address(party, debtor.address)
        sub(sub(sub(tx, "DbtrAcct"), "Id"), "IBAN").text = debtor.iban
        if debit.remittance:
            remittance = fit(debit.remittance, REMITTANCE_LENGTH)
            if remittance:
                sub(sub(tx, "RmtInf"), "Ustrd").text = remittance
        return tx
