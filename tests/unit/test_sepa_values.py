"""Creditor identifiers, charset, mandates and the TARGET calendar (facturlib.sepa)."""

from __future__ import annotations

from datetime import date

import pytest

from facturlib.core.errors import InvalidIdentifier, SepaError
from facturlib.sepa.calendar import (
    add_target_days,
    check_collection_date,
    earliest_collection_date,
    is_target_day,
)
from facturlib.sepa.charset import fit, identifier_problem, is_epc_text, transliterate
from facturlib.sepa.creditor_id import (
    compute_creditor_id,
    is_valid_creditor_id,
    validate_creditor_id,
)
from facturlib.sepa.mandates import (
    Mandate,
    MandateHistory,
    SequenceType,
    lapse_date,
    next_collection,
)
from facturlib.testing.builders import sample_mandate


class TestComputeCreditorId:
    def test_epc_examples(self) -> None:
        """The EPC examples FR72ZZZ123456 and ES23ZZZ47690558N are computed."""
        assert "FR72ZZZ123456" == compute_creditor_id("FR", "123456")
        assert "ES23ZZZ47690558N" == compute_creditor_id("es", "47690558n")

    def test_business_code_left_out(self) -> None:
        """The business code does not change the check digits."""
        assert "FR72ABC123456" == compute_creditor_id("FR", "123456", "ABC")

    def test_bad_country(self) -> None:
        """A country that is not two letters is refused."""
        with pytest.raises(InvalidIdentifier, match="country code"):
            compute_creditor_id("F1", "123456")


class TestValidateCreditorId:
    def test_examples_valid(self) -> None:
        """The EPC examples validate, written with spaces and lower case."""
        assert "ES23ZZZ47690558N" == validate_creditor_id("es 23 zzz 4769 0558n")
        assert is_valid_creditor_id("FR72ZZZ123456")

    @pytest.mark.parametrize("bad", ["FR73ZZZ123456", "FR72ZZZ12345", "72FRZZZ123456", "", 12])
    def test_invalid(self, bad: object) -> None:
        """Wrong check digits, length or shape, or a non-str, are refused."""
        assert not is_valid_creditor_id(bad)


class TestTransliterate:
    def test_domain_example(self) -> None:
        """Accents dropped, dashes to '-', & to +, others to space."""
        assert "Societe Generale - Zoe Capek" == transliterate("Société Générale – Zoë Čapek")
        assert "Dupont + Fils C" == transliterate("Dupont & Fils <Ç_>")
        assert "Strasse AEsir" == transliterate("Straße\x00\x1f Æsir")

    def test_result_in_charset(self) -> None:
        """Whatever goes in, the EPC set comes out."""
        assert is_epc_text(transliterate("".join(chr(c) for c in range(0, 0x3000, 7))))


class TestFit:
    def test_cut(self) -> None:
        """Cut to the length, no trailing space."""
        assert "Societe" == fit("Société Dupont", 8)
        assert 140 == len(fit("é" * 500, 140))


class TestIdentifierProblem:
    @pytest.mark.parametrize("bad", ["/A", "A/", "A//B", "", "x" * 36, "A&B"])
    def test_bad(self, bad: str) -> None:
        """Slashes at the ends, '//', empty, too long or outside the set."""
        assert identifier_problem(bad) is not None

    def test_space_in_mandate(self) -> None:
        """A space is refused where spaces=False."""
        assert identifier_problem("RUM 1") is None
        assert identifier_problem("RUM 1", spaces=False) is not None


class TestNextCollection:
    def test_rcur_first_by_default(self) -> None:
        """First collection RCUR (rulebook v9), FRST on request, then RCUR, FNAL closes."""
        mandate = sample_mandate(1)
        first, history = next_collection(mandate, None, on=date(2025, 2, 5))
        frst, _ = next_collection(mandate, None, on=date(2025, 2, 5), first="FRST")
        second, history = next_collection(mandate, history, on=date(2025, 3, 5))
        last, history = next_collection(mandate, history, on=date(2025, 4, 5), final=True)

        assert [SequenceType.RCUR, SequenceType.FRST, SequenceType.RCUR, SequenceType.FNAL] == [
            first.sequence_type,
            frst.sequence_type,
            second.sequence_type,
            last.sequence_type,
        ]
        assert history.closed
        with pytest.raises(SepaError, match="closed"):
            next_collection(mandate, history, on=date(2025, 5, 5))

    def test_one_off(self) -> None:
        """A one-off mandate is OOFF once."""
        collection, history = next_collection(
            sample_mandate(1, recurrent=False), None, on=date(2025, 2, 5)
        )
        assert SequenceType.OOFF == collection.sequence_type
        assert history.closed

    def test_lapse_after_36_months(self) -> None:
        """No collection for 36 months: the mandate has lapsed."""
        mandate = sample_mandate(1)
        _, history = next_collection(mandate, None, on=date(2025, 2, 5))

        assert date(2028, 2, 5) == lapse_date(mandate, history)
        next_collection(mandate, history, on=date(2028, 2, 4))
        with pytest.raises(SepaError, match="lapsed"):
            next_collection(mandate, history, on=date(2028, 2, 5))

    def test_amendment_reported_once(self) -> None:
        """An amendment goes with the next collection only, with its original data."""
        mandate = sample_mandate(1)
        _, history = next_collection(mandate, None, on=date(2025, 2, 5))
        amended = mandate.amend(
            on=date(2025, 2, 20), reference="RUM-NEW", iban="FR7630006000011234567890189"
        )
        collection, history = next_collection(amended, history, on=date(2025, 3, 5))
        again, _ = next_collection(amended, history, on=date(2025, 4, 5))

        assert "RUM-000001" == collection.amendment.original_reference
        assert amended.amendments[0].original_iban == collection.amendment.original_iban
        assert again.amendment is None

    def test_history_not_changed(self) -> None:
        """The history passed in is a value: it is not changed."""
        history = MandateHistory(reference="RUM-000001")
        next_collection(sample_mandate(1), history, on=date(2025, 2, 5))
        assert 0 == history.collections

    def test_before_signature(self) -> None:
        """A collection before the signature is refused."""
        with pytest.raises(SepaError, match="signed"):
            next_collection(sample_mandate(1), None, on=date(2025, 1, 9))


class TestMandate:
    def test_amendment_must_change_something(self) -> None:
        """amend() with nothing changed is refused."""
        with pytest.raises(SepaError, match="what changed"):
            sample_mandate(1).amend(on=date(2025, 2, 1))

    def test_debtor_type(self) -> None:
        """The debtor must be a Party."""
        with pytest.raises(SepaError, match="Party"):
            Mandate(reference="R", signed_on=date(2025, 1, 1), debtor="Jean")  # type: ignore[arg-type]


class TestTargetCalendar:
    @pytest.mark.parametrize(
        "day",
        [
            date(2026, 1, 1),
            date(2026, 4, 3),
            date(2026, 4, 6),
            date(2026, 5, 1),
            date(2026, 12, 25),
            date(2026, 12, 26),
            date(2040, 3, 30),
            date(2026, 3, 7),
        ],
    )
    def test_closed(self, day: date) -> None:
        """New Year, Good Friday, Easter Monday (computed), 1 May, Christmas, weekends."""
        assert not is_target_day(day)

    def test_open(self) -> None:
        """An ordinary weekday is open, 14 July too (TARGET is not a national calendar)."""
        assert is_target_day(date(2026, 7, 14))

    def test_add(self) -> None:
        """D-1 over a weekend: a file sent Saturday can be collected Tuesday."""
        assert date(2026, 3, 10) == add_target_days(date(2026, 3, 7), 1)


class TestCollectionDates:
    def test_pre_notification(self) -> None:
        """14 calendar days after the pre-notification, on a TARGET day."""
        assert date(2026, 3, 16) == earliest_collection_date(
            submitted_on=date(2026, 3, 2), notified_on=date(2026, 3, 1)
        )

    def test_reports_first_feasible(self) -> None:
        """A date that cannot be met is reported with the first one that can."""
        problems = check_collection_date(
            date(2026, 3, 3), submitted_on=date(2026, 3, 2), lead_days=3
        )
        assert ["too-early"] == [p.code for p in problems]
        assert problems[0].message.endswith("the first date that can be met is 2026-03-05")
        assert () == check_collection_date(
            date(2026, 3, 5), submitted_on=date(2026, 3, 2), lead_days=3
        )

    def test_bad_lead(self) -> None:
        """A lead time below D-1 is refused."""
        with pytest.raises(SepaError):
            earliest_collection_date(submitted_on=date(2026, 3, 2), lead_days=0)
