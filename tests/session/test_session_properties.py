"""Any sequence of button presses and ticks keeps the session's promises."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from session_helpers import T0, reps, reset_routine, routine, timed

from movebreak.core.session import Session
from movebreak.core.session_events import SessionEnded, SessionState

OPERATIONS = ("tick", "pause", "resume", "toggle_pause", "next", "done", "skip", "snooze")

ROUTINES = (
    reset_routine(),
    routine(timed("a", 5), reps("b", 5, 8, 7, each_side=True), timed("c", 3, each_side=True)),
)


@settings(max_examples=300, deadline=None)
@given(
    which=st.sampled_from(ROUTINES),
    script=st.lists(
        st.tuples(st.sampled_from(OPERATIONS), st.floats(min_value=0, max_value=90)),
        max_size=30,
    ),
)
def test_invariants_hold_for_any_script(which, script) -> None:
    session = Session(which)
    now = T0
    events = session.start(now)
    previous_total = session.view(now).total_remaining_seconds
    previous_fraction = 0.0
    for name, gap in script:
        now += timedelta(seconds=gap)
        events += getattr(session, name)(now)
        if session.state is not SessionState.ENDED:
            events += session.tick(now)
        view = session.view(now)
        assert view.remaining_seconds >= 0
        assert 0.0 <= view.fraction_done <= 1.0
        assert view.total_remaining_seconds <= previous_total
        assert view.fraction_done >= previous_fraction
        previous_total, previous_fraction = view.total_remaining_seconds, view.fraction_done
        due = session.next_deadline(now)
        assert due is None or due > now  # every due deadline was applied
        if session.state is SessionState.PAUSED:
            assert due is None

    ends = [e for e in events if isinstance(e, SessionEnded)]
    assert len(ends) <= 1
    times = [e.at for e in events]
    assert times == sorted(times)
    if ends:
        result = ends[0].result
        assert session.state is SessionState.ENDED and session.result == result
        assert 0 <= result.steps_done <= result.steps_total == len(which.steps)
        elapsed = (result.ended_at - result.started_at).total_seconds()
        assert 0 <= result.active_seconds <= elapsed + 1e-6
