"""Pre-flight checks of a direct-debit batch, before any file is written.

A bank rejects a whole pain.008 file for one bad field, so `check_batch` looks at
every debit and reports every problem at once, as `facturlib.Problem` values:

* the creditor: name, IBAN, creditor identifier (ISO 7064 MOD 97-10, EPC262-08),
  a BIC when the message version requires one;
* each debit: end-to-end id and mandate reference (1–35 characters of the EPC set,
  no leading or trailing ``/`` nor ``//``, unique end-to-end ids; no space in the
  mandate reference, which the EPC-restricted schemas refuse), amount in EUR,
  between 0.01 and 999 999 999.99 with at most 2 decimals (EPC AT-06), debtor IBAN
  and BIC (schwifty), a debtor name and town left after transliteration to the EPC
  set, a collection date on or after the mandate's signature;
* the addresses: the EPC 2025 rulebooks (in force 15 November 2026) refuse fully
  unstructured addresses; facturlib writes town and country as structured
  elements, so both must survive transliteration.

`require_valid` raises one `facturlib.core.errors.SepaError` listing them all;
the pain.008 writer calls it before writing anything.

.. versionadded:: 0.2
"""

from __future__ import annotations

import enum
from decimal import Decimal
from functools import lru_cache

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from facturlib.core._validators import check_instance, to_enum
from facturlib.core.errors import InvalidIdentifier, Problem, SepaError
from facturlib.sepa.batch import DirectDebitBatch
from facturlib.sepa.charset import NAME_LENGTH, fit, identifier_problem
from facturlib.sepa.creditor_id import validate_creditor_id

__all__ = ["Pain008Version", "check_batch", "require_valid"]

_MIN = Decimal("0.01")
_MAX = Decimal("999999999.99")


class Pain008Version(enum.Enum):
    """The pain.008 message versions facturlib writes.

    * ``V001_08`` — ISO 20022 2019 ``pain.008.001.08``, the EPC reference since the
      2023 rulebooks (19 November 2023): ``BICFI``, structured or hybrid addresses.
      The default.
    * ``V001_02`` — ISO 20022 2009 ``pain.008.001.02``, the EPC reference until 2023.
    * ``V002_02`` — the early EPC-restricted ``pain.008.002.02`` (BIC mandatory).
    * ``V003_02`` — the German DK ``pain.008.003.02`` (DFÜ-Abkommen Anlage 3).

    .. versionadded:: 0.2
    """

    V001_08 = "pain.008.001.08"
    V001_02 = "pain.008.001.02"
    V002_02 = "pain.008.002.02"
    V003_02 = "pain.008.003.02"

    @property
    def namespace(self) -> str:
        """The XML namespace of the message."""
        return f"urn:iso:std:iso:20022:tech:xsd:{self.value}"

    @property
    def requires_bic(self) -> bool:
        """Whether every agent must be given by BIC (pain.008.002.02)."""
        return self is Pain008Version.V002_02


def to_version(value: Pain008Version | str) -> Pain008Version:
    """*value* as a `Pain008Version` (a member or its value, ``"pain.008.001.08"``)."""
    return to_enum(value, Pain008Version, "version", error=SepaError)


@lru_cache(maxsize=65536)
def _iban_problem(value: str) -> str | None:
    try:
        IBAN(value)
    except SchwiftyException as exc:
        return f"not a valid IBAN: {exc}"
    return None


@lru_cache(maxsize=4096)
def _bic_problem(value: str) -> str | None:
    try:
        BIC(value)
    except SchwiftyException as exc:
        return f"not a valid BIC: {exc}"
    return None


def check_batch(
    batch: DirectDebitBatch, *, version: Pain008Version | str = Pain008Version.V001_08
) -> tuple[Problem, ...]:
    """Every problem that would make the bank reject *batch*, in one tuple.

    Args:
        batch: the batch.
        version: the message version it will be written in.

    Returns:
        The problems (empty when the batch can be written); each ``reference`` is
        the end-to-end id of the debit, or ``"creditor"``/``"message"``.

    >>> from datetime import date, datetime
    >>> from facturlib.core.money import to_money
    >>> from facturlib.core.parties import Address, Party
    >>> from facturlib.sepa.batch import DirectDebit
    >>> from facturlib.sepa.mandates import Mandate
    >>> creditor = Party(name="Exemple SAS", address=Address(city="Paris", country_code="FR"),
    ...                  iban="FR7630006000011234567890189")
    >>> debtor = Party(name="Jean Dupont", address=Address(city="Lyon", country_code="FR"))
    >>> mandate = Mandate(reference="RUM 1", signed_on=date(2025, 1, 10), debtor=debtor)
    >>> debit = DirectDebit(end_to_end_id="FA-1", amount=to_money("10.001", "EUR"),
    ...                     mandate=mandate, collection_date=date(2025, 2, 5))
    >>> batch = DirectDebitBatch(message_id="MSG-1", created_at=datetime(2025, 2, 1),
    ...                          creditor=creditor, debits=[debit])
    >>> [p.code for p in check_batch(batch)]
    ['creditor-id', 'amount', 'mandate-reference', 'debtor-iban']

    .. versionadded:: 0.2
    """
    check_instance(batch, DirectDebitBatch, "batch", error=SepaError)
    version = to_version(version)
    problems: list[Problem] = []
    add = problems.append

    def problem(code: str, message: str, reference: str) -> None:
        add(Problem(code=code, message=message, reference=reference))

    why = identifier_problem(batch.message_id)
    if why:
        problem("message-id", f"the message id {why}", "message")
    if not batch.debits:
        problem("empty", "the batch has no debit", "message")
    creditor = batch.creditor
    if not fit(creditor.name, NAME_LENGTH):
        problem("creditor-name", "the creditor name has no character of the EPC set", "creditor")
    if not fit(creditor.address.city, 35):
        problem(
            "creditor-address", "the creditor's town has no character of the EPC set", "creditor"
        )
    if creditor.creditor_id is None:
        problem(
            "creditor-id",
            "the creditor has no SEPA creditor identifier (ICS); set Party.creditor_id",
            "creditor",
        )
    else:
        try:
            validate_creditor_id(creditor.creditor_id)
        except InvalidIdentifier as exc:
            problem("creditor-id", str(exc), "creditor")
    if creditor.iban is None:
        problem("creditor-iban", "the creditor has no IBAN; set Party.iban", "creditor")
    else:
        why = _iban_problem(creditor.iban)
        if why:
            problem("creditor-iban", f"the creditor IBAN is {why}", "creditor")
    if creditor.bic is not None:
        why = _bic_problem(creditor.bic)
        if why:
            problem("creditor-bic", f"the creditor BIC is {why}", "creditor")
    elif version.requires_bic:
        problem("creditor-bic", f"{version.value} requires the creditor's BIC", "creditor")

    seen: set[str] = set()
    checked_mandates: set[int] = set()
    for debit in batch.debits:
        ref = debit.end_to_end_id
        why = identifier_problem(ref)
        if why:
            problem("end-to-end-id", f"the end-to-end id {why}", ref)
        if ref in seen:
            problem("duplicate", f"the end-to-end id {ref} is used twice", ref)
        seen.add(ref)
        amount = debit.amount.amount
        currency = debit.amount.currency.code
        if currency != "EUR":
            problem("currency", f"SEPA direct debits are in EUR, not {currency}", ref)
        if not _MIN <= amount <= _MAX or amount.as_tuple().exponent < -2:  # type: ignore[operator]
            problem(
                "amount",
                f"the amount {amount} must be 0.01 to 999999999.99 with at most 2 decimals",
                ref,
            )
        mandate = debit.mandate
        if debit.collection_date < mandate.signed_on:
            problem(
                "collection-date",
                f"the collection date {debit.collection_date} is before the mandate's "
                f"signature ({mandate.signed_on})",
                ref,
            )
        if debit.amendment is not None and debit.amendment.original_reference is not None:
            why = identifier_problem(debit.amendment.original_reference, spaces=False)
            if why:
                problem("mandate-reference", f"the original mandate reference {why}", ref)
        if id(mandate) in checked_mandates:
            continue
        checked_mandates.add(id(mandate))
        why = identifier_problem(mandate.reference, spaces=False)
        if why:
            problem("mandate-reference", f"the mandate reference {why}", ref)
        debtor = mandate.debtor
        if debtor.iban is None:
            problem("debtor-iban", f"the debtor {debtor.name!r} has no IBAN", ref)
        else:
            why = _iban_problem(debtor.iban)
            if why:
                problem("debtor-iban", f"the debtor IBAN is {why}", ref)
        if debtor.bic is not None:
            why = _bic_problem(debtor.bic)
            if why:
                problem("debtor-bic", f"the debtor BIC is {why}", ref)
        elif version.requires_bic:
            problem("debtor-bic", f"{version.value} requires the debtor's BIC", ref)
        if not fit(debtor.name, NAME_LENGTH):
            problem("debtor-name", "the debtor name has no character of the EPC set", ref)
        if not fit(debtor.address.city, 35):
            problem("debtor-address", "the debtor's town has no character of the EPC set", ref)
    return tuple(problems)


def require_valid(
    batch: DirectDebitBatch, *, version: Pain008Version | str = Pain008Version.V001_08
) -> None:
    """Raise one `SepaError` listing every problem of `check_batch`, if any.

    Raises:
        SepaError: with ``problems`` holding every `facturlib.Problem`.

    .. versionadded:: 0.2
    """
    problems = check_batch(batch, version=version)
    if problems:
        shown = "; ".join(f"{p.reference}: {p.message}" for p in problems[:20])
        more = f"; and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise SepaError(
            f"the batch cannot be written: {len(problems)} problem(s): {shown}{more}",
            field="batch",
            value=batch.message_id,
            hint="fix every problem listed (error.problems holds them all) and write again",
            problems=problems,
        )
