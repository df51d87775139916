"""The saved state round-trips, and a damaged file never stops the app."""

from __future__ import annotations

from movebreak.config.loader import default_config
from movebreak.core.engine import Engine
from movebreak.core.state import TimetableState
from movebreak.storage.state_store import dumps, load_state, loads, save_state
from tests.conftest import BERLIN, at


def test_round_trip_of_a_busy_state(tmp_path):
    engine = Engine(default_config(), BERLIN)
    state, _ = engine.advance(TimetableState(), at("2026-11-30 09:00"))
    state, _ = engine.start(state, at("2026-11-30 09:01"))
    state, _ = engine.snooze(state, at("2026-11-30 09:02"), engine.config.prompts.snooze)
    state, _ = engine.pause(state, at("2026-11-30 09:03"), at("2026-11-30 10:00"))
    assert loads(dumps(state)) == state
    save_state(tmp_path / "s.json", state)
    assert load_state(tmp_path / "s.json") == state


def test_damaged_or_foreign_file_starts_fresh(tmp_path, caplog):
    path = tmp_path / "state.json"
    for text in ("{not json", '{"version": 99}', '{"version": 1, "state": {"pending": 3}}'):
        path.write_text(text)
        assert load_state(path) == TimetableState()
    assert "unreadable" in caplog.text


def test_save_is_atomic_no_temp_files_left(tmp_path):
    save_state(tmp_path / "state.json", TimetableState())
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]
