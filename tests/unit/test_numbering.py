"""Tests for facturlib.core.numbering (DOMAIN.md §4, BR-FR-01/02)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from facturlib.core._codes import DocumentKind
from facturlib.core.errors import NumberingError, Problem
from facturlib.core.numbering import (
    MAX_NUMBER_LENGTH,
    Numbering,
    NumberingPlan,
    NumberingScheme,
    ParsedNumber,
    Reset,
    SequenceState,
    SeriesPosition,
    SeriesRule,
    audit_numbers,
    next_number,
)

FA = NumberingScheme(pattern="FA-{yyyy}-{seq:04}")
AV = NumberingScheme(pattern="AV-{yyyy}-{seq:04}")
MONTHLY = NumberingScheme(pattern="F{yyyy}{mm}-{seq:03}", reset="monthly")
NEVER = NumberingScheme(pattern="N-{seq:05}", reset="never")


def state_at(scheme: NumberingScheme, counter: int, on: date) -> SequenceState:
    """A state whose series *scheme* last issued *counter* on *on*."""
    position = SeriesPosition(
        counter=counter,
        period=scheme.period_of(on),
        last_date=on,
        last_number=scheme.format(counter, on),
    )
    return SequenceState().with_position(scheme.key, position)


def codes(problems: tuple[Problem, ...]) -> list[tuple[str, str | None]]:
    return [(problem.code, problem.reference) for problem in problems]


class TestReset:
    def test_accepts_strings(self) -> None:
        """A reset rule may be given by its value, case-insensitively (DOMAIN.md §4)."""
        assert Reset.MONTHLY == NumberingScheme(pattern="F{yyyy}{mm}{seq}", reset="Monthly").reset

    def test_default_is_yearly(self) -> None:
        """The yearly reset with a year prefix is the accepted practice (DOMAIN.md §4)."""
        assert Reset.YEARLY == FA.reset

    def test_unknown_refused(self) -> None:
        """An unknown reset rule is refused with a hint (DOMAIN.md §4)."""
        with pytest.raises(NumberingError) as info:
            NumberingScheme(pattern="FA-{yyyy}-{seq}", reset="weekly")
        assert "reset" == info.value.field
        assert "weekly" == info.value.value
        assert info.value.hint is not None


class TestNumberingScheme:
    def test_format_domain_example(self) -> None:
        """FA-{yyyy}-{seq:04} writes FA-2025-0043 (DOMAIN.md §4)."""
        assert "FA-2025-0043" == FA.format(43, date(2025, 6, 1))

    def test_format_all_tokens(self) -> None:
        """{yy}, {mm} and an unpadded {seq} render as written (DOMAIN.md §4)."""
        scheme = NumberingScheme(pattern="AV{yy}/{mm}_{seq}+X", reset="monthly")
        assert "AV25/03_7+X" == scheme.format(7, date(2025, 3, 9))

    def test_counter_outgrows_padding(self) -> None:
        """A counter outgrowing its padding gets longer, so numbers stay unique (DOMAIN.md §4)."""
        assert "FA-2025-12345" == FA.format(12345, date(2025, 1, 1))

    def test_key_defaults_to_pattern(self) -> None:
        """A series is keyed by its pattern unless named (DOMAIN.md §4)."""
        assert "FA-{yyyy}-{seq:04}" == FA.key

    def test_key_from_series(self) -> None:
        """An explicit series key names the series in the state (DOMAIN.md §4)."""
        scheme = NumberingScheme(pattern="FA-{yyyy}-{seq:04}", series="main")
        assert "main" == scheme.key

    def test_space_refused(self) -> None:
        """A space is not allowed in a number: "FA {yyyy} {seq}" is invalid (BR-FR-02)."""
        with pytest.raises(NumberingError) as info:
            NumberingScheme(pattern="FA {yyyy} {seq}")
        assert "pattern" == info.value.field
        assert "FA {yyyy} {seq}" == info.value.value
        assert "BR-FR-02" in (info.value.hint or "")

    @pytest.mark.parametrize("char", [".", "é", "#", "\t", ":"])
    def test_charset_refused(self, char: str) -> None:
        """Only A-Z a-z 0-9 + - _ / may appear outside tokens (BR-FR-02)."""
        with pytest.raises(NumberingError):
            NumberingScheme(pattern=f"FA{char}{{yyyy}}-{{seq}}")

    def test_too_long_refused(self) -> None:
        """A pattern whose shortest number exceeds 35 characters is refused (BR-FR-01)."""
        pattern = "FACTURE-" * 4 + "{yyyy}-{seq:04}"
        with pytest.raises(NumberingError) as info:
            NumberingScheme(pattern=pattern)
        assert "pattern" == info.value.field
        assert "BR-FR-01" in (info.value.hint or "")

    def test_exactly_35_accepted(self) -> None:
        """A number of exactly 35 characters is allowed (BR-FR-01)."""
        scheme = NumberingScheme(pattern="A" * 26 + "-{yyyy}-{seq:03}")
        assert MAX_NUMBER_LENGTH == len(scheme.format(1, date(2025, 1, 1)))

    def test_format_overflow_refused(self) -> None:
        """A counter that would make the number longer than 35 characters raises (BR-FR-01)."""
        scheme = NumberingScheme(pattern="A" * 26 + "-{yyyy}-{seq:03}")
        assert 999 == scheme.max_counter
        with pytest.raises(NumberingError) as info:
            scheme.format(1000, date(2025, 1, 1))
        assert "counter" == info.value.field
        assert 1000 == info.value.value

    def test_yearly_without_year_refused(self) -> None:
        """A yearly reset without a year token would repeat numbers (DOMAIN.md §4)."""
        with pytest.raises(NumberingError) as info:
            NumberingScheme(pattern="FA-{seq:04}", reset="yearly")
        assert "pattern" == info.value.field
        assert "{yyyy}" in (info.value.hint or "")

    @pytest.mark.parametrize("pattern", ["FA-{mm}-{seq}", "FA-{yyyy}-{seq}"])
    def test_monthly_without_year_and_month_refused(self, pattern: str) -> None:
        """A monthly reset needs a year and a month token, or numbers repeat (DOMAIN.md §4)."""
        with pytest.raises(NumberingError):
            NumberingScheme(pattern=pattern, reset="monthly")

    def test_never_without_year_accepted(self) -> None:
        """A never-reset series needs no date token (DOMAIN.md §4)."""
        assert "N-00001" == NEVER.format(1, date(2025, 1, 1))

    @pytest.mark.parametrize(
        "pattern",
        [
            "FA-{yyyy}",
            "FA-{yyyy}-{seq}-{seq}",
            "FA-{yyyy}-{seq:4}",
            "FA-{yyyy}-{seq:04d}",
            "FA-{YYYY}-{seq}",
            "FA-{yyyy}-{seq:00}",
            "FA-{yyyy}-{seq:013}",
            "FA-{yyyy}-{n}",
            "FA-{yyyy-{seq}",
            "FA-{yyyy}}-{seq}",
            "FA-{yyyy}-{seq",
            "FA-{yyyy}-{yyyy}-{seq}",
            "FA-{yyyy}-{yy}-{seq}",
        ],
    )
    def test_bad_pattern_refused(self, pattern: str) -> None:
        """Bad tokens and braces are refused with a hint on the pattern (DOMAIN.md §4)."""
        with pytest.raises(NumberingError) as info:
            NumberingScheme(pattern=pattern)
        assert "pattern" == info.value.field
        assert info.value.hint

    def test_bad_token_hint(self) -> None:
        """The hint shows how to write a padded counter (DOMAIN.md §4)."""
        with pytest.raises(NumberingError) as info:
            NumberingScheme(pattern="FA-{yyyy}-{seq:04d}")
        assert "{seq:04}" in (info.value.hint or "")

    def test_pattern_must_be_str(self) -> None:
        """A pattern that is not a string is refused (DOMAIN.md §4)."""
        with pytest.raises(NumberingError):
            NumberingScheme(pattern=42)  # type: ignore[arg-type]

    def test_bad_counter_refused(self) -> None:
        """Counters start at 1 (DOMAIN.md §4)."""
        with pytest.raises(NumberingError):
            FA.format(0, date(2025, 1, 1))

    def test_datetime_refused(self) -> None:
        """Issue dates are calendar dates, not datetimes (DOMAIN.md §4)."""
        with pytest.raises(NumberingError) as info:
            FA.format(1, datetime(2025, 1, 1, 12, 0))
        assert "on" == info.value.field

    def test_period_of(self) -> None:
        """The reset period is "", the year or the year-month (DOMAIN.md §4)."""
        on = date(2025, 3, 9)
        assert ("", "2025", "2025-03") == (
            NEVER.period_of(on),
            FA.period_of(on),
            MONTHLY.period_of(on),
        )

    def test_parse_round_trip(self) -> None:
        """parse reads back the counter, year and month of a number (DOMAIN.md §4)."""
        assert ParsedNumber(counter=7, year=2025, month=3) == MONTHLY.parse("F202503-007")

    def test_parse_yy(self) -> None:
        """A two-digit year is read as 20yy (DOMAIN.md §4)."""
        scheme = NumberingScheme(pattern="AV{yy}-{seq}")
        assert ParsedNumber(counter=12, year=2025) == scheme.parse("AV25-12")

    @pytest.mark.parametrize(
        "number",
        ["AV-2025-0001", "FA-2025-001", "FA-2025-0000", "FA-2025-01234", "FA-25-0001", "", "FA"],
    )
    def test_parse_foreign(self, number: str) -> None:
        """Numbers the scheme could not have made are not read (DOMAIN.md §4)."""
        assert None is FA.parse(number)

    def test_parse_bad_month(self) -> None:
        """A thirteenth month is not a number of the scheme (DOMAIN.md §4)."""
        assert None is MONTHLY.parse("F202513-001")

    def test_parse_too_long(self) -> None:
        """A number longer than 35 characters is not a valid number (BR-FR-01)."""
        assert None is FA.parse("FA-2025-" + "9" * 30)

    def test_scheme_for_returns_self(self) -> None:
        """A scheme numbers every numbered kind itself (DOMAIN.md §4)."""
        assert FA is FA.scheme_for(DocumentKind.CREDIT_NOTE, "732829320")

    def test_scheme_for_refuses_proforma(self) -> None:
        """A proforma never gets a number (DOMAIN.md §1.2, §4)."""
        with pytest.raises(NumberingError) as info:
            FA.scheme_for(DocumentKind.PROFORMA)
        assert "kind" == info.value.field

    def test_is_numbering(self) -> None:
        """Schemes and plans both satisfy the Numbering protocol (DOMAIN.md §4)."""
        plan = NumberingPlan(rules=(SeriesRule(scheme=FA, kinds={DocumentKind.INVOICE}),))
        assert (True, True) == (isinstance(FA, Numbering), isinstance(plan, Numbering))


class TestSeriesPosition:
    def test_refuses_zero_counter(self) -> None:
        """Counters start at 1 (DOMAIN.md §4)."""
        with pytest.raises(NumberingError) as info:
            SeriesPosition(counter=0, period="2025", last_date=date(2025, 1, 1), last_number="X")
        assert "counter" == info.value.field

    def test_refuses_datetime(self) -> None:
        """The last date is a calendar date (DOMAIN.md §4)."""
        with pytest.raises(NumberingError):
            SeriesPosition(
                counter=1, period="2025", last_date=datetime(2025, 1, 1), last_number="X"
            )


class TestSequenceState:
    def test_empty(self) -> None:
        """A new state has no series started (DOMAIN.md §4)."""
        assert None is SequenceState().position(FA.key)

    def test_order_does_not_matter(self) -> None:
        """States with the same positions are equal whatever the insertion order (DOMAIN.md §4)."""
        on = date(2025, 1, 1)
        fa = SeriesPosition(counter=1, period="2025", last_date=on, last_number="FA-2025-0001")
        av = SeriesPosition(counter=2, period="2025", last_date=on, last_number="AV-2025-0002")
        first = SequenceState().with_position("FA", fa).with_position("AV", av)
        second = SequenceState().with_position("AV", av).with_position("FA", fa)
        assert first == second
        assert first == SequenceState.from_mapping({"FA": fa, "AV": av})
        assert ("AV", "FA") == tuple(key for key, _ in first.positions)

    def test_with_position_replaces(self) -> None:
        """with_position replaces a position and leaves the original alone (DOMAIN.md §4)."""
        start = state_at(FA, 1, date(2025, 1, 1))
        later = start.with_position(
            FA.key,
            SeriesPosition(
                counter=2, period="2025", last_date=date(2025, 1, 2), last_number="FA-2025-0002"
            ),
        )
        assert (1, 2) == (start.position(FA.key).counter, later.position(FA.key).counter)  # type: ignore[union-attr]
        assert 1 == len(later.positions)

    def test_duplicate_key_refused(self) -> None:
        """A series has one position (DOMAIN.md §4)."""
        on = date(2025, 1, 1)
        pos = SeriesPosition(counter=1, period="2025", last_date=on, last_number="FA-2025-0001")
        with pytest.raises(NumberingError):
            SequenceState(positions=(("FA", pos), ("FA", pos)))

    def test_bad_item_refused(self) -> None:
        """Positions are (key, SeriesPosition) pairs (DOMAIN.md §4)."""
        with pytest.raises(NumberingError):
            SequenceState(positions=(("FA", 1),))  # type: ignore[arg-type]


class TestNextNumber:
    def test_domain_example_next(self) -> None:
        """After FA-2025-0042 comes FA-2025-0043 (DOMAIN.md §4)."""
        state = state_at(FA, 42, date(2025, 6, 1))
        number, new_state = next_number(FA, state, date(2025, 6, 2))
        assert "FA-2025-0043" == number
        assert SeriesPosition(
            counter=43, period="2025", last_date=date(2025, 6, 2), last_number="FA-2025-0043"
        ) == new_state.position(FA.key)

    def test_domain_example_new_year(self) -> None:
        """The first invoice of 2026 is FA-2026-0001 (DOMAIN.md §4)."""
        state = state_at(FA, 42, date(2025, 12, 31))
        assert "FA-2026-0001" == next_number(FA, state, date(2026, 1, 2))[0]

    def test_first_number(self) -> None:
        """The first number of a new series has counter 1 (DOMAIN.md §1.3, §4)."""
        assert "FA-2025-0001" == next_number(FA, SequenceState(), date(2025, 1, 15))[0]

    def test_pure(self) -> None:
        """next_number does not change the state it is given (DOMAIN.md §4)."""
        state = state_at(FA, 42, date(2025, 6, 1))
        next_number(FA, state, date(2025, 6, 2))
        assert 42 == state.position(FA.key).counter  # type: ignore[union-attr]

    def test_same_day(self) -> None:
        """Several numbers may share a date (DOMAIN.md §4)."""
        state = state_at(FA, 1, date(2025, 6, 1))
        assert "FA-2025-0002" == next_number(FA, state, date(2025, 6, 1))[0]

    def test_monthly_reset(self) -> None:
        """A monthly series restarts at 1 each month (DOMAIN.md §4)."""
        state = state_at(MONTHLY, 17, date(2025, 3, 31))
        same_month, state2 = next_number(MONTHLY, state, date(2025, 3, 31))
        next_month, _ = next_number(MONTHLY, state2, date(2025, 4, 1))
        assert ("F202503-018", "F202504-001") == (same_month, next_month)

    def test_never_reset(self) -> None:
        """A never-reset series goes on across years (DOMAIN.md §4)."""
        state = state_at(NEVER, 99, date(2025, 12, 31))
        assert "N-00100" == next_number(NEVER, state, date(2026, 1, 1))[0]

    def test_series_are_independent(self) -> None:
        """Each series has its own counter (DOMAIN.md §4)."""
        state = state_at(FA, 42, date(2025, 6, 1))
        number, state = next_number(AV, state, date(2025, 6, 2))
        assert "AV-2025-0001" == number
        assert "FA-2025-0043" == next_number(FA, state, date(2025, 6, 2))[0]

    def test_earlier_date_refused(self) -> None:
        """A later number never bears an earlier date (DOMAIN.md §4)."""
        state = state_at(FA, 42, date(2025, 6, 1))
        with pytest.raises(NumberingError) as info:
            next_number(FA, state, date(2025, 5, 31))
        assert "on" == info.value.field
        assert date(2025, 5, 31) == info.value.value
        assert "FA-2025-0042" in (info.value.hint or "")

    def test_changed_reset_refused(self) -> None:
        """Changing the reset rule under the same key could repeat numbers (DOMAIN.md §4)."""
        yearly = NumberingScheme(pattern="F{yyyy}{mm}-{seq:03}", reset="yearly")
        state = state_at(yearly, 40, date(2025, 3, 1))
        with pytest.raises(NumberingError):
            next_number(MONTHLY, state, date(2025, 3, 2))

    def test_full_series_refused(self) -> None:
        """A series that would exceed 35 characters raises (BR-FR-01)."""
        scheme = NumberingScheme(pattern="A" * 26 + "-{yyyy}-{seq:03}")
        state = state_at(scheme, 999, date(2025, 1, 1))
        with pytest.raises(NumberingError):
            next_number(scheme, state, date(2025, 1, 2))

    def test_bad_arguments_refused(self) -> None:
        """Wrong argument types are refused with a hint (DOMAIN.md §4)."""
        with pytest.raises(NumberingError):
            next_number("FA-{yyyy}-{seq}", SequenceState(), date(2025, 1, 1))  # type: ignore[arg-type]
        with pytest.raises(NumberingError):
            next_number(FA, {}, date(2025, 1, 1))  # type: ignore[arg-type]
        with pytest.raises(NumberingError):
            next_number(FA, SequenceState(), "2025-01-01")  # type: ignore[arg-type]


class TestSeriesRule:
    def test_kinds_from_strings(self) -> None:
        """Kinds may be given by value (DOMAIN.md §4)."""
        rule = SeriesRule(scheme=FA, kinds=["invoice", DocumentKind.DEPOSIT])
        assert frozenset({DocumentKind.INVOICE, DocumentKind.DEPOSIT}) == rule.kinds

    def test_single_kind(self) -> None:
        """A single kind is accepted (DOMAIN.md §4)."""
        assert frozenset({DocumentKind.INVOICE}) == SeriesRule(scheme=FA, kinds="invoice").kinds

    def test_proforma_refused(self) -> None:
        """A proforma never gets a number from a series (DOMAIN.md §1.2, §4)."""
        with pytest.raises(NumberingError) as info:
            SeriesRule(scheme=FA, kinds={DocumentKind.PROFORMA})
        assert "kinds" == info.value.field

    def test_empty_and_unknown_refused(self) -> None:
        """A rule covers at least one known kind (DOMAIN.md §4)."""
        with pytest.raises(NumberingError):
            SeriesRule(scheme=FA, kinds=())
        with pytest.raises(NumberingError):
            SeriesRule(scheme=FA, kinds={"receipt"})

    def test_scheme_required(self) -> None:
        """A rule holds a NumberingScheme (DOMAIN.md §4)."""
        with pytest.raises(NumberingError):
            SeriesRule(scheme="FA-{yyyy}-{seq}", kinds={"invoice"})  # type: ignore[arg-type]


class TestNumberingPlan:
    SIREN = "732829320"
    OTHER = "552100554"

    def plan(self) -> NumberingPlan:
        site = NumberingScheme(pattern="FB-{yyyy}-{seq:04}")
        return NumberingPlan(
            rules=(
                SeriesRule(scheme=FA, kinds={DocumentKind.INVOICE, DocumentKind.DEPOSIT}),
                SeriesRule(scheme=AV, kinds={DocumentKind.CREDIT_NOTE, DocumentKind.CORRECTIVE}),
                SeriesRule(scheme=site, kinds={DocumentKind.INVOICE}, entity=self.SIREN),
            )
        )

    def test_per_kind(self) -> None:
        """Credit notes may use their own series, AV-2025-0001 (DOMAIN.md §4)."""
        plan = self.plan()
        assert (FA, AV) == (
            plan.scheme_for(DocumentKind.DEPOSIT),
            plan.scheme_for(DocumentKind.CREDIT_NOTE),
        )

    def test_entity_beats_wildcard(self) -> None:
        """A rule naming the entity wins over a rule for any entity (DOMAIN.md §4)."""
        plan = self.plan()
        assert "FB-{yyyy}-{seq:04}" == plan.scheme_for(DocumentKind.INVOICE, self.SIREN).pattern
        assert FA == plan.scheme_for(DocumentKind.INVOICE, self.OTHER)
        assert AV == plan.scheme_for(DocumentKind.CREDIT_NOTE, self.SIREN)

    def test_proforma_refused(self) -> None:
        """A proforma never gets a number (DOMAIN.md §1.2, §4)."""
        with pytest.raises(NumberingError) as info:
            self.plan().scheme_for(DocumentKind.PROFORMA)
        assert DocumentKind.PROFORMA == info.value.value

    def test_no_rule(self) -> None:
        """A kind no rule covers is refused with a hint (DOMAIN.md §4)."""
        plan = NumberingPlan(
            rules=(SeriesRule(scheme=FA, kinds={DocumentKind.INVOICE}, entity=self.SIREN),)
        )
        with pytest.raises(NumberingError) as info:
            plan.scheme_for(DocumentKind.INVOICE, self.OTHER)
        assert "kind" == info.value.field
        with pytest.raises(NumberingError):
            plan.scheme_for(DocumentKind.CREDIT_NOTE, self.SIREN)

    def test_shared_series(self) -> None:
        """Credit notes may share the invoice series (DOMAIN.md §4)."""
        plan = NumberingPlan(
            rules=(
                SeriesRule(scheme=FA, kinds={DocumentKind.INVOICE}),
                SeriesRule(scheme=FA, kinds={DocumentKind.CREDIT_NOTE}),
            )
        )
        assert FA == plan.scheme_for(DocumentKind.CREDIT_NOTE)

    def test_ambiguous_refused(self) -> None:
        """Two rules for the same kind and entity are ambiguous (DOMAIN.md §4)."""
        with pytest.raises(NumberingError):
            NumberingPlan(
                rules=(
                    SeriesRule(scheme=FA, kinds={DocumentKind.INVOICE}),
                    SeriesRule(scheme=FA, kinds={DocumentKind.INVOICE, DocumentKind.DEPOSIT}),
                )
            )

    def test_same_pattern_other_key_refused(self) -> None:
        """Two series that can make the same number need distinct prefixes (DOMAIN.md §4)."""
        deposits = NumberingScheme(pattern="FA-{yyyy}-{seq:04}", series="deposits")
        with pytest.raises(NumberingError) as info:
            NumberingPlan(
                rules=(
                    SeriesRule(scheme=FA, kinds={DocumentKind.INVOICE}),
                    SeriesRule(scheme=deposits, kinds={DocumentKind.DEPOSIT}),
                )
            )
        assert "prefix" in (info.value.hint or "")

    def test_overlapping_pattern_refused(self) -> None:
        """A literal year can collide with a year token (DOMAIN.md §4)."""
        fixed = NumberingScheme(pattern="FA-2025-{seq:04}", reset="never")
        with pytest.raises(NumberingError):
            NumberingPlan(
                rules=(
                    SeriesRule(scheme=FA, kinds={DocumentKind.INVOICE}),
                    SeriesRule(scheme=fixed, kinds={DocumentKind.DEPOSIT}),
                )
            )

    def test_same_pattern_other_entities_accepted(self) -> None:
        """Two sellers may number with the same pattern in their own series (DOMAIN.md §4)."""
        other = NumberingScheme(pattern="FA-{yyyy}-{seq:04}", series=self.OTHER)
        plan = NumberingPlan(
            rules=(
                SeriesRule(scheme=FA, kinds={DocumentKind.INVOICE}, entity=self.SIREN),
                SeriesRule(scheme=other, kinds={DocumentKind.INVOICE}, entity=self.OTHER),
            )
        )
        assert self.OTHER == plan.scheme_for(DocumentKind.INVOICE, self.OTHER).key

    def test_key_reused_refused(self) -> None:
        """A series key names one scheme only (DOMAIN.md §4)."""
        first = NumberingScheme(pattern="FA-{yyyy}-{seq:04}", series="main")
        second = NumberingScheme(pattern="AV-{yyyy}-{seq:04}", series="main")
        with pytest.raises(NumberingError):
            NumberingPlan(
                rules=(
                    SeriesRule(scheme=first, kinds={DocumentKind.INVOICE}),
                    SeriesRule(scheme=second, kinds={DocumentKind.CREDIT_NOTE}),
                )
            )

    def test_empty_refused(self) -> None:
        """A plan needs at least one rule (DOMAIN.md §4)."""
        with pytest.raises(NumberingError):
            NumberingPlan(rules=())
        with pytest.raises(NumberingError):
            NumberingPlan(rules=(FA,))  # type: ignore[arg-type]


class TestAuditNumbers:
    def test_clean(self) -> None:
        """A continuous chronological series has no problem (DOMAIN.md §4)."""
        entries = [
            ("FA-2025-0001", date(2025, 1, 2)),
            ("FA-2025-0002", date(2025, 1, 2)),
            ("FA-2025-0003", date(2025, 12, 31)),
            ("FA-2026-0001", date(2026, 1, 1)),
        ]
        assert () == audit_numbers(entries, FA)

    def test_empty(self) -> None:
        """No numbers, no problem (DOMAIN.md §4)."""
        assert () == audit_numbers([], FA)

    def test_duplicate(self) -> None:
        """The same number twice is a duplicate (DOMAIN.md §4)."""
        entries = [("FA-2025-0001", date(2025, 1, 2)), ("FA-2025-0001", date(2025, 1, 2))]
        assert [("duplicate", "FA-2025-0001")] == codes(audit_numbers(entries, FA))

    def test_single_gap(self) -> None:
        """A missing counter is a gap naming the missing number (DOMAIN.md §4)."""
        entries = [("FA-2025-0001", date(2025, 1, 2)), ("FA-2025-0003", date(2025, 1, 3))]
        problems = audit_numbers(entries, FA)
        assert [("gap", "FA-2025-0002")] == codes(problems)
        assert problems[0].message.startswith("FA-2025-0002 is missing")

    def test_long_gap_compressed(self) -> None:
        """A long run of missing numbers is shown compressed (DOMAIN.md §4)."""
        entries = [("FA-2025-0002", date(2025, 1, 2)), ("FA-2025-0008", date(2025, 1, 3))]
        problems = audit_numbers(entries, FA)
        assert [("gap", "FA-2025-0001"), ("gap", "FA-2025-0003")] == codes(problems)
        assert problems[1].message.startswith("FA-2025-0003 … FA-2025-0007 (5 numbers) are missing")

    def test_gap_per_period(self) -> None:
        """Gaps are counted from 1 in each reset period (DOMAIN.md §4)."""
        entries = [("FA-2025-0001", date(2025, 1, 2)), ("FA-2026-0002", date(2026, 1, 3))]
        assert [("gap", "FA-2026-0001")] == codes(audit_numbers(entries, FA))

    def test_gap_monthly(self) -> None:
        """A monthly series restarts at 1 each month, so gaps are per month (DOMAIN.md §4)."""
        entries = [
            ("F202503-001", date(2025, 3, 2)),
            ("F202504-001", date(2025, 4, 1)),
            ("F202504-003", date(2025, 4, 2)),
        ]
        assert [("gap", "F202504-002")] == codes(audit_numbers(entries, MONTHLY))

    def test_gap_uses_number_before(self) -> None:
        """Date tokens the period leaves open come from the number before a gap (DOMAIN.md §4)."""
        scheme = NumberingScheme(pattern="F{yyyy}-{seq:03}", reset="never")
        entries = [("F2025-001", date(2025, 12, 30)), ("F2026-003", date(2026, 1, 2))]
        assert [("gap", "F2025-002")] == codes(audit_numbers(entries, scheme))

    def test_out_of_order(self) -> None:
        """A later number never bears an earlier date (DOMAIN.md §4)."""
        entries = [
            ("FA-2025-0001", date(2025, 1, 2)),
            ("FA-2025-0002", date(2025, 1, 9)),
            ("FA-2025-0003", date(2025, 1, 5)),
        ]
        problems = audit_numbers(entries, FA)
        assert [("out_of_order", "FA-2025-0003")] == codes(problems)
        assert "FA-2025-0002" in problems[0].message

    def test_out_of_order_input_order_irrelevant(self) -> None:
        """Entries may come in any order; counters decide (DOMAIN.md §4)."""
        entries = [
            ("FA-2025-0003", date(2025, 1, 5)),
            ("FA-2025-0002", date(2025, 1, 4)),
            ("FA-2025-0001", date(2025, 1, 2)),
        ]
        assert () == audit_numbers(entries, FA)

    def test_foreign(self) -> None:
        """A number that does not match the pattern is foreign (DOMAIN.md §4, BR-FR-02)."""
        entries = [
            ("FA-2025-0001", date(2025, 1, 2)),
            ("FA 2025 0002", date(2025, 1, 3)),
            ("FA-2025-" + "1" * 30, date(2025, 1, 3)),
        ]
        assert [("foreign", "FA 2025 0002"), ("foreign", "FA-2025-" + "1" * 30)] == codes(
            audit_numbers(entries, FA)
        )

    def test_period_mismatch(self) -> None:
        """The year in the number must be the year of its date (DOMAIN.md §4)."""
        entries = [("FA-2025-0001", date(2026, 1, 2))]
        problems = audit_numbers(entries, FA)
        assert [("period_mismatch", "FA-2025-0001")] == codes(problems)
        assert "2025" in problems[0].message

    def test_period_mismatch_month(self) -> None:
        """The month in the number must be the month of its date (DOMAIN.md §4)."""
        entries = [("F202503-001", date(2025, 4, 1))]
        assert [("period_mismatch", "F202503-001")] == codes(audit_numbers(entries, MONTHLY))

    def test_period_mismatch_yy(self) -> None:
        """A two-digit year is checked against the date's year (DOMAIN.md §4)."""
        scheme = NumberingScheme(pattern="AV{yy}-{seq}")
        entries = [("AV25-1", date(2025, 3, 1)), ("AV25-2", date(2026, 1, 1))]
        assert [("period_mismatch", "AV25-2")] == codes(audit_numbers(entries, scheme))

    def test_bad_data_never_raises(self) -> None:
        """Malformed entries are reported, not raised (DOMAIN.md §4)."""
        entries = [
            ("FA-2025-0001", date(2025, 1, 2)),
            (42, date(2025, 1, 2)),
            ("FA-2025-0002", "2025-01-03"),
            ("FA-2025-0003",),
            ("FA-2025-0002", datetime(2025, 1, 3, 9, 30)),
        ]
        assert ["foreign", "foreign", "foreign"] == [
            problem.code
            for problem in audit_numbers(entries, FA)  # type: ignore[arg-type]
        ]

    def test_sorted_by_period_and_counter(self) -> None:
        """Problems are sorted by period, then counter, foreign last (DOMAIN.md §4)."""
        entries = [
            ("XX", date(2025, 1, 1)),
            ("FA-2026-0002", date(2026, 2, 1)),
            ("FA-2025-0003", date(2025, 1, 1)),
            ("FA-2025-0003", date(2025, 1, 1)),
            ("FA-2025-0001", date(2025, 1, 5)),
        ]
        assert [
            ("gap", "FA-2025-0002"),
            ("duplicate", "FA-2025-0003"),
            ("out_of_order", "FA-2025-0003"),
            ("gap", "FA-2026-0001"),
            ("foreign", "XX"),
        ] == codes(audit_numbers(entries, FA))
