"""VAT categories, rates, exemption mentions and French presets.

A `VatRate` is the pair EN 16931 keys every VAT computation on: a category
(UNTDID 5305, BT-151/BT-95/BT-102/BT-118) and a rate in percent (BT-152/BT-119),
plus, for the categories that need one, the exemption reason text (BT-120) and
code (BT-121, VATEX list). The constructor enforces the rules of DOMAIN.md §3.2:

* ``S`` standard rated: rate > 0 and no exemption reason (BR-S-05, BR-S-10);
* ``Z`` zero rated: rate 0 and no reason (BR-Z-05, BR-Z-10);
* ``E`` exempt, ``AE`` reverse charge, ``K`` intra-EU supply, ``G`` export: rate 0
  and a reason text or code (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10); AE, K and G
  get their standard French mention by default;
* ``O`` outside the scope of VAT: no rate at all (BR-O-05) and a reason (BR-O-10);
* ``L``/``M`` (Canary Islands IGIC, Ceuta and Melilla IPSI): a rate ≥ 0, no reason.

>>> from facturlib.core.vat import FR_STANDARD, VatRate, VatCategory
>>> FR_STANDARD.category, FR_STANDARD.percent
(<VatCategory.S: 'S'>, Decimal('20'))
>>> VatRate.reverse_charge().exemption_reason
'Autoliquidation'
>>> VatRate(category=VatCategory.S, percent="0")
Traceback (most recent call last):
...
facturlib.core.errors.VatError: standard-rated VAT (S) needs a rate above 0 ...
"""

from __future__ import annotations

import enum
import functools
from decimal import Decimal
from typing import Any

import attrs

from facturlib.core._validators import is_optional_text, max_places, optional_text, to_decimal
from facturlib.core.errors import VatError

__all__ = [
    "FR_FRANCHISE",
    "FR_INTERMEDIATE",
    "FR_REDUCED",
    "FR_STANDARD",
    "FR_SUPER_REDUCED",
    "FR_VAT_RATES",
    "VatCategory",
    "VatRate",
]


class VatCategory(enum.Enum):
    """VAT category codes (UNTDID 5305 subset used by EN 16931), DOMAIN.md §3.2."""

    S = "S"  #: standard rate
    Z = "Z"  #: zero rated goods
    E = "E"  #: exempt from VAT
    AE = "AE"  #: reverse charge (autoliquidation)
    K = "K"  #: intra-community supply of goods (VAT exempt, EEA)
    G = "G"  #: free export item, VAT not charged
    O = "O"  #: services outside the scope of tax  # noqa: E741
    L = "L"  #: Canary Islands general indirect tax (IGIC)
    M = "M"  #: tax for production, services and importation in Ceuta and Melilla (IPSI)

    @property
    def needs_exemption_reason(self) -> bool:
        """Whether BT-120 or BT-121 is mandatory for this category."""
        return self in _EXEMPT


_EXEMPT = frozenset({VatCategory.E, VatCategory.AE, VatCategory.K, VatCategory.G, VatCategory.O})
_ZERO = frozenset({VatCategory.Z, VatCategory.E, VatCategory.AE, VatCategory.K, VatCategory.G})

#: Default French mentions and VATEX codes (DOMAIN.md §3.2).
_DEFAULT_MENTIONS: dict[VatCategory, tuple[str, str]] = {
    VatCategory.AE: ("Autoliquidation", "VATEX-EU-AE"),
    VatCategory.K: ("Exonération de TVA, article 262 ter I du CGI", "VATEX-EU-IC"),
    VatCategory.G: ("Exonération de TVA, article 262 I du CGI", "VATEX-EU-G"),
    VatCategory.O: ("Opération hors du champ d'application de la TVA", "VATEX-EU-O"),
}


def _to_category(value: Any) -> VatCategory:
    if isinstance(value, VatCategory):
        return value
    try:
        return VatCategory(str(value).strip().upper())
    except ValueError:
        raise VatError(
            "unknown VAT category",
            field="category",
            value=value,
            hint="use one of S, Z, E, AE, K, G, O, L, M (UNTDID 5305)",
        ) from None


def _to_percent(value: Any) -> Decimal | None:
    if value is None:
        return None
    return max_places(to_decimal(value, "percent"), 4, "percent", "a VAT rate")


@attrs.frozen(kw_only=True, cache_hash=True)
class VatRate:
    """A VAT category with its rate and, where required, its exemption mention.

    Attributes:
        category: the `VatCategory` (BT-151).
        percent: the rate in percent as a Decimal (``Decimal("5.5")``), ``None`` only for ``O``.
        exemption_reason: the mention printed on the invoice (BT-120).
        exemption_code: the VATEX code (BT-121), e.g. ``"VATEX-FR-FRANCHISE"``.

    Raises:
        VatError: when category, rate and reason do not go together (DOMAIN.md §3.2).

    .. versionadded:: 0.1
    """

    category: VatCategory = attrs.field(converter=_to_category)
    percent: Decimal | None = attrs.field(converter=_to_percent)
    exemption_reason: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )
    exemption_code: str | None = attrs.field(
        default=None, converter=optional_text, validator=is_optional_text
    )

    def __attrs_post_init__(self) -> None:
        cat, pct = self.category, self.percent
        if cat is VatCategory.O:
            if pct is not None:
                raise VatError(
                    "outside-scope VAT (O) has no rate",
                    field="percent",
                    value=pct,
                    hint="pass percent=None (BR-O-05)",
                )
        elif pct is None:
            raise VatError(
                f"VAT category {cat.value} needs a rate",
                field="percent",
                value=None,
                hint='pass percent="20" or similar; only category O has no rate',
            )
        elif pct < 0 or pct >= 100:
            raise VatError(
                "a VAT rate is a percentage from 0 to under 100",
                field="percent",
                value=pct,
                hint='write 20 % as percent="20"',
            )
        elif cat is VatCategory.S and pct == 0:
            raise VatError(
                "standard-rated VAT (S) needs a rate above 0",
                field="percent",
                value=pct,
                hint="use category Z for zero-rated goods or E for exempt supplies (BR-S-05)",
            )
        elif cat in _ZERO and pct != 0:
            raise VatError(
                f"VAT category {cat.value} has a 0 % rate",
                field="percent",
                value=pct,
                hint=f"use category S for a {pct} % rate (BR-{_rule(cat)}-05)",
            )
        has_reason = self.exemption_reason is not None or self.exemption_code is not None
        if cat in _EXEMPT and not has_reason:
            raise VatError(
                f"VAT category {cat.value} needs an exemption reason text or code",
                field="exemption_reason",
                value=None,
                hint=(
                    'e.g. "TVA non applicable, art. 293 B du CGI" or a VATEX code '
                    f"(BR-{_rule(cat)}-10); VatRate.exempt() and friends fill it in"
                ),
            )
        if cat not in _EXEMPT and has_reason:
            raise VatError(
                f"VAT category {cat.value} must not carry an exemption reason",
                field="exemption_reason",
                value=self.exemption_reason or self.exemption_code,
                hint=f"drop the reason (BR-{_rule(cat)}-10) or use an exempt category",
            )

    @functools.cached_property
    def rate(self) -> Decimal:
        """The rate as a fraction (0.2 for 20 %); 0 for category O."""
        return (self.percent or Decimal(0)) / 100

    @property
    def mention(self) -> str | None:
        """The legal mention printed for this rate (BT-120): the exemption reason, else
        the French wording of the category's default (for a VATEX code alone), else
        the code; ``None`` for a taxed rate.

        >>> VatRate.reverse_charge(code="VATEX-EU-AE").mention
        'Autoliquidation'
        >>> FR_STANDARD.mention is None
        True

        .. versionadded:: 0.2
        """
        if self.exemption_reason:
            return self.exemption_reason
        if self.exemption_code is None:
            return None
        default = _DEFAULT_MENTIONS.get(self.category)
        return default[0] if default else self.exemption_code

    @property
    def label(self) -> str:
        """A short human label: ``"S 20%"``, ``"E 0%"``, ``"O"``."""
        if self.percent is None:
            return self.category.value
        return f"{self.category.value} {self.percent.normalize():f}%"

    # Named constructors ------------------------------------------------------------------

    @classmethod
    def standard(cls, percent: Decimal | int | str) -> VatRate:
        """A standard-rated (S) VAT rate.

        >>> VatRate.standard("5.5").label
        'S 5.5%'
        """
        return cls(category=VatCategory.S, percent=percent)

    @classmethod
    def exempt(cls, reason: str, code: str | None = None) -> VatRate:
        """An exempt (E) rate with its legal mention, e.g. ``art. 261-4-4° du CGI``."""
        return cls(category=VatCategory.E, percent=0, exemption_reason=reason, exemption_code=code)

    @classmethod
    def reverse_charge(cls, reason: str | None = None, code: str | None = None) -> VatRate:
        """Reverse charge (AE): "Autoliquidation", VATEX-EU-AE by default."""
        return cls._with_mention(VatCategory.AE, reason, code)

    @classmethod
    def intra_eu_goods(cls, reason: str | None = None, code: str | None = None) -> VatRate:
        """Intra-EU supply of goods (K): art. 262 ter I du CGI, VATEX-EU-IC by default."""
        return cls._with_mention(VatCategory.K, reason, code)

    @classmethod
    def export(cls, reason: str | None = None, code: str | None = None) -> VatRate:
        """Export outside the EU (G): art. 262 I du CGI, VATEX-EU-G by default."""
        return cls._with_mention(VatCategory.G, reason, code)

    @classmethod
    def outside_scope(cls, reason: str | None = None, code: str | None = None) -> VatRate:
        """Outside the scope of VAT (O): no rate, VATEX-EU-O by default."""
        default_reason, default_code = _DEFAULT_MENTIONS[VatCategory.O]
        return cls(
            category=VatCategory.O,
            percent=None,
            exemption_reason=reason or default_reason,
            exemption_code=code or default_code,
        )

    @classmethod
    def _with_mention(cls, category: VatCategory, reason: str | None, code: str | None) -> VatRate:
        default_reason, default_code = _DEFAULT_MENTIONS[category]
        return cls(
            category=category,
            percent=0,
            exemption_reason=reason or default_reason,
            exemption_code=code or default_code,
        )


def _rule(category: VatCategory) -> str:
    """The EN 16931 rule prefix of a category (BR-S-…, BR-IC-… for K)."""
    return {VatCategory.K: "IC", VatCategory.L: "IG", VatCategory.M: "IP"}.get(
        category, category.value
    )


#: Mainland France, 20 % (CGI 278).
FR_STANDARD = VatRate.standard("20")
#: Mainland France, 10 % (CGI 279).
FR_INTERMEDIATE = VatRate.standard("10")
#: Mainland France, 5.5 % (CGI 278-0 bis).
FR_REDUCED = VatRate.standard("5.5")
#: Mainland France, 2.1 % (CGI 281 quater ff.).
FR_SUPER_REDUCED = VatRate.standard("2.1")
#: VAT franchise for small businesses (art. 293 B du CGI).
FR_FRANCHISE = VatRate.exempt("TVA non applicable, art. 293 B du CGI", "VATEX-FR-FRANCHISE")
#: The four mainland French rates, highest first.
FR_VAT_RATES = (FR_STANDARD, FR_INTERMEDIATE, FR_REDUCED, FR_SUPER_REDUCED)
