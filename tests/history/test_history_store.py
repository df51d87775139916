"""The history store on real SQLite files: writes, reads, modes, migrations."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from movebreak.core.durations import DurationRange
from movebreak.core.outcome import Outcome
from movebreak.core.routines import Routine, Step
from movebreak.core.session import Session
from movebreak.history import HistoryStore
from movebreak.history.schema import APPLICATION_ID, LATEST, MIGRATIONS, Migration, migrate

BERLIN = ZoneInfo("Europe/Berlin")
T0 = datetime(2025, 3, 14, 9, 0, tzinfo=BERLIN)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def test_a_new_history_is_wal_private_versioned_and_ours(path: Path) -> None:
    with HistoryStore.open(path, tz=BERLIN) as store:
        store.record_prompt("reset", T0, 2)
        for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert stat.S_IMODE(os.stat(name).st_mode) == 0o600, name
        assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
        conn = raw(path)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        conn.close()
    assert store.moved_aside == ()


def test_an_existing_file_is_made_private(path: Path) -> None:
    HistoryStore.open(path).close()
    os.chmod(path, 0o644)
    HistoryStore.open(path).close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_events_round_trip_with_routine_steps_and_local_day(path: Path) -> None:
    late = datetime(2025, 3, 14, 23, 30, tzinfo=UTC)  # 00:30 on the 15th in Berlin
    with HistoryStore.open(path, tz=BERLIN) as store:
        pid = store.record_prompt("morning", late, 7)
        store.record(pid, Outcome.STARTED, late + timedelta(minutes=1))
        store.record(pid, Outcome.PAUSED, late + timedelta(minutes=3))
        store.record(pid, Outcome.RESUMED, late + timedelta(minutes=4))
        store.record(
            pid,
            Outcome.COMPLETED,
            late + timedelta(minutes=16),
            steps_done=6,
            active_seconds=870.5,
        )
        other = store.record_prompt("reset", T0, 2)
        store.record(other, Outcome.MISSED, T0)
        events = store.events()
    mine = [e for e in events if e.prompt_id == pid]
    assert [e.kind for e in mine] == [
        Outcome.PROMPTED,
        Outcome.STARTED,
        Outcome.PAUSED,
        Outcome.RESUMED,
        Outcome.COMPLETED,
    ]
    assert {(e.routine_id, e.steps_total) for e in mine} == {("morning", 7)}
    assert mine[0].at == late and mine[0].at.tzinfo is not None
    assert mine[0].local_date == date(2025, 3, 15)
    assert (mine[-1].steps_done, mine[-1].active_seconds) == (6, 870.5)
    assert [e.kind for e in events if e.prompt_id == other] == [
        Outcome.PROMPTED,
        Outcome.MISSED,
    ]


def test_events_are_selected_by_the_day_of_their_prompt(path: Path) -> None:
    evening = datetime(2025, 3, 14, 23, 55, tzinfo=BERLIN)
    with HistoryStore.open(path, tz=BERLIN) as store:
        pid = store.record_prompt("reset", evening, 2)
        store.record(pid, Outcome.COMPLETED, evening + timedelta(minutes=10), steps_done=2)
        assert len(store.events(since=date(2025, 3, 14), until=date(2025, 3, 14))) == 2
        assert store.events(since=date(2025, 3, 15)) == []


def test_a_session_result_is_recorded_as_its_outcome(path: Path) -> None:
    hold = Step("Squat hold", "Sit deep.", duration=DurationRange.parse("30s"))
    session = Session(Routine("mini", "Mini", (hold, hold)))
    session.start(T0)
    session.tick(T0 + timedelta(seconds=30))
    end = session.snooze(T0 + timedelta(seconds=40))[-1]
    with HistoryStore.open(path, tz=BERLIN) as store:
        pid = store.record_prompt("mini", T0, 2)
        store.record_result(pid, end.result)
        last = store.events()[-1]
    assert last.kind is Outcome.SNOOZED
    assert (last.steps_done, last.active_seconds) == (1, 40)
    assert last.at == T0 + timedelta(seconds=40)


def test_unknown_prompts_and_naive_times_are_refused_and_nothing_is_written(path: Path) -> None:
    with HistoryStore.open(path) as store:
        with pytest.raises(ValueError):
            store.record(12345, Outcome.STARTED, T0)
        with pytest.raises(ValueError, match="aware"):
            store.record_prompt("reset", datetime(2025, 3, 14, 9, 0), 2)
        assert store.events() == []
        store.record_prompt("reset", T0, 2)  # the store still works
        assert len(store.events()) == 1


def test_writes_from_many_threads_all_land(path: Path) -> None:
    with HistoryStore.open(path) as store:

        def write(n: int) -> None:
            for i in range(25):
                pid = store.record_prompt(f"r{n}", T0 + timedelta(seconds=i), 1)
                store.record(pid, Outcome.SKIPPED, T0 + timedelta(seconds=i))

        threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(store.events()) == 4 * 25 * 2


def test_every_write_is_visible_to_another_connection_at_once(path: Path) -> None:
    with HistoryStore.open(path) as store:
        pid = store.record_prompt("reset", T0, 2)
        reader = raw(path)
        assert reader.execute("SELECT count(*) FROM events").fetchone()[0] == 1
        store.record(pid, Outcome.STARTED, T0)
        assert reader.execute("SELECT count(*) FROM events").fetchone()[0] == 2
        reader.close()


# --- migrations ----------------------------------------------------------------------


def test_an_empty_file_is_version_0_and_migrates_to_the_latest(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.touch()
    with HistoryStore.open(path) as store:
        assert store.moved_aside == ()
        store.record_prompt("reset", T0, 2)
    conn = raw(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST


def test_a_version_1_history_keeps_its_rows_and_gains_the_new_columns(path: Path) -> None:
    path.parent.mkdir(parents=True)
    conn = raw(path)
    assert migrate(conn, target=1) == [1]
    conn.execute(
        "INSERT INTO prompts (routine_id, steps_total, at, local_date) "
        "VALUES ('reset', 2, '2025-03-13T08:00:00.000000+00:00', '2025-03-13')"
    )
    conn.execute(
        "INSERT INTO events (prompt_id, kind, at, local_date, steps_done) "
        "VALUES (1, 'completed', '2025-03-13T08:02:00.000000+00:00', '2025-03-13', 2)"
    )
    conn.close()

    with HistoryStore.open(path, tz=BERLIN) as store:
        (old,) = store.events()
        assert (old.kind, old.steps_done, old.active_seconds) == (Outcome.COMPLETED, 2, None)
        assert old.routine_id == "reset" and old.local_date == date(2025, 3, 13)
        pid = store.record_prompt("reset", T0, 2)
        store.record(pid, Outcome.COMPLETED, T0, steps_done=2, active_seconds=95)
        assert store.events()[-1].active_seconds == 95
    conn = raw(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"prompts_by_day", "events_by_prompt"} <= indexes


def test_a_failing_migration_leaves_the_previous_version_intact(tmp_path: Path) -> None:
    conn = raw(tmp_path / "h.sqlite3")
    broken = (
        MIGRATIONS[0],
        Migration(2, "broken", ("CREATE TABLE half_done (x)", "THIS IS NOT SQL")),
    )
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, migrations=broken)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in names and "events" in names
    assert migrate(conn) == [2]  # the real migration 2 then applies cleanly


def test_migrating_twice_is_a_no_op(path: Path) -> None:
    HistoryStore.open(path).close()
    conn = raw(path)
    assert migrate(conn) == []
