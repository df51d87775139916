"""Faults: bad files are moved aside, never overwritten; SIGKILL loses no committed row."""

from __future__ import annotations

import logging
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from movebreak.core.outcome import Outcome
from movebreak.history import HistoryError, HistoryStore
from movebreak.history.files import move_aside
from movebreak.history.schema import APPLICATION_ID

T0 = datetime(2025, 3, 14, 8, 0, tzinfo=UTC)
MOVED_AT = datetime(2025, 3, 14, 12, 30, 5, tzinfo=UTC)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "history.sqlite3"


def aside(path: Path) -> list[Path]:
    return sorted(p for p in path.parent.iterdir() if p.name.startswith(f"{path.name}."))


def assert_fresh_and_working(store: HistoryStore) -> None:
    assert store.events() == []
    store.record_prompt("reset", T0, 2)
    assert len(store.events()) == 1


def test_garbage_is_moved_aside_with_a_clear_message(path: Path, caplog) -> None:
    garbage = b"this is my shopping list, not a database\n" * 50
    path.write_bytes(garbage)
    with caplog.at_level(logging.WARNING), HistoryStore.open(path, now=MOVED_AT) as store:
        assert_fresh_and_working(store)
        (moved,) = store.moved_aside
    assert moved.name == "history.sqlite3.corrupt-20250314T123005Z"
    assert moved.read_bytes() == garbage  # kept, byte for byte
    assert aside(path) == [moved]
    (message,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "not an SQLite database" in message and moved.name in message
    assert "nothing was deleted" in message


def test_a_damaged_history_is_moved_aside(path: Path) -> None:
    with HistoryStore.open(path) as store:
        for i in range(300):
            pid = store.record_prompt("reset", T0, 2)
            store.record(pid, Outcome.COMPLETED, T0, steps_done=i % 3)
    size = path.stat().st_size
    assert size > 8 * 4096  # the rows reached the main file (checkpoint on close)
    with path.open("r+b") as handle:  # keep the header, wreck the pages after it
        handle.seek(4096)
        handle.write(random.Random(1).randbytes(size - 4096))
    with HistoryStore.open(path) as store:
        assert_fresh_and_working(store)
        (moved,) = store.moved_aside
    assert ".corrupt-" in moved.name and moved.stat().st_size == size


def test_a_foreign_sqlite_file_is_moved_aside_untouched(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('buy milk')")
    conn.commit()
    conn.close()
    with HistoryStore.open(path) as store:
        assert_fresh_and_working(store)
        (moved,) = store.moved_aside
    assert ".foreign-" in moved.name
    conn = sqlite3.connect(moved)
    assert conn.execute("SELECT body FROM notes").fetchall() == [("buy milk",)]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    conn.close()


def test_another_programs_application_id_marks_it_foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.close()
    with HistoryStore.open(path) as store:
        (moved,) = store.moved_aside
    assert ".foreign-" in moved.name


def test_a_history_from_a_newer_movebreak_is_kept_aside(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with HistoryStore.open(path) as store:
        assert_fresh_and_working(store)
        (moved,) = store.moved_aside
    assert ".newer-" in moved.name


def test_companion_files_move_with_the_bad_file(path: Path) -> None:
    path.write_bytes(b"garbage" * 100)
    wal = Path(f"{path}-wal")
    wal.write_bytes(b"stale wal frames")
    with HistoryStore.open(path, now=MOVED_AT) as store:
        (moved,) = store.moved_aside
        assert_fresh_and_working(store)
    assert Path(f"{moved}-wal").read_bytes() == b"stale wal frames"


def test_moving_aside_never_overwrites_an_earlier_copy(path: Path) -> None:
    first = path.with_name("first")
    path.write_bytes(b"one")
    first = move_aside(path, "corrupt", MOVED_AT)
    path.write_bytes(b"two")
    second = move_aside(path, "corrupt", MOVED_AT)
    assert first != second
    assert (first.read_bytes(), second.read_bytes()) == (b"one", b"two")


def test_a_history_that_cannot_be_moved_aside_is_an_error(tmp_path: Path) -> None:
    # A name so long that the moved-aside name exceeds NAME_MAX: the rename fails even
    # for root, who could write into any read-only folder.
    path = tmp_path / ("h" * 232 + ".sqlite3")  # 240 bytes; its -journal still fits
    path.write_bytes(b"garbage" * 100)
    with pytest.raises(HistoryError, match="could not be moved aside"):
        HistoryStore.open(path)
    assert path.read_bytes() == b"garbage" * 100


# --- SIGKILL in the middle of writes -------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timedelta, timezone
    from pathlib import Path
    from movebreak.history import Outcome, HistoryStore

    store = HistoryStore.open(Path(sys.argv[1]))
    if store.moved_aside:
        print("MOVED", flush=True)
    at = datetime(2025, 3, 14, 8, 0, tzinfo=timezone.utc)
    print("ready", flush=True)
    while True:
        pid = store.record_prompt("reset", at, 2)
        print("p", pid, flush=True)
        eid = store.record(pid, Outcome.COMPLETED, at, steps_done=2, active_seconds=99.5)
        print("e", eid, flush=True)
        at += timedelta(seconds=1)
    """
)


def test_sigkill_during_writes_loses_no_committed_row(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    rng = random.Random(8)
    committed_prompts: set[int] = set()
    committed_events: set[int] = set()
    started = time.monotonic()
    for iteration in range(6):
        log = tmp_path / f"writer-{iteration}.log"
        with log.open("w") as out:
            child = subprocess.Popen([sys.executable, str(script), str(path)], stdout=out)
            deadline = time.monotonic() + 10
            while "ready" not in log.read_text():
                assert child.poll() is None, "the writer died before it was ready"
                assert time.monotonic() < deadline, "the writer never became ready"
                time.sleep(0.01)
            time.sleep(rng.uniform(0.02, 0.25))
            child.send_signal(signal.SIGKILL)
            child.wait()
        assert child.returncode == -signal.SIGKILL
        lines = log.read_text().splitlines()
        assert "MOVED" not in lines, "a killed writer left a file we thought bad"
        for line in lines:
            tag, _, number = line.partition(" ")
            if tag == "p" and number.isdigit():
                committed_prompts.add(int(number))
            elif tag == "e" and number.isdigit():
                committed_events.add(int(number))
    assert len(committed_events) > 50  # the kills really came mid-stream

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    prompts = {r[0] for r in conn.execute("SELECT id FROM prompts")}
    events = {r[0] for r in conn.execute("SELECT id FROM events")}
    conn.close()
    assert committed_prompts <= prompts
    assert committed_events <= events
    with HistoryStore.open(path) as store:
        assert store.moved_aside == ()
        rows = store.events()
    # every prompt has its PROMPTED row, whatever moment the kill came at
    prompted = {e.prompt_id for e in rows if e.kind is Outcome.PROMPTED}
    assert prompted == prompts
    assert time.monotonic() - started < 10


def test_sigkill_while_creating_the_history_leaves_a_file_that_opens(tmp_path: Path) -> None:
    """Kills that land in start-up, in the migrations or in the first writes."""
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    rng = random.Random(5)
    for iteration in range(8):
        path = tmp_path / f"history-{iteration}.sqlite3"
        child = subprocess.Popen(
            [sys.executable, str(script), str(path)], stdout=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.03, 0.2))
        child.send_signal(signal.SIGKILL)
        child.wait()
        with HistoryStore.open(path) as store:
            assert store.moved_aside == ()
            assert_fresh_or_consistent(store)
        assert aside(path) == []


def assert_fresh_or_consistent(store: HistoryStore) -> None:
    rows = store.events()
    prompted = {e.prompt_id for e in rows if e.kind is Outcome.PROMPTED}
    assert {e.prompt_id for e in rows} == prompted  # no event without its prompt
    pid = store.record_prompt("reset", T0, 2)
    assert store.events()[-1].prompt_id == pid
