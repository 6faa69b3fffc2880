"""Laws of sequential numbering (DOMAIN.md §4, BR-FR-01/02), checked with hypothesis."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import assume, given
from hypothesis import strategies as st

from facturlib.core.numbering import (
    MAX_NUMBER_LENGTH,
    NumberingScheme,
    Reset,
    SequenceState,
    audit_numbers,
    next_number,
)
from facturlib.testing.strategies import issue_dates, numbering_schemes

BR_FR_02 = re.compile(r"^[A-Za-z0-9+\-_/]+$")


def period_fixes_date_tokens(scheme: NumberingScheme) -> bool:
    """Whether the reset period alone decides every date token of a number."""
    has_year = "{yyyy}" in scheme.pattern or "{yy}" in scheme.pattern
    has_month = "{mm}" in scheme.pattern
    if scheme.reset is Reset.MONTHLY:
        return True
    if scheme.reset is Reset.YEARLY:
        return not has_month
    return not (has_year or has_month)


def issue_all(scheme: NumberingScheme, dates: tuple[date, ...]) -> list[tuple[str, date]]:
    """Issue one number per date, one after another, threading the state."""
    state = SequenceState()
    issued = []
    for on in dates:
        number, state = next_number(scheme, state, on)
        issued.append((number, on))
    return issued


@given(scheme=numbering_schemes(), dates=issue_dates())
def test_issued_numbers_are_unique_and_audit_clean(
    scheme: NumberingScheme, dates: tuple[date, ...]
) -> None:
    """Numbers issued in date order have no duplicate, no gap and no problem (DOMAIN.md §4)."""
    issued = issue_all(scheme, dates)
    numbers = [number for number, _ in issued]
    assert len(numbers) == len(set(numbers))
    assert () == audit_numbers(issued, scheme)


@given(scheme=numbering_schemes(), dates=issue_dates())
def test_issued_numbers_follow_br_fr(scheme: NumberingScheme, dates: tuple[date, ...]) -> None:
    """Every number has at most 35 characters from A-Z a-z 0-9 + - _ / (BR-FR-01/02)."""
    for number, _ in issue_all(scheme, dates):
        assert len(number) <= MAX_NUMBER_LENGTH
        assert BR_FR_02.match(number)


@given(
    scheme=numbering_schemes(),
    counter=st.integers(min_value=1, max_value=10**9),
    on=st.dates(),
)
def test_parse_format_round_trip(scheme: NumberingScheme, counter: int, on: date) -> None:
    """parse reads back the counter, year and month that format wrote (DOMAIN.md §4)."""
    counter = min(counter, scheme.max_counter)
    parsed = scheme.parse(scheme.format(counter, on))
    assert parsed is not None
    assert counter == parsed.counter
    if "{yyyy}" in scheme.pattern:
        assert on.year == parsed.year
    elif "{yy}" in scheme.pattern:
        assert parsed.year is not None
        assert on.year % 100 == parsed.year % 100
    else:
        assert None is parsed.year
    assert (on.month if "{mm}" in scheme.pattern else None) == parsed.month


@given(scheme=numbering_schemes(), dates=issue_dates(min_size=3, max_step=60), data=st.data())
def test_removing_a_number_makes_one_gap(
    scheme: NumberingScheme, dates: tuple[date, ...], data: st.DataObject
) -> None:
    """Removing one number from the middle of a period is reported as one gap (DOMAIN.md §4)."""
    issued = issue_all(scheme, dates)
    periods = [scheme.period_of(on) for _, on in issued]
    # A number is in the middle if a later number of the same period follows it.
    middle = [i for i in range(len(issued) - 1) if periods[i] == periods[i + 1]]
    assume(middle)
    index = data.draw(st.sampled_from(middle), label="removed")
    removed, _ = issued[index]
    problems = audit_numbers(issued[:index] + issued[index + 1 :], scheme)
    assert ["gap"] == [problem.code for problem in problems]
    reference = problems[0].reference
    assert reference is not None
    found, expected = scheme.parse(reference), scheme.parse(removed)
    assert found is not None
    assert expected is not None
    assert expected.counter == found.counter
    if period_fixes_date_tokens(scheme):
        assert removed == reference


@given(
    scheme=numbering_schemes(),
    entries=st.lists(st.tuples(st.text(max_size=40), st.dates()), max_size=20),
)
def test_audit_never_raises(scheme: NumberingScheme, entries: list[tuple[str, date]]) -> None:
    """Audits report bad data as problems, in an order independent of the input (DOMAIN.md §4)."""
    problems = audit_numbers(entries, scheme)
    assert problems == audit_numbers(reversed(entries), scheme)
    foreign = sum(1 for number, _ in entries if scheme.parse(number) is None)
    assert foreign == sum(1 for problem in problems if problem.code == "foreign")
