"""The EPC Latin character set of SEPA files, transliteration and field lengths.

The EPC SEPA Direct Debit Core implementation guidelines (EPC130-08, section 1.4
"Character set") let every SEPA bank refuse any character outside the basic Latin
set::

    a-z A-Z 0-9 / - ? : ( ) . , ' + and space

`transliterate` brings any text into that set the way the EPC guidance on
character-set conversion (EPC217-08) describes: accents are dropped (Unicode NFKD
then the combining marks removed), ``ß`` becomes ``ss``, ``æ``/``œ`` become
``ae``/``oe``, ``&`` becomes ``+``, dashes become ``-``, and every other
character (control characters, ``<``, ``_``, ``@``, emoji…) becomes a space;
runs of spaces collapse. `fit` also cuts the result to a field's length, so a
hostile name or remittance text can never break a file. Identifiers (message,
payment-information, end-to-end and mandate ids) must in addition neither start
nor end with ``/`` nor contain ``//``; `identifier_problem` says what is wrong
with one.

>>> transliterate("Société Générale – Zoë Čapek")
'Societe Generale - Zoe Capek'
>>> transliterate("Müller & Söhne <Ç_> GmbH")
'Muller + Sohne C GmbH'
>>> fit("Straße\\x00 " + "x" * 200, 70)[:20], len(fit("x" * 200, 70))
('Strasse xxxxxxxxxxxx', 70)
>>> identifier_problem("RUM//2025")
"must not start or end with '/' nor contain '//'"

.. versionadded:: 0.2
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "IDENTIFIER_LENGTH",
    "NAME_LENGTH",
    "REMITTANCE_LENGTH",
    "fit",
    "identifier_problem",
    "is_epc_text",
    "transliterate",
]

#: Maximum length of MsgId, PmtInfId, EndToEndId and MndtId (ISO 20022 Max35Text).
IDENTIFIER_LENGTH = 35
#: Maximum length of a creditor or debtor name in the EPC guidelines (AT-03, AT-14).
NAME_LENGTH = 70
#: Maximum length of the one unstructured remittance text (AT-22, Ustrd).
REMITTANCE_LENGTH = 140

_EPC_TEXT = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]*")
_OUTSIDE = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")
_SPACES = re.compile(r" {2,}")

# Letters NFKD does not decompose, and signs with an EPC equivalent.
_SPECIAL = {
    "ß": "ss",
    "ẞ": "SS",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ø": "o",
    "Ø": "O",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "Ð": "D",
    "þ": "th",
    "Þ": "TH",
    "ı": "i",
    "&": "+",
    "‘": "'",
    "’": "'",
    "´": "'",
    "`": "'",
    "«": "",
    "»": "",
    '"': "",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
}
_SPECIAL_TABLE = str.maketrans(_SPECIAL)


def is_epc_text(text: str) -> bool:
    """Whether *text* uses only the EPC basic Latin set.

    >>> is_epc_text("Dupont + Fils (Paris)"), is_epc_text("Dupont & Fils")
    (True, False)

    .. versionadded:: 0.2
    """
    return _EPC_TEXT.fullmatch(text) is not None


@lru_cache(maxsize=4096)
def _transliterate(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_SPECIAL_TABLE)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    result = _OUTSIDE.sub(" ", stripped)
    return _SPACES.sub(" ", result).strip()


def transliterate(text: str) -> str:
    """*text* in the EPC basic Latin set (EPC217-08 conversion), spaces collapsed.

    Args:
        text: any text.

    Returns:
        The converted text; it may be empty when nothing in *text* was a letter,
        digit or allowed sign.

    >>> transliterate("Œuvre d’art «Noël» — 5 €")
    "OEuvre d'art Noel - 5"

    .. versionadded:: 0.2
    """
    if _EPC_TEXT.fullmatch(text) is not None and "  " not in text:
        return text.strip()
    return _transliterate(text)


def fit(text: str, length: int) -> str:
    """*text* transliterated (`transliterate`) and cut to at most *length* characters.

    Args:
        text: any text.
        length: the field's maximum length (70 for names, 140 for ``Ustrd``…).

    Returns:
        The text, never longer than *length*, without a trailing space.

    >>> fit("Société Dupont & Fils", 12)
    'Societe Dupo'

    .. versionadded:: 0.2
    """
    result = transliterate(text)
    if len(result) > length:
        result = result[:length].rstrip()
    return result


def identifier_problem(value: str, *, spaces: bool = True) -> str | None:
    """What makes *value* unfit as a SEPA identifier, or ``None`` when it is fit.

    An identifier (MsgId, PmtInfId, EndToEndId, MndtId) is 1 to 35 characters of
    the EPC set, neither starting nor ending with ``/`` nor containing ``//``
    (EPC130-08 section 1.4).

    Args:
        value: the identifier.
        spaces: whether a space is allowed (the mandate reference of the
            EPC-restricted schemas allows none).

    >>> identifier_problem("FA-2025-0001-1") is None
    True
    >>> identifier_problem("RUM 01", spaces=False)
    "must use only the characters a-z A-Z 0-9 / - ? : ( ) . , ' + (no space)"

    .. versionadded:: 0.2
    """
    if not value:
        return "must not be empty"
    if len(value) > IDENTIFIER_LENGTH:
        return f"must be at most {IDENTIFIER_LENGTH} characters (it has {len(value)})"
    if _EPC_TEXT.fullmatch(value) is None or (not spaces and " " in value):
        allowed = "a-z A-Z 0-9 / - ? : ( ) . , ' +"
        return f"must use only the characters {allowed}" + (
            " and space" if spaces else " (no space)"
        )
    if value.startswith("/") or value.endswith("/") or "//" in value:
        return "must not start or end with '/' nor contain '//'"
    return None
