"""Integrity of issued invoices: the seal, the laws re-checked, and an inalterability chain.

An issued invoice cannot change (CGI 289 I-5: an invoice is corrected by a credit
note, never edited). facturlib enforces it in three layers:

* **Immutable values.** Documents are frozen attrs values and every `Money` they hold
  is a `~facturlib.core.money.FrozenMoney`, so no ordinary assignment changes an issued
  invoice, nor what its cached totals report.
* **The seal.** `facturlib.issue` sets ``seal``, a SHA-256 of the canonical content.
  It is public and anyone can recompute it: it detects accidents and careless code
  (a field changed through ``object.__setattr__`` and not re-sealed), not a forger.
  A forger who re-seals must still keep every law an issued invoice obeys, and
  `check_issued` re-checks them: the number (BR-FR-01/02), the issue rules of
  `facturlib.check_invoice`, totals that match the content (BR-CO-10…16) and the VAT
  of each rate (BR-CO-17). `verify_issued` raises on the first failure; loading
  (`facturlib.core.serialize.from_dict`), `facturlib.credit_note`,
  `facturlib.journal_for`, the renderers and `facturlib.core.serialize.to_dict` call it
  on every issued invoice they are given.
* **The chain.** What a forger who re-seals a lawful change (another amount, a
  plausible number) leaves behind is caught only by a secret. `chain_link` links each
  issued invoice to the one before it with an HMAC-SHA256 under a key the caller
  keeps out of the database, and `verify_chain` reports the first document altered,
  missing, inserted or out of order. This is the inalterability the French
  anti-fraud rules ask of cash software (CGI art. 286 I-3° bis;
  BOI-TVA-DECLA-30-10-30: data recorded are kept unaltered, with a means such as
  chained signatures to prove it), applied to the invoices of a billing system.

>>> from datetime import date
>>> from facturlib.core.issuing import issue
>>> from facturlib.core.numbering import SequenceState
>>> from facturlib.testing.builders import sample_invoice, sample_scheme
>>> invoice, _ = issue(sample_invoice(), sample_scheme(), SequenceState(), on=date(2025, 1, 15))
>>> check_issued(invoice)
()
>>> object.__setattr__(invoice, "number", "FA 2025 0001")  # a careless or hostile caller
>>> object.__setattr__(invoice, "seal", invoice.content_seal())  # ... who re-seals
>>> [problem.code for problem in check_issued(invoice)]
['number']

A chain of issued invoices, and what `verify_chain` finds when one goes missing:

>>> key = b"a secret of 32 bytes, not in the db"
>>> state, links, history = SequenceState(), [], []
>>> for day in (15, 16, 17):
...     invoice, state = issue(sample_invoice(), sample_scheme(), state, on=date(2025, 1, day))
...     links.append(chain_link(invoice, key, previous=links[-1] if links else None))
...     history.append((invoice, links[-1]))
>>> verify_chain(history, key)
()
>>> [(p.code, p.reference) for p in verify_chain([history[0], history[2]], key)]
[('missing', 'FA-2025-0003')]
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from decimal import Decimal

import attrs

from facturlib.core._validators import check_instance, is_int, is_text
from facturlib.core.documents import DocumentStatus, Invoice, _Document
from facturlib.core.errors import (
    DocumentError,
    FacturlibError,
    InvalidValue,
    Problem,
    TamperedDocumentError,
)
from facturlib.core.issuing import check_invoice
from facturlib.core.money import exact
from facturlib.core.numbering import _number_breaks
from facturlib.core.totals import _compute

__all__ = ["ChainLink", "chain_link", "check_issued", "verify_chain", "verify_issued"]

_CACHED_TOTALS = _Document.__dict__["_totals"]
_HINT = (
    "an issued invoice is never edited (CGI 289 I-5); restore it from a trusted copy "
    "and correct it with a credit note"
)


# ------------------------------------------------------------------------------ the seal


def check_issued(invoice: Invoice) -> tuple[Problem, ...]:
    """Every law *invoice*, an issued invoice, breaks: empty when it is intact.

    Checks, in order: the seal matches the content (``"seal"``); the number keeps
    BR-FR-01 (35 characters at most) and BR-FR-02 (``A-Z a-z 0-9 + - _ /``)
    (``"number"``); the rules `facturlib.check_invoice` applies at issue, such as a
    due date and the seller's identifier (their own codes); the totals, computed again
    from the content (BR-CO-10…16 hold by construction) and equal to any totals
    already computed and kept by the invoice (``"totals"``); and, with VAT rounded per rate
    on prices excluding VAT, each rate's VAT within one currency unit of its taxable
    amount × rate (BR-CO-17, ``"vat"``).

    Returns:
        A tuple of `Problem`; a draft gives one ``"not_issued"`` problem.

    Raises:
        DocumentError: *invoice* is not an `Invoice`.

    .. versionadded:: 0.2
    """
    check_instance(invoice, Invoice, "invoice", error=DocumentError, hint="pass an Invoice")
    reference = invoice.number if isinstance(invoice.number, str) else None
    if invoice.status is not DocumentStatus.ISSUED:
        return (Problem(code="not_issued", message="the invoice is a draft", reference=None),)
    problems: list[Problem] = []

    def problem(code: str, message: str) -> None:
        problems.append(Problem(code=code, message=message, reference=reference))

    try:
        sealed = invoice.seal == invoice.content_seal()
    except (FacturlibError, TypeError, ValueError, AttributeError):
        sealed = False
    if not sealed:
        problem("seal", "the content no longer matches the seal set at issue")
        return tuple(problems)  # nothing else can be trusted, nor always computed
    broken = _number_breaks(invoice.number)
    if broken is not None:
        problem("number", broken)
    for found in check_invoice(invoice):
        # A negative invoice (380) is lawful once issued: `issue` let it through only
        # with allow_negative=True, which the seal does not record.
        if found.code not in ("already_issued", "negative_invoice"):
            problems.append(found)
    problems.extend(_totals_problems(invoice, reference))
    return tuple(problems)


@exact
def _totals_problems(invoice: Invoice, reference: str | None) -> list[Problem]:
    problems: list[Problem] = []
    try:
        kept = _CACHED_TOTALS.__get__(invoice, Invoice)
    except AttributeError:
        kept = None
    try:
        # Totals not computed yet are computed now, from the content the seal covers,
        # and kept (the caller is about to read them); totals already kept are
        # compared with a fresh computation, in case the content changed under them.
        # compute_totals' sums hold by construction (BR-CO-10…16; the property tests
        # rebuild them through Totals' checking constructor), so what is checked here is
        # that the content still totals, and that kept totals are the content's.
        fresh = _compute(*invoice._totals_arguments()) if kept is not None else invoice.totals()
    except FacturlibError as error:
        message = f"the totals cannot be computed again: {error}"
        return [Problem(code="totals", message=message, reference=reference)]
    if kept is not None and kept != fresh:
        problems.append(
            Problem(
                code="totals",
                message="the totals the invoice holds no longer match its content (BR-CO-10…16)",
                reference=reference,
            )
        )
    if invoice.rounding.vat_rounding != "per_rate" or invoice.prices_include_vat:
        # VAT rounded per line, or reconciled from prices including VAT, may stray
        # further by design (see facturlib.RoundingPolicy).
        return problems
    unit = Decimal(1)  # the EN 16931 schematron's tolerance: one currency unit
    for vat, taxable, amount in fresh.vat_groups:
        expected = taxable * (vat.percent or Decimal(0)) / 100
        if abs(amount - expected) > unit:
            problems.append(
                Problem(
                    code="vat",
                    message=f"the VAT of {vat.category.value} {vat.percent} % is {amount}, "
                    f"not {taxable} × rate within one unit (BR-CO-17)",
                    reference=reference,
                )
            )
    return problems


def verify_issued(invoice: Invoice) -> Invoice:
    """Return *invoice* if it is intact; raise if an issued invoice was altered.

    A draft is returned as it is (it has no seal yet). Callers that take finished
    documents (credit notes, journal entries, renderers, storage) call this first,
    so that an altered invoice is refused where it enters rather than booked or printed.

    Raises:
        TamperedDocumentError: `check_issued` found a problem; the message lists them.
        DocumentError: *invoice* is not an `Invoice`.

    .. versionadded:: 0.2
    """
    return _verified(invoice, "invoice")


def _verified(invoice: Invoice, field: str, *, laws: bool = True) -> Invoice:
    """`verify_issued` naming *field* in its errors (private to facturlib: the callers
    that check what they are given).

    With ``laws=False`` the seal is compared with the content and the number with its
    rules (BR-FR-01/02), as the callers that take a document already in memory do
    (credit notes, journal entries, renderers, serialization): a change made after
    issue breaks the seal, and a re-sealed number still has to be lawful. Loading from
    storage re-checks every law (``laws=True``: the issue rules, the totals, BR-CO-17),
    since a stored document may have been re-sealed with content that breaks them.
    """
    check_instance(invoice, Invoice, field, error=DocumentError, hint="pass an Invoice")
    if invoice.status is not DocumentStatus.ISSUED:
        return invoice
    if not laws:
        try:
            if invoice.seal == invoice.content_seal() and _number_breaks(invoice.number) is None:
                return invoice
        except (FacturlibError, TypeError, ValueError, AttributeError):
            pass  # check_issued reports it
    problems = check_issued(invoice)
    if problems:
        raise TamperedDocumentError(
            f"invoice {invoice.number!s:.40} was altered after issue: "
            + "; ".join(p.message for p in problems),
            field=field,
            value=invoice.number,
            hint=_HINT,
        )
    return invoice


# ----------------------------------------------------------------------------- the chain


def _is_hex(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    empty_allowed = attribute.name == "previous"  # the first link has none
    if not isinstance(value, str) or (
        (value or not empty_allowed) and (len(value) != 64 or value.strip("0123456789abcdef"))
    ):
        raise InvalidValue(
            "expected a SHA-256 in lower-case hex (64 characters)",
            field=attribute.name,
            value=value,
            hint="build links with facturlib.chain_link",
        )


@attrs.frozen(kw_only=True)
class ChainLink:
    """One link of an inalterability chain: where an issued invoice stands in issue
    order, and the HMAC that binds it to the link before it.

    Store it next to the invoice (same transaction) and keep the key elsewhere.

    Attributes:
        position: 1 for the first invoice of the chain, then 2, 3…
        number: the invoice number (BT-1).
        seal: the invoice's seal at the time it was linked.
        previous: the ``digest`` of the link before, ``""`` for the first.
        digest: HMAC-SHA256, under the caller's key, of position, previous and seal.

    .. versionadded:: 0.2
    """

    position: int = attrs.field(validator=is_int(minimum=1))
    number: str = attrs.field(validator=is_text)
    seal: str = attrs.field(validator=_is_hex)
    previous: str = attrs.field(validator=_is_hex)
    digest: str = attrs.field(validator=_is_hex)


def _check_key(key: object) -> bytes:
    if not isinstance(key, bytes | bytearray) or len(key) < 16:
        raise InvalidValue(
            "the chain key must be at least 16 bytes",
            field="key",
            value=f"{type(key).__name__} of length {len(key) if hasattr(key, '__len__') else '?'}",
            hint="use 32 random bytes (secrets.token_bytes(32)) kept outside the database",
        )
    return bytes(key)


def _digest(key: bytes, position: int, previous: str, seal: str) -> str:
    message = f"facturlib-chain-v1\n{position}\n{previous}\n{seal}".encode("ascii")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def chain_link(invoice: Invoice, key: bytes, previous: ChainLink | None = None) -> ChainLink:
    """The link of *invoice*, issued after the invoice of *previous*.

    Args:
        invoice: an issued, intact `Invoice` (`verify_issued` is applied).
        key: the HMAC key, at least 16 bytes (32 random bytes advised), kept by the
            caller outside the database that stores the invoices and links.
        previous: the link of the invoice issued just before, ``None`` for the first.

    Returns:
        The `ChainLink`, at position ``previous.position + 1`` (or 1).

    Raises:
        TamperedDocumentError: *invoice* was altered after issue.
        DocumentError: *invoice* is a draft.
        InvalidValue: a bad key or *previous*.

    .. versionadded:: 0.2
    """
    verify_issued(invoice)
    if not invoice.is_issued or invoice.seal is None or invoice.number is None:
        raise DocumentError(
            "only issued invoices are chained",
            field="invoice",
            value=invoice.number,
            hint="issue it first with facturlib.issue",
        )
    secret = _check_key(key)
    check_instance(previous, ChainLink, "previous", optional=True, hint="pass the last link")
    position = 1 if previous is None else previous.position + 1
    before = "" if previous is None else previous.digest
    return ChainLink(
        position=position,
        number=invoice.number,
        seal=invoice.seal,
        previous=before,
        digest=_digest(secret, position, before, invoice.seal),
    )


def verify_chain(
    documents: Iterable[tuple[Invoice, ChainLink]],
    key: bytes,
    *,
    after: ChainLink | None = None,
    head: ChainLink | None = None,
) -> tuple[Problem, ...]:
    """Check a chain of issued invoices and report the first break.

    Args:
        documents: ``(invoice, link)`` pairs in issue order, as stored.
        key: the key the links were made with.
        after: the link just before the first pair, when checking a later part of a
            chain (``None``: the pairs start at position 1).
        head: the last link, kept apart from the stored pairs (e.g. with the numbering
            state, or signed elsewhere): without it, deleting the last invoices goes
            unnoticed.

    Returns:
        ``()`` if every invoice is intact, linked and in order; otherwise one `Problem`
        about the first document that breaks the chain (what follows it cannot be
        trusted): ``"altered"`` (its content, seal or link changed, or it was inserted
        without the key), ``"missing"`` (invoices removed before it, or from the end),
        ``"reordered"`` (it is out of issue order, or repeated) or ``"malformed"``.

    Raises:
        InvalidValue: a bad key, or *documents* is not a sequence.

    .. versionadded:: 0.2
    """
    secret = _check_key(key)
    check_instance(after, ChainLink, "after", optional=True, hint="pass the link before")
    check_instance(head, ChainLink, "head", optional=True, hint="pass the last link")
    if isinstance(documents, str | bytes) or not hasattr(documents, "__iter__"):
        raise InvalidValue(
            "expected (invoice, link) pairs",
            field="documents",
            value=type(documents).__name__,
            hint="pass a list of (Invoice, ChainLink) pairs in issue order",
        )
    pairs = list(documents)
    positions = {
        pair[1].position
        for pair in pairs
        if isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[1], ChainLink)
    }
    last = after
    for index, pair in enumerate(pairs):
        expected = 1 if last is None else last.position + 1
        if not (
            isinstance(pair, tuple)
            and len(pair) == 2
            and isinstance(pair[0], Invoice)
            and isinstance(pair[1], ChainLink)
        ):
            return (_chain_problem("malformed", f"entry {index} is not an (Invoice, ChainLink)"),)
        invoice, link = pair
        number = invoice.number if isinstance(invoice.number, str) else link.number
        where = f"at position {link.position}"
        if not hmac.compare_digest(
            link.digest, _digest(secret, link.position, link.previous, link.seal)
        ):
            return (
                _chain_problem(
                    "altered",
                    f"{number} {where}: its link was not made with this key (altered, or "
                    "inserted by someone without the key)",
                    number,
                ),
            )
        if invoice.seal != link.seal or invoice.number != link.number or check_issued(invoice):
            return (
                _chain_problem(
                    "altered", f"{number} {where} differs from the invoice that was linked", number
                ),
            )
        if link.position != expected or link.previous != ("" if last is None else last.digest):
            if link.position > expected and expected not in positions:
                count = link.position - expected
                return (
                    _chain_problem(
                        "missing",
                        f"{count} invoice(s) at position {expected}… are missing before "
                        f"{number} {where}",
                        number,
                    ),
                )
            return (
                _chain_problem(
                    "reordered",
                    f"{number} {where} comes where position {expected} belongs "
                    "(out of issue order, or repeated)",
                    number,
                ),
            )
        last = link
    if head is not None and (last is None or last.digest != head.digest):
        reached = 0 if last is None else last.position
        return (
            _chain_problem(
                "missing",
                f"the chain stops at position {reached} but its head is {head.number} at "
                f"position {head.position}: the last invoices are missing",
                head.number,
            ),
        )
    return ()


def _chain_problem(code: str, message: str, reference: str | None = None) -> Problem:
    return Problem(code=code, message=message, reference=reference)
