"""Private files are the user's alone, whatever the umask, at the paths the app really uses.

A child process with ``umask 0`` (the most permissive a user can have) writes what the
running app writes: the saved state, the history (with its ``-wal`` and ``-shm`` while
open), the calendar cache, the control socket and its lock, the autostart entry, and
``movebreak config init``'s file. Modes must come from the code, not from the umask.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes, signals, rlimits")

WRITER = textwrap.dedent("""
    import os, sys
    from datetime import UTC, datetime
    os.umask(0)
    from movebreak.storage.paths import AppPaths
    paths = AppPaths.for_user()
    now = datetime(2026, 11, 30, 10, tzinfo=UTC)

    from movebreak.core.state import TimetableState
    from movebreak.storage.state_store import save_state
    save_state(paths.state_file, TimetableState(checked_until=now, reset_anchor=now))

    from movebreak.history import HistoryStore
    store = HistoryStore.open(paths.history_db)
    store.record_prompt("reset", now, 2)

    from movebreak.calendar.cache import write_json
    write_json(paths.cache_dir / "calendar" / "feed.json", {"etag": "secret"})

    from movebreak.control.instance import ensure_single_instance
    server = ensure_single_instance()

    import logging
    from movebreak.logs import setup_logging
    setup_logging(paths.log_file, 0)
    logging.getLogger("movebreak").info("meeting: a title that names people")

    if os.path.isdir(os.path.join(os.path.dirname(__import__("movebreak").__file__),
                                  "autostart")):
        from movebreak.autostart.linux import XdgAutostart
        XdgAutostart.for_env(os.environ).install(("movebreak",))

    print("ready", flush=True)
    sys.stdin.readline()
    store.close()
    server.stop()
""")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    for name in ("config", "data", "cache", "state", "runtime"):
        (tmp_path / name).mkdir(mode=0o700)
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CACHE_HOME=str(tmp_path / "cache"),
               XDG_STATE_HOME=str(tmp_path / "state"),
               XDG_RUNTIME_DIR=str(tmp_path / "runtime"))
    return env


def test_private_files_are_private_and_shared_ones_not_writable_by_others(
    tmp_path: Path, home: dict[str, str]
) -> None:
    child = subprocess.Popen([sys.executable, "-c", WRITER], env=home, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdin is not None
    line = child.stdout.readline()
    try:
        assert line == "ready\n", child.stderr.read() if child.stderr else ""
        data = tmp_path / "data" / "movebreak"
        runtime = tmp_path / "runtime" / "movebreak"
        calendar = tmp_path / "cache" / "movebreak" / "calendar"
        log_dir = next((tmp_path / "state").rglob("*.log")).parent
        private = {
            data: 0o700,
            data / "state.json": 0o600,
            data / "history.sqlite3": 0o600,
            data / "history.sqlite3-wal": 0o600,
            data / "history.sqlite3-shm": 0o600,
            calendar: 0o700,
            calendar / "feed.json": 0o600,
            runtime: 0o700,
            log_dir: 0o700,  # meeting titles
        }
        found = {path: mode(path) for path in private}
        assert found == private
        for path in runtime.iterdir():  # the socket and the instance lock
            assert mode(path) == 0o600, f"{path.name} is {oct(mode(path))}"
        autostart = tmp_path / "config" / "autostart" / "movebreak.desktop"
        if autostart.exists():
            assert mode(autostart) == 0o644
            assert [p.name for p in autostart.parent.iterdir()] == ["movebreak.desktop"]
    finally:
        child.stdin.write("\n")
        child.stdin.close()
        child.wait(timeout=30)
    assert child.returncode == 0, child.stderr.read() if child.stderr else ""
    assert not (data / "history.sqlite3-wal").exists()  # closed cleanly: WAL folded back


def test_config_init_writes_whole_and_not_writable_by_others(
    tmp_path: Path, home: dict[str, str]
) -> None:
    target = tmp_path / "config" / "movebreak" / "config.toml"
    done = subprocess.run(
        [sys.executable, "-c", "import os, sys; os.umask(0); from movebreak.cli.main import "
         "main; sys.exit(main(['config', 'init']))"],
        env=home, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert mode(target) & 0o022 == 0, oct(mode(target))
    assert [p.name for p in target.parent.iterdir()] == ["config.toml"]
    check = subprocess.run([sys.executable, "-m", "movebreak", "config", "check"], env=home,
                           capture_output=True, text=True, timeout=60, check=False)
    assert check.returncode == 0 and check.stdout.strip().endswith("OK"), check
