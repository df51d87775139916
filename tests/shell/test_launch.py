"""The launcher: an app that cannot be assembled quits with 1 instead of hanging."""

from __future__ import annotations

import shutil
import signal
import tempfile
from pathlib import Path

import pytest

import movebreak.app.run
from movebreak.app.launch import Launcher
from movebreak.control.server import ControlServer
from movebreak.storage.paths import AppPaths


class BrokenApp:
    """Stands in for ``App`` failing half-way through its assembly."""

    def __init__(self, *_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the history folder vanished")


@pytest.fixture
def control_folder():
    """Under /tmp: pytest's tmp_path can outgrow a socket path's 107 bytes."""
    base = Path(tempfile.mkdtemp(prefix="mbl-", dir="/tmp"))
    yield base / "movebreak"
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def signals_restored():
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_a_failed_assembly_is_logged_and_exits_1_releasing_the_lock(
    tmp_path: Path, control_folder: Path, monkeypatch, capsys, caplog, signals_restored
):
    monkeypatch.setattr(movebreak.app.run, "App", BrokenApp)
    folder = control_folder
    paths = AppPaths(tmp_path / "config", tmp_path / "data", tmp_path / "cache",
                     tmp_path / "log")
    server = ControlServer(folder)
    server.bind()
    try:
        assert Launcher(paths, server, want_tray=False).run() == 1
    finally:
        server.stop()
    err = capsys.readouterr().err
    assert "movebreak: could not start" in err and "running without a tray" not in err
    assert "the history folder vanished" in caplog.text
    again = ControlServer(folder)
    again.bind()  # the lock was released: the next start can take it
    again.stop()
