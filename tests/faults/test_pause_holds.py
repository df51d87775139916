"""A pause holds every prompt: found by the simulated month (``bench/simulate_month.py``).

The README promises that Pause holds every prompt. In the simulation a user paused for
an hour at 10:42 and an audio-only call began at 11:30: the call's stand-up prompt came
in the middle of the pause.
"""

from __future__ import annotations

from movebreak.config.loader import default_config
from movebreak.core.agenda import Meeting
from movebreak.core.engine import Engine
from movebreak.core.events import Outcome
from movebreak.core.meetings import MeetingKind
from movebreak.core.state import TimetableState
from tests.conftest import BERLIN, at


def test_an_audio_call_that_starts_during_a_pause_does_not_prompt_until_it_ends() -> None:
    call = Meeting(at("2026-11-30 11:30"), at("2026-11-30 12:00"), MeetingKind.AUDIO, "Supplier")
    engine = Engine(default_config(), BERLIN, (call,))
    state, _ = engine.advance(TimetableState(), at("2026-11-30 10:00"))
    state, _ = engine.pause(state, at("2026-11-30 10:42"), at("2026-11-30 11:42"))
    now = at("2026-11-30 10:42")
    shown = []
    while now < at("2026-11-30 11:42"):
        wake = engine.next_wakeup(state, now)
        if wake is None or wake >= at("2026-11-30 11:42"):
            break
        now = wake
        state, events = engine.advance(state, now)
        shown += [(now, e.routine) for e in events if e.outcome is Outcome.PROMPTED]
    assert shown == [], f"prompted during the pause: {shown}"
