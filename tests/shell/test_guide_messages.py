"""The timer window's line protocol, both directions."""

from __future__ import annotations

import json
from datetime import timedelta

from movebreak.config.loader import default_config
from movebreak.core.commands import Done, Hold
from movebreak.core.session import Session
from movebreak.guide.messages import (
    BUTTONS,
    action_message,
    clock_text,
    decode_action,
    show_message,
)
from tests.conftest import at


def test_show_message_carries_what_the_window_displays():
    routine = default_config().routine("reset")
    session = Session(routine, routine.steps_for(0))
    session.start(at("2026-11-30 10:00"))
    message = show_message(session.view(at("2026-11-30 10:00:05")), "Switch sides")
    assert message["routine"] == "2-minute reset" and message["step"] == "Band pull-aparts"
    assert message["dose"] == "10–15 reps" and message["position"] == "step 1 of 2"
    assert message["remaining"] == 35 and message["reps"] is True and message["cue"]


def test_actions_decode_and_garbage_is_ignored():
    assert decode_action(b'{"action": "done"}\n') == Done()
    assert decode_action(b'{"action": "hold"}') == Hold()
    for command, _label, _keys in BUTTONS:  # what the window sends, the app reads back
        assert decode_action(json.dumps(action_message(command))) == command
    junk_lines = (b"", b"{", b'{"action": "explode"}', b"[]", b'"done"', b'{"action": "quit"}')
    for junk in junk_lines:
        assert decode_action(junk) is None


def test_clock_text_counts_down_and_shows_overtime():
    assert clock_text(65) == "1:05"
    assert clock_text(0.2) == "0:01"  # rounded up: 0:00 only when time is really up
    assert clock_text(0) == "0:00"
    assert clock_text(-75) == "+1:15"
    assert clock_text(timedelta(minutes=5).total_seconds()) == "5:00"
