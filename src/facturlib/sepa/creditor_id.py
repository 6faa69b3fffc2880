"""The SEPA creditor identifier (ICS in France, EPC attribute AT-02).

A creditor identifier is the country code, two check digits, a three-character
creditor business code (``ZZZ`` when the creditor has none) and the national
identifier; in France the Banque de France issues a 6-character national id, so a
French ICS has 13 characters. The check digits are ISO 7064 MOD 97-10 over the
national id followed by the country code and ``00`` — the business code is left
out, so a creditor may change it freely (EPC262-08 "Creditor Identifier
Overview"). python-stdnum (`stdnum.eu.at_02`) does the arithmetic; this module
adds the shape checks and the messages.

>>> compute_creditor_id("FR", "123456")
'FR72ZZZ123456'
>>> validate_creditor_id("es 23 zzz 47690558n")
'ES23ZZZ47690558N'
>>> validate_creditor_id("FR73ZZZ123456")
Traceback (most recent call last):
...
facturlib.core.errors.InvalidIdentifier: not a valid SEPA creditor identifier: the check digits ...

.. versionadded:: 0.2
"""

from __future__ import annotations

import re

from stdnum.eu import at_02
from stdnum.exceptions import ValidationError

from facturlib.core.errors import InvalidIdentifier

__all__ = ["compute_creditor_id", "is_valid_creditor_id", "validate_creditor_id"]

_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{3}[A-Z0-9]{1,28}")
_NATIONAL = re.compile(r"[A-Z0-9]{1,28}")
#: National id lengths the EPC Creditor Identifier Overview fixes (others vary).
_LENGTHS = {"FR": 13, "DE": 18, "ES": 16, "IT": 23, "BE": 20, "NL": 19, "AT": 18}
_HINT = "a French ICS is FR + 2 check digits + ZZZ + 6 characters, e.g. FR72ZZZ123456"


def _compact(value: str) -> str:
    return re.sub(r"[\s\-/.]", "", value).upper()


def validate_creditor_id(value: str) -> str:
    """Check a creditor identifier and return it compact (no spaces, upper case).

    Args:
        value: the identifier as written, spaces and lower case allowed.

    Returns:
        The compact identifier.

    Raises:
        InvalidIdentifier: not a str, not of the form ``CCkkBBBnnn…``, a length the
            EPC overview does not give for that country, or wrong check digits.

    >>> validate_creditor_id("DE98ZZZ09999999999")
    'DE98ZZZ09999999999'

    .. versionadded:: 0.2
    """
    if not isinstance(value, str):
        raise InvalidIdentifier(
            f"expected a str, got {type(value).__name__}",
            field="creditor_id",
            value=value,
            hint=_HINT,
        )
    compact = _compact(value)
    if _SHAPE.fullmatch(compact) is None:
        raise InvalidIdentifier(
            "not a valid SEPA creditor identifier: expected country code, 2 check digits, "
            "3-character business code and the national id",
            field="creditor_id",
            value=value,
            hint=_HINT,
        )
    expected = _LENGTHS.get(compact[:2])
    if expected is not None and len(compact) != expected:
        raise InvalidIdentifier(
            f"not a valid SEPA creditor identifier: a {compact[:2]} identifier has "
            f"{expected} characters, not {len(compact)}",
            field="creditor_id",
            value=value,
            hint=_HINT,
        )
    try:
        at_02.validate(compact)
    except ValidationError:
        raise InvalidIdentifier(
            "not a valid SEPA creditor identifier: the check digits are wrong",
            field="creditor_id",
            value=value,
            hint="the check digits are ISO 7064 MOD 97-10; compute them with "
            f"compute_creditor_id({compact[:2]!r}, {compact[7:]!r}) "
            f"(gives {compute_creditor_id(compact[:2], compact[7:], compact[4:7])})",
        ) from None
    return compact


def is_valid_creditor_id(value: object) -> bool:
    """Whether *value* is a valid creditor identifier (see `validate_creditor_id`).

    >>> is_valid_creditor_id("FR72ZZZ123456"), is_valid_creditor_id("FR72ZZZ123457")
    (True, False)

    .. versionadded:: 0.2
    """
    try:
        validate_creditor_id(value)  # type: ignore[arg-type]
    except InvalidIdentifier:
        return False
    return True


def compute_creditor_id(country_code: str, national_id: str, business_code: str = "ZZZ") -> str:
    """Compute the creditor identifier from the national id (the check digits by MOD 97-10).

    Args:
        country_code: ISO 3166 code of the issuing country, e.g. ``"FR"``.
        national_id: the identifier the national body issued (6 characters in France).
        business_code: the creditor business code, ``"ZZZ"`` when none is used.

    Returns:
        The compact identifier.

    Raises:
        InvalidIdentifier: a country code that is not two letters, a business code
            that is not 3 letters or digits, an empty or overlong national id.

    >>> compute_creditor_id("ES", "47690558N")
    'ES23ZZZ47690558N'

    .. versionadded:: 0.2
    """
    for field, text, pattern in (
        ("country_code", country_code, r"[A-Z]{2}"),
        ("business_code", business_code, r"[A-Z0-9]{3}"),
        ("national_id", national_id, _NATIONAL.pattern),
    ):
        if not isinstance(text, str) or re.fullmatch(pattern, _compact(text)) is None:
            raise InvalidIdentifier(
                f"not a valid {field.replace('_', ' ')} for a creditor identifier",
                field=field,
                value=text,
                hint="country: 2 letters; business code: 3 letters or digits (ZZZ if none); "
                "national id: 1 to 28 letters or digits",
            )
    country = _compact(country_code)
    national = _compact(national_id)
    code = _compact(business_code)
    digits: str = at_02.calc_check_digits(f"{country}00{code}{national}")
    return f"{country}{digits}{code}{national}"
