"""Fixtures for the control channel: a short private folder, a recording app, a live server.

The target is our own interface, so a double that records calls stands in for the
app; the sockets, permissions, peer credentials and processes are all real.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from movebreak.control.server import ControlServer, Limits
from movebreak.control.target import UnknownRoutine
from movebreak.core.commands import (
    Command,
    Done,
    Pause,
    Quit,
    Reply,
    Resume,
    Skip,
    Snooze,
    Start,
    Status,
)

ROUTINES = ["reset", "morning", "eyes"]
# Short deadlines so the slow-client tests take a fraction of a second.
FAST = Limits(
    read_deadline=0.3, write_timeout=0.3, max_connections=8, admission_wait=0.01, probe_timeout=0.3
)


def need(condition: bool, why: str) -> None:
    """Skip on a developer machine; fail under CI, where every test must really run."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"cannot run under CI=true: {why}", pytrace=False)
    pytest.skip(why)


class RecordingApp:
    """A ControlTarget that records each command as a call and keeps a tiny state for ``status``."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.paused_for: timedelta | None = None
        self.paused = False
        self.running: str | None = None
        self.quitting = threading.Event()

    def handle(self, command: Command) -> Reply:
        """The app's one entry point, recorded as the call it stands for."""
        match command:
            case Status():
                return Reply(self.status())
            case Start(routine):
                self.start_routine(routine or "")
            case Snooze(length):
                self.snooze(length)
            case Skip():
                self.skip()
            case Done():
                self.done()
            case Pause(length):
                self.pause(length)
            case Resume():
                self.resume()
            case Quit():
                self.quit()
        return Reply()

    def status(self) -> dict[str, Any]:
        self.calls.append(("status", None))
        return {
            "state": "paused" if self.paused else ("running" if self.running else "waiting"),
            "headline": "Paused" if self.paused else "Next: 2-minute reset at 10:50",
            "next": {"at": "2026-11-30T10:50:00+01:00", "routine": "reset", "title": "Reset"},
            "running": (
                {"routine": self.running, "title": self.running.title(), "progress": 0.25}
                if self.running
                else None
            ),
            "paused": self.paused,
            "paused_until": None,
            "routines": ROUTINES,
        }

    def start_routine(self, routine_id: str) -> None:
        if routine_id not in ROUTINES:
            raise UnknownRoutine(routine_id, ROUTINES)
        self.calls.append(("start_routine", routine_id))
        self.running = routine_id

    def snooze(self, length: timedelta | None) -> None:
        self.calls.append(("snooze", length))

    def skip(self) -> None:
        self.calls.append(("skip", None))

    def done(self) -> None:
        self.calls.append(("done", None))
        self.running = None

    def pause(self, length: timedelta | None) -> None:
        self.calls.append(("pause", length))
        self.paused = True

    def resume(self) -> None:
        self.calls.append(("resume", None))
        self.paused = False

    def quit(self) -> None:
        self.calls.append(("quit", None))
        self.quitting.set()

    def wait_for(self, call: tuple[str, Any]) -> bool:
        """Quit is called after the reply went out: wait (briefly) until it was."""
        if call == ("quit", None):
            self.quitting.wait(1.0)
        return call in self.calls

    def actions(self) -> list[tuple[str, Any]]:
        """The calls that change something (``status`` reads are left out)."""
        return [call for call in self.calls if call[0] != "status"]


@pytest.fixture
def short_dir() -> Iterator[Path]:
    """A folder under /tmp: pytest's tmp_path can outgrow a socket path's 107 bytes."""
    base = Path(tempfile.mkdtemp(prefix="mbc-", dir="/tmp"))
    try:
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def folder(short_dir: Path) -> Path:
    return short_dir / "movebreak"


@pytest.fixture
def app() -> RecordingApp:
    return RecordingApp()


@pytest.fixture
def server(folder: Path, app: RecordingApp) -> Iterator[ControlServer]:
    running = ControlServer(folder, FAST).start(app)
    try:
        yield running
    finally:
        running.stop()
