"""Laws of the lifecycle statuses: allowed histories fold, and folding is a walk."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from facturlib.core.errors import FacturlibError, LifecycleError
from facturlib.einvoice.statuses import TRANSITIONS, LifecycleStatus, StatusEvent, fold_statuses
from facturlib.testing.strategies import status_histories


class TestFoldLaws:
    @settings(max_examples=50, deadline=None)
    @given(history=status_histories())
    def test_allowed_histories_fold_to_their_last_status(self, history: list) -> None:
        """A history along the allowed transitions folds to its last status."""
        state = fold_statuses(history)
        assert history[-1].status == state.status
        assert tuple(history) == state.history

    @settings(max_examples=50, deadline=None)
    @given(history=status_histories(), extra=st.sampled_from(list(LifecycleStatus)))
    def test_one_more_status(self, history: list, extra: LifecycleStatus) -> None:
        """Adding a status folds iff the table allows it after the last one."""
        last = history[-1]
        try:
            event = StatusEvent(
                invoice_number=last.invoice_number,
                status=extra,
                on=last.on,
                reason_code="AUTRE" if extra.needs_reason else None,
                amounts=last.amounts if extra is LifecycleStatus.ENCAISSEE and last.amounts else (),
            )
        except FacturlibError:
            return  # a 212 needs amounts: not this law's business
        if extra in TRANSITIONS[last.status]:
            assert extra == fold_statuses([*history, event]).status
        else:
            try:
                fold_statuses([*history, event])
            except LifecycleError:
                return
            raise AssertionError(f"{last.status} → {extra} was accepted")
