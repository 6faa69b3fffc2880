"""Parties: who sells, who buys, where they are and how they are identified.

A `Party` is the seller (EN 16931 BG-4) or the buyer (BG-7) of a document:
its name (BT-27/BT-44), trading name (BT-28/BT-45), postal address
(`Address`, BG-5/BG-8), legal registration identifier — the SIREN, scheme
``0002`` (BT-30/BT-47) —, VAT identifier (BT-31/BT-48), electronic address
(BT-34/BT-49) and contact (`Contact`, BG-6/BG-9). For a seller it also holds
the account it is paid on (IBAN BT-84, BIC BT-86) and its SEPA creditor
identifier (ICS, BT-90); for a buyer paying by direct debit
the IBAN is the debited account (BT-91). The legal mentions a French invoice
carries — legal form, share capital, "RCS <city>" (C. com. R123-237,
BT-33) — are fields too (CGI ann. II 242 nonies A).

Every identifier is checked when the party is built — SIREN, SIRET, VAT id
and creditor id with python-stdnum, IBAN and BIC with schwifty — and stored
in its compact form (no spaces, upper case). A bad one raises
`InvalidIdentifier` naming the field and saying how to fix it. Fields that
must agree are checked together: a SIRET starts with the SIREN, and a French
VAT id is ``FR`` + a two-digit key + the SIREN (CGI ann. II 242 nonies A).

>>> from facturlib.core.parties import Address, Party, french_vat_id
>>> seller = Party(
...     name="Exemple SAS",
...     address=Address(line1="1 rue de la Paix", postal_code="75002", city="Paris",
...                     country_code="fr"),
...     siren="732 829 320",
...     vat_id="fr 44 732 829 320",
...     iban="FR76 3000 6000 0112 3456 7890 189",
... )
>>> seller.siren, seller.vat_id, seller.iban, seller.address.country_code
('732829320', 'FR44732829320', 'FR7630006000011234567890189', 'FR')
>>> french_vat_id("732829320")
'FR44732829320'
>>> Party(name="Exemple SAS", address=seller.address, siren="732829320",
...       vat_id="FR45732829320")
Traceback (most recent call last):
...
facturlib.core.errors.InvalidIdentifier: not a valid French VAT id: the number's checksum or
check digit is invalid (vat_id='FR45732829320'); a French VAT id is FR + 2-digit key + SIREN,
e.g. FR44732829320.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import attrs
from babel import Locale
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.eu import at_02
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import InvalidFormat, ValidationError
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret
from stdnum.util import get_cc_module

from facturlib.core._codes import EAS_CODES
from facturlib.core._validators import (
    check_text,
    is_bool,
    is_optional_text,
    optional_str,
    optional_text,
    to_decimal,
)
from facturlib.core.errors import InvalidIdentifier, InvalidValue
from facturlib.core.money import Money, freeze_money

__all__ = ["Address", "Contact", "ElectronicAddress", "Party", "french_vat_id"]

# Codes CLDR lists as territories that are not ISO 3166-1 alpha-2 country codes:
# exceptionally reserved (AC, CP, CQ, DG, EA, IC, TA), groupings (EU, EZ, UN, QO),
# pseudo-locales (XA, XB), user-assigned (XK) and "unknown" (ZZ).
_NOT_ISO_3166 = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)

# BR-CO-09 asks for an ISO 3166-1 prefix; this is the shape a VAT id must at least
# have when no python-stdnum module knows the country.
_VAT_SHAPE = re.compile(r"^[A-Z]{2}[0-9A-Z+*.]{2,13}$")

_SIREN_HINT = "a SIREN is 9 digits with a Luhn check digit, e.g. 732829320"
_SIRET_HINT = "a SIRET is the 9-digit SIREN followed by the 5-digit NIC, e.g. 73282932000074"
_FR_VAT_HINT = "a French VAT id is FR + 2-digit key + SIREN, e.g. FR44732829320"
_EU_VAT_HINT = (
    "an EU VAT id is the member state prefix (EL for Greece, XI for Northern Ireland) "
    "followed by the national number, e.g. DE136695976; check it on VIES"
)
_OTHER_VAT_HINT = (
    "check it against the party's tax registration and keep its country prefix, "
    "e.g. GB980780684 or CHE107787577MWST"
)
_PREFIX_HINT = (
    "a VAT id starts with its ISO 3166-1 alpha-2 country prefix (BR-CO-09), "
    "e.g. FR44732829320 or DE136695976"
)


@lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes, from babel's CLDR territory data."""
    return frozenset(
        code
        for code in Locale("en").territories
        if isinstance(code, str) and len(code) == 2 and code.isalpha() and code not in _NOT_ISO_3166
    )


def _reason(exc: Exception) -> str:
    """A library exception's message as a clause: "the number has an invalid length"."""
    text = str(exc).strip().rstrip(".")
    return text[:1].lower() + text[1:] if text else type(exc).__name__


def _identifier_text(value: object, field: str) -> str | None:
    """Strip a raw identifier; ``None`` or blank means absent; anything but a str is refused."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidIdentifier(
            f"expected a str, got {type(value).__name__}",
            field=field,
            value=value,
            hint="pass identifiers as strings so leading zeros are kept",
        )
    return value.strip() or None


def _required_text(value: object, field: str) -> str:
    if value is not None and (not isinstance(value, str | int) or isinstance(value, bool)):
        raise InvalidValue(
            f"expected a str, got {type(value).__name__}",
            field=field,
            value=value,
            hint="pass a str",
        )
    text = optional_str(value)
    if text is None:
        raise InvalidValue("must not be empty", field=field, value=value)
    return text


# --------------------------------------------------------------------- identifiers


def _check_siren(value: object) -> str | None:
    text = _identifier_text(value, "siren")
    if text is None:
        return None
    try:
        result: str = fr_siren.validate(text)
    except ValidationError as exc:
        raise InvalidIdentifier(
            f"not a valid SIREN: {_reason(exc)}", field="siren", value=value, hint=_SIREN_HINT
        ) from None
    return result


def _check_siret(value: object) -> str | None:
    text = _identifier_text(value, "siret")
    if text is None:
        return None
    try:
        result: str = fr_siret.validate(text)
    except ValidationError as exc:
        raise InvalidIdentifier(
            f"not a valid SIRET: {_reason(exc)}", field="siret", value=value, hint=_SIRET_HINT
        ) from None
    return result


def _vat_error(value: object, compact: str, reason: str) -> InvalidIdentifier:
    prefix = compact[:2]
    if prefix == "FR":
        what, hint = "French VAT id", _FR_VAT_HINT
    elif prefix.lower() in eu_vat.MEMBER_STATES or prefix == "EL":
        what, hint = f"{prefix} VAT id", _EU_VAT_HINT
    elif prefix in _country_codes():
        what, hint = f"{prefix} VAT id", _OTHER_VAT_HINT
    else:
        what, hint = "VAT id", _PREFIX_HINT
        if fr_siren.is_valid(compact):
            vat_id = french_vat_id(compact)
            hint = f"a SIREN is not a VAT id; the VAT id of SIREN {compact} is {vat_id}"
    return InvalidIdentifier(
        f"not a valid {what}: {reason}", field="vat_id", value=value, hint=hint
    )


def _check_vat_id(value: object) -> str | None:
    text = _identifier_text(value, "vat_id")
    if text is None:
        return None
    compact = re.sub(r"[\s\-]", "", text).upper()
    cc = compact[:2].lower()
    if cc in eu_vat.MEMBER_STATES or cc == "el":
        try:
            result: str = eu_vat.validate(compact)
        except ValidationError as exc:
            raise _vat_error(value, compact, _reason(exc)) from None
        return result.upper()
    module = get_cc_module(cc, "vat") if len(cc) == 2 and cc.isascii() and cc.isalpha() else None
    if module is not None:
        # Some stdnum modules want the country prefix (ch: "CHE…"), others strip it
        # or refuse it (au, ca): try both, keep the more telling failure.
        errors: list[ValidationError] = []
        for candidate in (compact, compact[2:]):
            try:
                national = module.validate(candidate).upper()
            except ValidationError as exc:
                errors.append(exc)
                continue
            return national if national.startswith(cc.upper()) else cc.upper() + national
        telling = [e for e in errors if not isinstance(e, InvalidFormat)] or errors
        raise _vat_error(value, compact, _reason(telling[-1])) from None
    if not (compact[:2].isascii() and compact[:2].isalpha()):
        raise _vat_error(value, compact, "it does not start with a country prefix")
    if compact[:2] not in _country_codes():
        raise _vat_error(value, compact, f"{compact[:2]} is not an ISO 3166-1 country code")
    if not _VAT_SHAPE.match(compact):
        raise _vat_error(value, compact, "expected the prefix then 2 to 13 letters or digits")
    return compact


def _check_iban(value: object) -> str | None:
    text = _identifier_text(value, "iban")
    if text is None:
        return None
    try:
        result: str = IBAN(text).compact
    except SchwiftyException as exc:
        raise InvalidIdentifier(
            f"not a valid IBAN: {_reason(exc)}",
            field="iban",
            value=value,
            hint="copy the IBAN from the bank's RIB, e.g. FR76 3000 6000 0112 3456 7890 189",
        ) from None
    return result


def _check_bic(value: object) -> str | None:
    text = _identifier_text(value, "bic")
    if text is None:
        return None
    try:
        result: str = BIC(re.sub(r"\s", "", text)).compact
    except SchwiftyException as exc:
        raise InvalidIdentifier(
            f"not a valid BIC: {_reason(exc)}",
            field="bic",
            value=value,
            hint="a BIC is 8 or 11 characters: bank, country, location[, branch], e.g. AGRIFRPP",
        ) from None
    return result


def _check_creditor_id(value: object) -> str | None:
    text = _identifier_text(value, "creditor_id")
    if text is None:
        return None
    try:
        result: str = at_02.validate(text)
    except ValidationError as exc:
        raise InvalidIdentifier(
            f"not a valid SEPA creditor identifier: {_reason(exc)}",
            field="creditor_id",
            value=value,
            hint="a French ICS is FR + 2 check digits + ZZZ + 6 characters, e.g. FR72ZZZ123456",
        ) from None
    return result.upper()


def french_vat_id(siren: str) -> str:
    """Return the French VAT id of *siren*: ``FR`` + two-digit key + SIREN.

    The key is (12 + 3 × (SIREN mod 97)) mod 97 (CGI ann. II 242 nonies A). This is the
    "old style" numeric key the tax office assigns to companies registered
    with a SIREN; python-stdnum's ``stdnum.fr.tva`` checks such ids but has no
    function to compute one.

    Args:
        siren: a 9-digit SIREN; spaces are allowed.

    Returns:
        The VAT id in compact form, e.g. ``"FR44732829320"``.

    Raises:
        InvalidIdentifier: *siren* is not a valid SIREN (``field="siren"``).

    >>> french_vat_id("732 829 320")
    'FR44732829320'
    >>> french_vat_id("732829321")
    Traceback (most recent call last):
    ...
    facturlib.core.errors.InvalidIdentifier: not a valid SIREN: ...

    .. versionadded:: 0.1
    """
    compact = _check_siren(siren)
    if compact is None:
        raise InvalidIdentifier("must not be empty", field="siren", value=siren, hint=_SIREN_HINT)
    key = (12 + 3 * (int(compact) % 97)) % 97
    return f"FR{key:02d}{compact}"


# --------------------------------------------------------------------- converters
# attrs converters get only the value, so each field has its own named converter
# (which also keeps mypy's attrs plugin able to type ``__init__``).


def _name(value: object) -> str:
    return _required_text(value, "name")


def _city(value: object) -> str:
    return _required_text(value, "city")


def _country_code(value: object) -> str:
    code = _required_text(value, "country_code").upper()
    if code not in _country_codes():
        raise InvalidValue(
            "not an ISO 3166-1 alpha-2 country code",
            field="country_code",
            value=value,
            hint='use a two-letter code such as "FR", "DE" or "BE" (Greece is "GR")',
        )
    return code


def _email(value: object) -> str | None:
    text = optional_str(value)
    if text is None:
        return None
    local, _, domain = text.partition("@")
    looks_right = (
        text.count("@") == 1
        and bool(local)
        and "." in domain.strip(".")
        and not any(ch.isspace() for ch in text)
    )
    if not looks_right:
        raise InvalidValue(
            "not an email address",
            field="email",
            value=value,
            hint="write it like name@example.fr",
        )
    return text


def _capital(value: object) -> Money | None:
    if value is None or isinstance(value, Money):
        return freeze_money(value)  # type: ignore[return-value]
    if isinstance(value, float):
        to_decimal(value, "capital")  # raises FloatNotAllowed with the usual hint
    raise InvalidValue(
        f"expected Money, got {type(value).__name__}",
        field="capital",
        value=value,
        hint='build it with facturlib.to_money("10000", "EUR")',
    )


# Integrity (issue 16): the texts printed as lines of a document or a letter are one
# line each, without control characters.
_ADDRESS_TEXT = ("line1", "line2", "line3", "city", "postal_code", "country_subdivision")
_PARTY_TEXT = ("name", "trading_name", "legal_form", "registration")


def _one_line(value: object, names: tuple[str, ...]) -> None:
    for name in names:
        text = getattr(value, name)
        if isinstance(text, str):
            check_text(text, name, one_line=True)


def _is_address(instance: object, attribute: attrs.Attribute[Address], value: object) -> None:
    if not isinstance(value, Address):
        raise InvalidValue(
            f"expected an Address, got {type(value).__name__}",
            field=attribute.name,
            value=value,
            hint="build it with facturlib.core.parties.Address(city=..., country_code=...)",
        )


def _is_contact(
    instance: object, attribute: attrs.Attribute[Contact | None], value: object
) -> None:
    if value is not None and not isinstance(value, Contact):
        raise InvalidValue(
            f"expected a Contact, got {type(value).__name__}",
            field=attribute.name,
            value=value,
            hint="build it with facturlib.core.parties.Contact(name=..., email=...)",
        )


# --------------------------------------------------------------------- value objects


@attrs.frozen(kw_only=True)
class Address:
    """A postal address (EN 16931 BG-5 seller, BG-8 buyer, BG-15 delivery).

    Attributes:
        line1: main address line (BT-35 seller / BT-50 buyer), e.g. ``"1 rue de la Paix"``.
        line2: additional line (BT-36 / BT-51).
        line3: further line (BT-162 / BT-163).
        city: city (BT-37 / BT-52); required.
        postal_code: postal code (BT-38 / BT-53).
        country_subdivision: region or department (BT-39 / BT-54).
        country_code: ISO 3166-1 alpha-2 code (BT-40 / BT-55); required, stored upper case.

    Text fields are stripped; blank optional fields become ``None``.

    >>> Address(city=" Lyon ", postal_code="69001", country_code="fr")
    Address(line1=None, line2=None, line3=None, city='Lyon', postal_code='69001',
            country_subdivision=None, country_code='FR')
    >>> Address(city="Lyon", country_code="FX")
    Traceback (most recent call last):
    ...
    facturlib.core.errors.InvalidValue: not an ISO 3166-1 alpha-2 country code ...

    .. versionadded:: 0.1
    """

    line1: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    line2: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    line3: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    city: str = attrs.field(converter=_city)
    postal_code: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    country_subdivision: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    country_code: str = attrs.field(converter=_country_code)

    def __attrs_post_init__(self) -> None:
        _one_line(self, _ADDRESS_TEXT)


@attrs.frozen(kw_only=True)
class Contact:
    """A contact point (EN 16931 BG-6 seller, BG-9 buyer).

    Attributes:
        name: contact person or department (BT-41 / BT-56).
        phone: telephone number (BT-42 / BT-57), kept as written.
        email: email address (BT-43 / BT-58); checked loosely: one ``@``, a
            non-empty local part and a dotted domain.

    >>> Contact(name="Service comptabilité", email="compta@exemple.fr")
    Contact(name='Service comptabilité', phone=None, email='compta@exemple.fr')
    >>> Contact(email="compta.exemple.fr")
    Traceback (most recent call last):
    ...
    facturlib.core.errors.InvalidValue: not an email address (email='compta.exemple.fr'); ...

    .. versionadded:: 0.1
    """

    name: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    phone: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    email: str | None = attrs.field(default=None, converter=_email)


_EAS_HINT = (
    'use a CEF EAS code (BT-34-1 / BT-49-1, BR-CL-25): "0225" (French e-invoicing '
    'directory), "0009" (SIRET), "0002" (SIREN), "0088" (GLN), "9957" (French VAT id), '
    '"EM" (e-mail), "0060" (DUNS), "0177" (OSCAR), "9930" (German VAT id)…'
)
# XP Z12-012, BR-FR-23 and BR-FR-25: what the French directory admits as an address.
_FR_ADDRESS = re.compile(r"^[A-Za-z0-9+\-_.]{1,125}$")
_MAX_ADDRESS = 512


def _ea_value(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidValue(
            f"expected a str, got {type(value).__name__}",
            field="electronic_address.value",
            value=value,
            hint="pass the address as a string, e.g. the SIREN '732829320'",
        )
    text = value.strip()
    if not text:
        raise InvalidValue(
            "an electronic address must not be empty",
            field="electronic_address.value",
            value=value,
            hint="leave electronic_address=None instead",
        )
    return text


def _ea_scheme(value: object) -> str:
    text = optional_str(value) if isinstance(value, str) else None
    code = text.upper() if text is not None else None
    if code is None or code not in EAS_CODES:
        raise InvalidIdentifier(
            "unknown electronic address scheme",
            field="electronic_address.scheme",
            value=value,
            hint=_EAS_HINT,
        )
    return code


def _looks_like_email(text: str) -> bool:
    local, _, domain = text.partition("@")
    return (
        text.count("@") == 1
        and bool(local)
        and "." in domain.strip(".")
        and not any(ch.isspace() for ch in text)
    )


@attrs.frozen
class ElectronicAddress:
    """Where a party receives e-invoices (BT-34 seller / BT-49 buyer) and its scheme.

    The scheme (BT-34-1 / BT-49-1) is a CEF Electronic Address Scheme code
    (EN 16931 BR-CL-25). France uses ``"0225"``: the address of the party in the
    national e-invoicing directory, ``[A-Za-z0-9+-_.]`` and at most 125
    characters (XP Z12-012, BR-FR-23 and BR-FR-25), whose default is the bare
    SIREN (a B2B buyer's starts with its SIREN, BR-FR-21). Other schemes:
    ``"0009"`` SIRET, ``"0002"`` SIREN, ``"0088"`` GLN, ``"9957"`` French VAT
    id, ``"EM"`` e-mail address…

    Attributes:
        value: the address (BT-34 / BT-49), stripped.
        scheme: its EAS code, default ``"0225"``.

    Raises:
        InvalidIdentifier: an unknown scheme, or an address its scheme refuses
            (the ``field`` names which).
        InvalidValue: an empty or non-text address.

    >>> ElectronicAddress("732829320")
    ElectronicAddress(value='732829320', scheme='0225')
    >>> ElectronicAddress("factures@exemple.fr", "EM").scheme
    'EM'
    >>> ElectronicAddress("732829320 factures")
    Traceback (most recent call last):
    ...
    facturlib.core.errors.InvalidIdentifier: not a valid 0225 electronic address: ...

    .. versionadded:: 0.2
    """

    value: str = attrs.field(converter=_ea_value)
    scheme: str = attrs.field(default="0225", converter=_ea_scheme)

    def __attrs_post_init__(self) -> None:
        value, scheme = self.value, self.scheme
        if scheme == "0225" and not _FR_ADDRESS.match(value):
            raise InvalidIdentifier(
                "not a valid 0225 electronic address: only letters, digits and + - _ . "
                "are allowed, at most 125 characters (BR-FR-23, BR-FR-25)",
                field="electronic_address.value",
                value=value,
                hint="the default address is the bare SIREN, e.g. '732829320'",
            )
        if scheme == "EM" and not _looks_like_email(value):
            raise InvalidIdentifier(
                "not an e-mail address",
                field="electronic_address.value",
                value=value,
                hint="write it like factures@exemple.fr, or choose another scheme",
            )
        if scheme == "0002" and not fr_siren.is_valid(value):
            raise InvalidIdentifier(
                "a 0002 address is a SIREN",
                field="electronic_address.value",
                value=value,
                hint=_SIREN_HINT,
            )
        if scheme == "0009" and not fr_siret.is_valid(value):
            raise InvalidIdentifier(
                "a 0009 address is a SIRET",
                field="electronic_address.value",
                value=value,
                hint=_SIRET_HINT,
            )
        if len(value) > _MAX_ADDRESS or any(ord(ch) < 32 for ch in value):
            raise InvalidIdentifier(
                "an electronic address is at most 512 characters, without control characters",
                field="electronic_address.value",
                value=value[:40],
                hint="check where the address was copied from",
            )

    @classmethod
    def from_text(cls, text: str) -> ElectronicAddress:
        """The address *text* with its scheme guessed: ``"EM"`` for an e-mail
        address, else ``"0225"``.

        >>> ElectronicAddress.from_text("compta@exemple.fr")
        ElectronicAddress(value='compta@exemple.fr', scheme='EM')
        >>> ElectronicAddress.from_text("732829320_FACTURES").scheme
        '0225'

        .. versionadded:: 0.2
        """
        value = _ea_value(text)
        return cls(value, "EM" if _looks_like_email(value) else "0225")

    @classmethod
    def _from_plain(cls, data: object, path: str) -> ElectronicAddress:
        """From stored data: version 0.1 stored the address as a bare string."""
        if isinstance(data, str):
            return cls.from_text(data)
        raise InvalidValue(
            "expected an electronic address",
            field=path,
            value=data,
            hint="pass data produced by facturlib.core.serialize.to_dict",
        )

    def _legacy_plain(self) -> str | None:
        """The 0.1 canonical form (a bare string) when *scheme* is the guessed one, so
        that invoices sealed by 0.1 keep their seal."""
        guessed = "EM" if _looks_like_email(self.value) else "0225"
        return self.value if self.scheme == guessed else None

    def __str__(self) -> str:
        return self.value


def _to_electronic_address(value: object) -> ElectronicAddress | None:
    if value is None or isinstance(value, ElectronicAddress):
        return value
    if isinstance(value, str):
        return ElectronicAddress.from_text(value) if value.strip() else None
    raise InvalidValue(
        f"expected an ElectronicAddress, got {type(value).__name__}",
        field="electronic_address",
        value=value,
        hint='pass facturlib.ElectronicAddress("732829320", "0225") or a string',
    )


@attrs.frozen(kw_only=True)
class Party:
    """A seller (EN 16931 BG-4) or buyer (BG-7), with its legal mentions and identifiers.

    Attributes:
        name: legal name, "raison sociale" (BT-27 seller / BT-44 buyer); required.
        address: postal address (BG-5 / BG-8); required.
        trading_name: name the party trades under, if different (BT-28 / BT-45).
        legal_form: e.g. ``"SAS"``, ``"SARL"`` (part of BT-33, C. com. R123-237).
        capital: share capital as `Money`, zero or more (part of BT-33).
        registration: register and city, e.g. ``"RCS Paris"`` (part of BT-33).
        siren: 9-digit SIREN (BT-30 / BT-47, scheme ``0002``), stored as digits.
        siret: 14-digit SIRET of the establishment, stored as digits; must start
            with `siren` when both are given.
        vat_id: VAT identifier (BT-31 / BT-48), stored compact with its country
            prefix, e.g. ``"FR44732829320"``; a French one must end with the SIREN.
        iban: account to be paid on (BT-84) or, for a buyer, to debit (BT-91).
        bic: the bank's BIC (BT-86); never derived from the IBAN.
        creditor_id: SEPA creditor identifier, ICS (BT-90).
        electronic_address: address for e-invoices (BT-34 / BT-49) as an
            `ElectronicAddress`; a plain string is converted (scheme ``"EM"`` for an
            e-mail address, else ``"0225"``). See `endpoint` for the default.
        contact: contact point (BG-6 / BG-9).
        id: the party's identifier in the seller's books, e.g. the customer
            number ``"CLI0001"`` (BT-29 seller / BT-46 buyer identifier). Payments,
            balances and the customer's auxiliary account are keyed on `key`,
            which is this id when given.
        vat_on_debits: the seller opted to pay VAT on debits (on invoicing) rather
            than on receipts for its services (CGI 269-2-c); the invoice then carries
            "Option pour le paiement de la taxe d'après les débits" (CGI ann. II
            242 nonies A, décret 2022-1299; BT-8).

    The SIRET (BT-29 with scheme ``0009``) must start with the SIREN (BR-FR-09).

    Raises:
        InvalidIdentifier: an identifier fails its check, or two disagree; its
            ``field`` names the identifier.
        InvalidValue: a missing name, a negative capital, a wrong type.
        FloatNotAllowed: a ``float`` capital.

    >>> address = Address(city="Paris", country_code="FR")
    >>> party = Party(name="Exemple SAS", address=address, siret="732 829 320 00074")
    >>> party.siret, party.legal_id
    ('73282932000074', '732829320')
    >>> Party(name="Exemple SAS", address=address, siren="732829320", siret="55208131766522")
    Traceback (most recent call last):
    ...
    facturlib.core.errors.InvalidIdentifier: SIRET does not belong to the SIREN ...

    .. versionadded:: 0.1
    """

    name: str = attrs.field(converter=_name)
    address: Address = attrs.field(validator=_is_address)
    trading_name: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    legal_form: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    capital: Money | None = attrs.field(default=None, converter=_capital)
    registration: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    siren: str | None = attrs.field(default=None, converter=_check_siren)
    siret: str | None = attrs.field(default=None, converter=_check_siret)
    vat_id: str | None = attrs.field(default=None, converter=_check_vat_id)
    iban: str | None = attrs.field(default=None, converter=_check_iban)
    bic: str | None = attrs.field(default=None, converter=_check_bic)
    creditor_id: str | None = attrs.field(default=None, converter=_check_creditor_id)
    electronic_address: ElectronicAddress | None = attrs.field(
        default=None, converter=_to_electronic_address
    )
    contact: Contact | None = attrs.field(default=None, validator=_is_contact)
    id: str | None = attrs.field(default=None, converter=optional_text, validator=is_optional_text)
    vat_on_debits: bool = attrs.field(default=False, validator=is_bool, metadata={"since": "0.2"})

    def __attrs_post_init__(self) -> None:
        _one_line(self, _PARTY_TEXT)

    @capital.validator
    def _check_capital(self, attribute: attrs.Attribute[Money | None], value: Any) -> None:
        if value is not None and value.amount < 0:
            raise InvalidValue(
                "share capital must not be negative",
                field="capital",
                value=value,
                hint="give the capital stated in the articles of association, e.g. EUR 10000",
            )

    # attrs runs validators once every field is set, so these may look at other fields.
    @siret.validator
    def _check_siret_matches_siren(
        self, attribute: attrs.Attribute[str | None], value: Any
    ) -> None:
        if value is not None and self.siren is not None and value[:9] != self.siren:
            raise InvalidIdentifier(
                "SIRET does not belong to the SIREN",
                field="siret",
                value=value,
                hint=(
                    f"a SIRET starts with its SIREN; check both (siren={self.siren!r}, BR-FR-09)"
                ),
            )

    @vat_id.validator
    def _check_vat_matches_siren(self, attribute: attrs.Attribute[str | None], value: Any) -> None:
        legal_id = self.legal_id
        if value is None or legal_id is None or not value.startswith("FR"):
            return
        if value[4:] != legal_id:
            raise InvalidIdentifier(
                "French VAT id does not match the SIREN",
                field="vat_id",
                value=value,
                hint=f"the VAT id of SIREN {legal_id} is {french_vat_id(legal_id)}",
            )

    @property
    def key(self) -> str:
        """The key that identifies this party across documents and payments.

        `id` if given, else the SIREN (`legal_id`), else the VAT id, else the name.
        Give customers an `id` so that renaming one does not split its history.

        >>> address = Address(city="Paris", country_code="FR")
        >>> Party(name="Exemple SAS", address=address, id="CLI0001").key
        'CLI0001'
        >>> Party(name="Exemple SAS", address=address, siren="732829320").key
        '732829320'
        >>> Party(name="Exemple SAS", address=address).key
        'Exemple SAS'

        .. versionadded:: 0.1
        """
        return self.id or self.legal_id or self.vat_id or self.name

    @property
    def legal_id(self) -> str | None:
        """The SIREN: `siren` if given, else the first 9 digits of `siret`, else ``None``.

        .. versionadded:: 0.1
        """
        if self.siren is not None:
            return self.siren
        if self.siret is not None:
            return self.siret[:9]
        return None

    @property
    def endpoint(self) -> ElectronicAddress | None:
        """Where this party receives e-invoices (BT-34 / BT-49).

        The explicit `electronic_address`, else the SIREN in the French directory
        (scheme ``0225``, the default address of XP Z12-012), else ``None``.

        >>> address = Address(city="Paris", country_code="FR")
        >>> Party(name="Exemple SAS", address=address, siren="732829320").endpoint
        ElectronicAddress(value='732829320', scheme='0225')
        >>> Party(name="Exemple SAS", address=address).endpoint is None
        True

        .. versionadded:: 0.2
        """
        if self.electronic_address is not None:
            return self.electronic_address
        legal_id = self.legal_id
        return ElectronicAddress(legal_id, "0225") if legal_id is not None else None
