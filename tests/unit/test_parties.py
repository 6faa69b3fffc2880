"""Tests for facturlib.core.parties: addresses, contacts, parties and their identifiers."""

# STYLE.md asks for asserts written `expected == actual`, which SIM300 calls Yoda conditions.

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.fr import tva

from facturlib.core.errors import FloatNotAllowed, InvalidIdentifier, InvalidValue
from facturlib.core.money import to_money
from facturlib.core.parties import Address, Contact, ElectronicAddress, Party, french_vat_id

PARIS = Address(line1="1 rue de la Paix", postal_code="75002", city="Paris", country_code="FR")


def party(**kwargs: object) -> Party:
    """A minimal valid party, with *kwargs* on top."""
    fields: dict[str, object] = {"name": "Exemple SAS", "address": PARIS}
    fields.update(kwargs)
    return Party(**fields)  # type: ignore[arg-type]


def sirens() -> st.SearchStrategy[str]:
    """9-digit strings whose last digit is the Luhn check digit (DOMAIN.md §1.1)."""
    return st.text(alphabet="0123456789", min_size=8, max_size=8).map(
        lambda digits: digits + luhn.calc_check_digit(digits)
    )


class TestAddress:
    def test_strips_and_uppercases(self) -> None:
        """BT-40 is an upper-case ISO 3166-1 alpha-2 code; text fields are stripped."""
        address = Address(line1="  2 place Bellecour ", city=" Lyon ", country_code=" fr ")

        assert ("2 place Bellecour", "Lyon", "FR") == (
            address.line1,
            address.city,
            address.country_code,
        )

    def test_blank_optional_fields_become_none(self) -> None:
        """Optional BT-36, BT-162, BT-38 and BT-39 left blank are absent, not empty."""
        address = Address(line2="  ", line3="", city="Lyon", postal_code=" ", country_code="FR")

        assert (None, None, None, None) == (
            address.line2,
            address.line3,
            address.postal_code,
            address.country_subdivision,
        )

    def test_full_address(self) -> None:
        """Every BG-5 field is kept as given (BT-35…BT-40, BT-162)."""
        address = Address(
            line1="Bâtiment A",
            line2="12 avenue des Champs",
            line3="BP 42",
            city="Nice",
            postal_code="06000",
            country_subdivision="Alpes-Maritimes",
            country_code="FR",
        )

        assert ("BP 42", "06000", "Alpes-Maritimes") == (
            address.line3,
            address.postal_code,
            address.country_subdivision,
        )

    @pytest.mark.parametrize("code", ["FX", "EU", "ZZ", "XK", "FRA", "F", "12"])
    def test_bad_country_code(self, code: str) -> None:
        """BT-40 must be an ISO 3166-1 alpha-2 code (EN 16931 country code list)."""
        with pytest.raises(InvalidValue) as exc_info:
            Address(city="Paris", country_code=code)

        assert "country_code" == exc_info.value.field
        assert code == exc_info.value.value
        assert "ISO 3166-1" in str(exc_info.value)

    @pytest.mark.parametrize("code", [None, "", "  "])
    def test_country_code_required(self, code: str | None) -> None:
        """BT-40 is mandatory in every postal address (EN 16931 BG-5)."""
        with pytest.raises(InvalidValue) as exc_info:
            Address(city="Paris", country_code=code)

        assert "country_code" == exc_info.value.field

    def test_city_required(self) -> None:
        """The city (BT-37) is part of the address a French invoice must show (DOMAIN.md §1.1)."""
        with pytest.raises(InvalidValue) as exc_info:
            Address(city="  ", country_code="FR")

        assert "city" == exc_info.value.field

    def test_frozen(self) -> None:
        """Value objects are immutable; changes go through attrs.evolve (STYLE.md)."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            PARIS.city = "Lyon"  # type: ignore[misc]

        assert "Lyon" == attrs.evolve(PARIS, city="Lyon").city


class TestContact:
    def test_all_optional(self) -> None:
        """BG-6/BG-9 fields (BT-41…BT-43) are all optional."""
        assert Contact(name=None, phone=None, email=None) == Contact()

    def test_valid(self) -> None:
        """A contact keeps name, phone and email (BT-41, BT-42, BT-43) stripped."""
        contact = Contact(name=" Compta ", phone="+33 1 23 45 67 89", email=" compta@exemple.fr ")

        assert ("Compta", "+33 1 23 45 67 89", "compta@exemple.fr") == (
            contact.name,
            contact.phone,
            contact.email,
        )

    @pytest.mark.parametrize(
        "email",
        [
            "compta.exemple.fr",
            "a@@exemple.fr",
            "a@b@exemple.fr",
            "@exemple.fr",
            "compta@",
            "a@fr",
            "a@.fr",
            "a@fr.",
            "a b@exemple.fr",
        ],
    )
    def test_bad_email(self, email: str) -> None:
        """BT-43: one "@", non-empty local part, dotted domain (loose check)."""
        with pytest.raises(InvalidValue) as exc_info:
            Contact(email=email)

        assert "email" == exc_info.value.field
        assert email == exc_info.value.value


class TestParty:
    def test_valid_french_seller(self) -> None:
        """A French seller with SIREN, VAT id, IBAN and BIC (DOMAIN.md §1.1, BT-30/31/84/86)."""
        seller = party(
            legal_form="SAS",
            capital=to_money("10000", "EUR"),
            registration="RCS Paris",
            siren="732829320",
            siret="73282932000074",
            vat_id="FR44732829320",
            iban="FR7630006000011234567890189",
            bic="AGRIFRPP",
            creditor_id="FR72ZZZ123456",
            electronic_address="732829320",
            contact=Contact(email="compta@exemple.fr"),
        )

        assert (
            "732829320",
            "73282932000074",
            "FR44732829320",
            "FR7630006000011234567890189",
            "AGRIFRPP",
            "FR72ZZZ123456",
            to_money("10000", "EUR"),
        ) == (
            seller.siren,
            seller.siret,
            seller.vat_id,
            seller.iban,
            seller.bic,
            seller.creditor_id,
            seller.capital,
        )

    def test_identifiers_optional(self) -> None:
        """Only the name (BT-27) and address (BG-5) are required of a party."""
        buyer = party()

        assert (None, None, None, None, None, None) == (
            buyer.siren,
            buyer.siret,
            buyer.vat_id,
            buyer.iban,
            buyer.bic,
            buyer.contact,
        )

    def test_compact_storage(self) -> None:
        """Identifiers are stored compact: no spaces, upper case (DOMAIN.md §1.1, §12)."""
        seller = party(
            siren=" 732 829 320 ",
            siret="732 829 320 00074",
            vat_id="fr 44 732 829 320",
            iban="fr76 3000 6000 0112 3456 7890 189",
            bic="agri fr pp",
            creditor_id="fr72 zzz 123456",
        )

        assert (
            "732829320",
            "73282932000074",
            "FR44732829320",
            "FR7630006000011234567890189",
            "AGRIFRPP",
            "FR72ZZZ123456",
        ) == (
            seller.siren,
            seller.siret,
            seller.vat_id,
            seller.iban,
            seller.bic,
            seller.creditor_id,
        )

    def test_blank_identifiers_are_absent(self) -> None:
        """An empty identifier means "not given", not an invalid one."""
        buyer = party(siren="", vat_id="  ", iban="")

        assert (None, None, None) == (buyer.siren, buyer.vat_id, buyer.iban)

    def test_iban_without_bic_invents_none(self) -> None:
        """BT-86 is optional in SEPA; a BIC is never derived from the IBAN (BT-84)."""
        assert None is party(iban="FR7630006000011234567890189").bic

    @pytest.mark.parametrize(
        ("field", "value", "hint"),
        [
            ("siren", "732829321", "9 digits with a Luhn check digit"),
            ("siren", "73282932", "9 digits"),
            ("siren", "73282932A", "9 digits"),
            ("siret", "73282932000075", "SIREN followed by the 5-digit NIC"),
            ("siret", "7328293200007", "SIREN followed by the 5-digit NIC"),
            ("vat_id", "FR45732829320", "FR + 2-digit key + SIREN, e.g. FR44732829320"),
            ("vat_id", "FR4473282932", "FR + 2-digit key + SIREN"),
            ("vat_id", "DE136695977", "EU VAT id is the member state prefix"),
            ("vat_id", "BE0403019262", "EU VAT id is the member state prefix"),
            ("vat_id", "GB980780685", "keep its country prefix"),
            ("vat_id", "CHE107787578IVA", "keep its country prefix"),
            ("iban", "FR7630006000011234567890188", "RIB"),
            ("iban", "FR763000600001123456789018", "RIB"),
            ("bic", "AGRIXXPP", "8 or 11 characters"),
            ("bic", "AGRIFRP", "8 or 11 characters"),
            ("creditor_id", "FR73ZZZ123456", "FR + 2 check digits + ZZZ"),
        ],
    )
    def test_invalid_identifier(self, field: str, value: str, hint: str) -> None:
        """A bad identifier names its field, shows the value and says how to fix it (STYLE.md)."""
        with pytest.raises(InvalidIdentifier) as exc_info:
            party(**{field: value})

        error = exc_info.value
        assert (field, value) == (error.field, error.value)
        assert error.hint is not None
        assert hint in error.hint
        assert f"{field}={value!r}" in str(error)
        assert None is error.__cause__

    def test_invalid_identifier_is_value_error(self) -> None:
        """Value errors also subclass ValueError, as stdnum's ValidationError does (STYLE.md)."""
        with pytest.raises(ValueError, match="not a valid SIREN"):
            party(siren="123456789")

    @pytest.mark.parametrize("field", ["siren", "siret", "vat_id", "iban", "bic", "creditor_id"])
    def test_identifier_must_be_str(self, field: str) -> None:
        """Identifiers are strings so leading zeros survive (DOMAIN.md §1.1)."""
        with pytest.raises(InvalidIdentifier) as exc_info:
            party(**{field: 732829320})

        assert field == exc_info.value.field

    def test_siret_siren_mismatch(self) -> None:
        """A SIRET is the SIREN + the 5-digit NIC (DOMAIN.md §1.1)."""
        with pytest.raises(InvalidIdentifier) as exc_info:
            party(siren="732829320", siret="55208131766522")

        assert ("siret", "55208131766522") == (exc_info.value.field, exc_info.value.value)
        assert "732829320" in str(exc_info.value)

    def test_vat_siren_mismatch(self) -> None:
        """A French VAT id ends with the SIREN; the hint gives the right one (DOMAIN.md §1.1)."""
        with pytest.raises(InvalidIdentifier) as exc_info:
            party(siren="732829320", vat_id=french_vat_id("552081317"))

        assert "vat_id" == exc_info.value.field
        assert "the VAT id of SIREN 732829320 is FR44732829320" == exc_info.value.hint

    def test_vat_siret_mismatch(self) -> None:
        """Without a SIREN, the French VAT id must match the SIRET's SIREN (DOMAIN.md §1.1)."""
        with pytest.raises(InvalidIdentifier) as exc_info:
            party(siret="55208131766522", vat_id="FR44732829320")

        assert "vat_id" == exc_info.value.field

    def test_foreign_vat_id_ignores_siren(self) -> None:
        """Only a French VAT id (FR…) embeds the SIREN; others are not cross-checked."""
        assert "DE136695976" == party(siren="732829320", vat_id="DE136695976").vat_id

    def test_la_poste_siret(self) -> None:
        """La Poste SIRETs (SIREN 356000000) use their own check (DOMAIN.md §1.1)."""
        la_poste = party(siren="356000000", siret="35600000049837", vat_id="FR39356000000")

        assert ("35600000049837", "FR39356000000") == (la_poste.siret, la_poste.vat_id)

    @pytest.mark.parametrize(
        ("raw", "stored"),
        [
            ("DE 136 695 976", "DE136695976"),
            ("BE 0403.019.261", "BE0403019261"),
            ("ATU13585627", "ATU13585627"),
            ("NL004495445B01", "NL004495445B01"),
            ("EL094259216", "EL094259216"),
        ],
    )
    def test_eu_vat_id(self, raw: str, stored: str) -> None:
        """EU VAT ids are checked per member state, Greece as EL (BR-CO-09)."""
        assert stored == party(vat_id=raw).vat_id

    @pytest.mark.parametrize(
        ("raw", "stored"),
        [
            ("GB 980 7806 84", "GB980780684"),
            ("CHE-107.787.577 IVA", "CHE107787577IVA"),
            ("NO 995 525 828 MVA", "NO995525828MVA"),
            ("AU 51 824 753 556", "AU51824753556"),
        ],
    )
    def test_non_eu_vat_id_with_stdnum_module(self, raw: str, stored: str) -> None:
        """Non-EU VAT ids with a stdnum module are checked and keep their prefix (BR-CO-09)."""
        assert stored == party(vat_id=raw).vat_id

    def test_unknown_country_vat_id(self) -> None:
        """Without a stdnum module, an ISO prefix + 2 to 13 characters is accepted (BR-CO-09)."""
        assert "ZA4123456789" == party(vat_id="ZA 4123456789").vat_id

    @pytest.mark.parametrize(
        ("value", "reason"),
        [
            ("ZZ4123456789", "ZZ is not an ISO 3166-1 country code"),
            ("12345678901", "does not start with a country prefix"),
            ("ZA41234567890123456", "2 to 13 letters or digits"),
            ("ZA4", "2 to 13 letters or digits"),
        ],
    )
    def test_unknown_country_vat_id_refused(self, value: str, reason: str) -> None:
        """BR-CO-09: a VAT id starts with an ISO 3166-1 alpha-2 prefix."""
        with pytest.raises(InvalidIdentifier) as exc_info:
            party(vat_id=value)

        assert "vat_id" == exc_info.value.field
        assert reason in str(exc_info.value)

    def test_siren_given_as_vat_id(self) -> None:
        """A bare SIREN is not a VAT id; the hint computes the right one (DOMAIN.md §1.1)."""
        with pytest.raises(InvalidIdentifier) as exc_info:
            party(vat_id="732829320")

        assert "FR44732829320" in str(exc_info.value.hint)

    def test_float_capital(self) -> None:
        """Amounts are never floats (STYLE.md "Money and rounding")."""
        with pytest.raises(FloatNotAllowed) as exc_info:
            party(capital=10000.0)

        assert "capital" == exc_info.value.field

    def test_capital_must_be_money(self) -> None:
        """Share capital (BT-33, C. com. R123-237) carries its currency."""
        with pytest.raises(InvalidValue) as exc_info:
            party(capital="10000")

        assert "capital" == exc_info.value.field

    def test_negative_capital(self) -> None:
        """Share capital (BT-33) is zero or positive."""
        with pytest.raises(InvalidValue) as exc_info:
            party(capital=to_money("-1", "EUR"))

        assert "capital" == exc_info.value.field

    def test_zero_capital(self) -> None:
        """A zero share capital is accepted (BT-33 only states it)."""
        assert to_money("0", "EUR") == party(capital=to_money("0", "EUR")).capital

    @pytest.mark.parametrize("name", [None, "", "   "])
    def test_name_required(self, name: str | None) -> None:
        """The seller/buyer name (BT-27/BT-44) is mandatory (DOMAIN.md §1.1)."""
        with pytest.raises(InvalidValue) as exc_info:
            party(name=name)

        assert "name" == exc_info.value.field

    def test_name_stripped(self) -> None:
        """BT-27 is stored stripped."""
        assert "Exemple SAS" == party(name="  Exemple SAS ").name

    def test_address_must_be_address(self) -> None:
        """BG-5/BG-8 is an Address, not a string."""
        with pytest.raises(InvalidValue) as exc_info:
            party(address="1 rue de la Paix, Paris")

        assert "address" == exc_info.value.field

    def test_contact_must_be_contact(self) -> None:
        """BG-6/BG-9 is a Contact."""
        with pytest.raises(InvalidValue) as exc_info:
            party(contact="compta@exemple.fr")

        assert "contact" == exc_info.value.field

    def test_evolve_revalidates(self) -> None:
        """Changes go through attrs.evolve, which runs the checks again (STYLE.md)."""
        seller = party(siren="732829320", vat_id="FR44732829320")

        with pytest.raises(InvalidIdentifier) as exc_info:
            attrs.evolve(seller, siren="552081317")

        assert "vat_id" == exc_info.value.field

    @given(siren=sirens())
    def test_french_vat_id_accepted_with_siren(self, siren: str) -> None:
        """For any valid SIREN, FR + key + SIREN is accepted next to it (DOMAIN.md §1.1)."""
        vat_id = french_vat_id(siren)

        assert tva.is_valid(vat_id)
        seller = party(siren=siren, vat_id=vat_id)
        assert (siren, vat_id) == (seller.siren, seller.vat_id)

    @given(siren=sirens(), nic=st.text(alphabet="0123456789", min_size=4, max_size=4))
    def test_siret_of_siren_accepted(self, siren: str, nic: str) -> None:
        """Any SIRET built as SIREN + NIC with a Luhn check is accepted (DOMAIN.md §1.1)."""
        siret = siren + nic + luhn.calc_check_digit(siren + nic)

        seller = party(siren=siren, siret=siret, vat_id=french_vat_id(siren))

        assert siren == seller.legal_id


class TestPartyLegalId:
    def test_from_siren(self) -> None:
        """legal_id is the SIREN (BT-30, scheme 0002) when given."""
        assert "732829320" == party(siren="732829320", siret="73282932000074").legal_id

    def test_from_siret(self) -> None:
        """Without a SIREN, legal_id is the SIRET's first 9 digits (DOMAIN.md §1.1)."""
        assert "732829320" == party(siret="73282932000074").legal_id

    def test_none(self) -> None:
        """A party with neither SIREN nor SIRET has no legal_id."""
        assert None is party(vat_id="DE136695976").legal_id


class TestFrenchVatId:
    @pytest.mark.parametrize(
        ("siren", "expected"),
        [
            ("732829320", "FR44732829320"),
            ("732 829 320", "FR44732829320"),
            ("356000000", "FR39356000000"),
            ("303265045", "FR40303265045"),
        ],
    )
    def test_known_values(self, siren: str, expected: str) -> None:
        """FR + (12 + 3 × (SIREN mod 97)) mod 97 + SIREN (DOMAIN.md §1.1)."""
        assert expected == french_vat_id(siren)

    def test_key_has_two_digits(self) -> None:
        """The key is zero-padded to two digits (DOMAIN.md §1.1)."""
        siren = next(
            s
            for s in (f"{n:08d}" + luhn.calc_check_digit(f"{n:08d}") for n in range(1000))
            if (12 + 3 * (int(s) % 97)) % 97 < 10
        )

        vat_id = french_vat_id(siren)

        assert (13, "0") == (len(vat_id), vat_id[2])
        assert tva.is_valid(vat_id)

    @pytest.mark.parametrize("siren", ["732829321", "12345", "", "FR44732829320"])
    def test_invalid_siren(self, siren: str) -> None:
        """Only a valid SIREN has a French VAT id (DOMAIN.md §1.1)."""
        with pytest.raises(InvalidIdentifier) as exc_info:
            french_vat_id(siren)

        assert "siren" == exc_info.value.field

    @given(siren=sirens())
    def test_matches_stdnum(self, siren: str) -> None:
        """The key agrees with python-stdnum's fr.tva check for every valid SIREN."""
        vat_id = french_vat_id(siren)

        assert tva.validate(vat_id) == vat_id[2:]
        assert siren == vat_id[4:]


class TestElectronicAddress:
    def test_default_scheme_is_0225(self) -> None:
        """The default scheme is the French directory's, 0225 (BT-34-1)."""
        assert ("732829320", "0225") == tuple(attrs.astuple(ElectronicAddress(" 732829320 ")))

    @pytest.mark.parametrize("value", ["732829320 X", "a" * 126, "732829320/X", "é"])
    def test_0225_charset_and_length(self, value: str) -> None:
        """A 0225 address is [A-Za-z0-9+-_.], at most 125 characters (BR-FR-23, BR-FR-25)."""
        with pytest.raises(InvalidIdentifier) as exc_info:
            ElectronicAddress(value)

        assert "electronic_address.value" == exc_info.value.field

    def test_0225_longest(self) -> None:
        """125 characters of the admitted set are accepted."""
        assert 125 == len(ElectronicAddress("732829320_" + "a+-_." * 23).value)

    @pytest.mark.parametrize("scheme", ["9999", "XX", "", "0225 0009"])
    def test_unknown_scheme(self, scheme: str) -> None:
        """A scheme outside the CEF EAS list is refused with a hint (BR-CL-25)."""
        with pytest.raises(InvalidIdentifier) as exc_info:
            ElectronicAddress("732829320", scheme)

        assert "electronic_address.scheme" == exc_info.value.field
        assert "0225" in (exc_info.value.hint or "")

    @pytest.mark.parametrize(
        ("value", "scheme"),
        [
            ("compta@exemple.fr", "EM"),
            ("73282932000074", "0009"),
            ("732829320", "0002"),
            ("3014531200003", "0088"),
            ("FR44732829320", "9957"),
            ("x", "em"),
        ],
    )
    def test_other_schemes(self, value: str, scheme: str) -> None:
        """E-mail, SIRET, SIREN, GLN and VAT-id schemes are accepted (upper-cased)."""
        if scheme == "em":
            with pytest.raises(InvalidIdentifier):
                ElectronicAddress(value, scheme)
            return
        assert scheme == ElectronicAddress(value, scheme).scheme

    @pytest.mark.parametrize(("value", "scheme"), [("73282932000075", "0009"), ("1", "0002")])
    def test_siret_and_siren_schemes_are_checked(self, value: str, scheme: str) -> None:
        """A 0009 address is a valid SIRET, a 0002 one a valid SIREN."""
        with pytest.raises(InvalidIdentifier):
            ElectronicAddress(value, scheme)

    @pytest.mark.parametrize("value", ["", "   ", None, 732829320])
    def test_empty_or_not_text(self, value: object) -> None:
        """An empty or non-text address is an InvalidValue naming the field."""
        with pytest.raises(InvalidValue) as exc_info:
            ElectronicAddress(value)  # type: ignore[arg-type]

        assert "electronic_address.value" == exc_info.value.field

    def test_from_text_guesses_the_scheme(self) -> None:
        """An e-mail address gets EM, anything else 0225."""
        assert ("EM", "0225") == (
            ElectronicAddress.from_text("compta@exemple.fr").scheme,
            ElectronicAddress.from_text("732829320_COMPTA").scheme,
        )

    def test_str_is_the_value(self) -> None:
        """str() gives the bare address."""
        assert "732829320" == str(ElectronicAddress("732829320"))


class TestPartyElectronicAddress:
    def test_plain_string_is_converted(self) -> None:
        """A plain string still works: converted to an ElectronicAddress (0.1 callers)."""
        assert (
            ElectronicAddress("compta@exemple.fr", "EM")
            == party(electronic_address="compta@exemple.fr").electronic_address
        )

    def test_blank_is_none(self) -> None:
        """A blank string means no address."""
        assert None is party(electronic_address="  ").electronic_address

    def test_wrong_type(self) -> None:
        """Anything else is refused naming the field."""
        with pytest.raises(InvalidValue) as exc_info:
            party(electronic_address=12)

        assert "electronic_address" == exc_info.value.field

    def test_endpoint_is_the_explicit_address(self) -> None:
        """endpoint is the explicit address first."""
        address = ElectronicAddress("732829320_FACTURES")

        assert address == party(siren="732829320", electronic_address=address).endpoint

    def test_endpoint_defaults_to_the_siren(self) -> None:
        """Without one, the SIREN in the French directory (0225), also from a SIRET."""
        assert (ElectronicAddress("732829320", "0225"),) * 2 == (
            party(siren="732829320").endpoint,
            party(siret="73282932000074").endpoint,
        )

    def test_endpoint_none_without_siren(self) -> None:
        """A party with neither address nor SIREN has no endpoint."""
        assert None is party(vat_id="DE136695976").endpoint


class TestPartyVatOnDebits:
    def test_default_is_receipts(self) -> None:
        """By default a seller pays VAT on receipts for services (no option)."""
        assert False is party().vat_on_debits

    def test_option(self) -> None:
        """The option for VAT on debits (CGI 269-2-c) is a flag."""
        assert True is party(vat_on_debits=True).vat_on_debits

    def test_not_a_bool(self) -> None:
        """A truthy non-bool is refused."""
        with pytest.raises(InvalidValue) as exc_info:
            party(vat_on_debits="yes")

        assert "vat_on_debits" == exc_info.value.field

    def test_siret_must_start_with_siren(self) -> None:
        """SIRET and SIREN that differ are refused, citing BR-FR-09."""
        with pytest.raises(InvalidIdentifier) as exc_info:
            party(siren="732829320", siret="55208131766522")

        assert "BR-FR-09" in (exc_info.value.hint or "")
