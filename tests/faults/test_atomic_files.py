"""Files the app writes are replaced whole or not at all, even when the write fails midway.

A full disk is simulated the way the kernel reports one to a single process: a child
with a small ``RLIMIT_FSIZE`` (and SIGXFSZ ignored) gets ``EFBIG`` from ``write`` once
the file passes the limit. A crash is a real SIGKILL at a random moment.
"""

from __future__ import annotations

import errno
import os
import random
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from movebreak.storage.atomic import STALE_AFTER_SECONDS, remove_stale_temps, write_atomic

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes, signals, rlimits")

OLD = b"the last good copy\n"
FULL_DISK_CHILD = textwrap.dedent("""
    import resource, signal, sys
    from pathlib import Path
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # EFBIG instead of death, like ENOSPC
    writer, target, size = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    try:
        if writer == "atomic":
            from movebreak.storage.atomic import write_atomic
            write_atomic(target, b"n" * 1_000_000)
        elif writer == "atomic-private":
            from movebreak.storage.atomic import write_atomic
            write_atomic(target, b"n" * 1_000_000, private=True)
        elif writer == "calendar-cache":
            from movebreak.calendar.cache import write_private
            write_private(target, b"n" * 1_000_000)
        elif writer == "state":
            from datetime import UTC, datetime
            from movebreak.core.state import TimetableState
            from movebreak.storage.state_store import save_state
            now = datetime(2026, 11, 30, 10, tzinfo=UTC)
            save_state(target, TimetableState(checked_until=now, reset_anchor=now))
    except OSError as error:
        print(error.errno)
        sys.exit(3)
""")


def leftovers(folder: Path, name: str) -> list[Path]:
    """Temporary files a writer left beside ``name``."""
    return [p for p in folder.iterdir() if p.name != name]


@pytest.mark.parametrize("writer", ["atomic", "atomic-private", "calendar-cache", "state"])
def test_a_write_that_fails_midway_leaves_the_old_file_whole(tmp_path: Path, writer: str) -> None:
    target = tmp_path / "file"
    target.write_bytes(OLD)
    limit = 64 if writer == "state" else 4096  # a state file is a few hundred bytes
    done = subprocess.run([sys.executable, "-c", FULL_DISK_CHILD, writer, str(target),
                           str(limit)], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 3, f"the write did not fail as the disk did: {done}"
    assert int(done.stdout) == errno.EFBIG
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path, "file") == []


def test_text_that_cannot_be_encoded_changes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "config.toml"
    target.write_bytes(OLD)
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "timezone = '\ud800'\n")
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path, "config.toml") == []


KILL_CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from movebreak.storage.atomic import STALE_AFTER_SECONDS, remove_stale_temps, write_atomic
    target = Path(sys.argv[1])
    payloads = [b"A" * 3_000_000, b"B" * 2_000_000]
    print("writing", flush=True)
    n = 0
    while True:
        write_atomic(target, payloads[n % 2], private=True)
        n += 1
""")


def test_sigkill_at_any_moment_leaves_a_whole_file_and_no_readable_scraps(tmp_path: Path) -> None:
    target = tmp_path / "history-export"
    target.write_bytes(OLD)
    whole = {OLD, b"A" * 3_000_000, b"B" * 2_000_000}
    rng = random.Random(8)
    scraps: set[Path] = set()
    for _ in range(12):
        child = subprocess.Popen([sys.executable, "-c", KILL_CHILD, str(target)],
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdout.readline() == "writing\n"
        time.sleep(rng.uniform(0, 0.08))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        child.stdout.close()
        assert target.read_bytes() in whole, "a reader saw half a file"
        for scrap in leftovers(tmp_path, target.name):
            # A kill between the temp file and the rename leaves it behind: it must at
            # least be as private as the file it was going to become.
            assert scrap.name.startswith(f".{target.name}.") and scrap.suffix == ".tmp"
            assert stat.S_IMODE(scrap.stat().st_mode) == 0o600
            scraps.add(scrap)
    # The next start clears them, once no writer can still be at work on them.
    now = time.time()
    assert remove_stale_temps(tmp_path, now) == []
    for scrap in scraps:
        os.utime(scrap, (now - 2 * STALE_AFTER_SECONDS,) * 2)
    assert sorted(remove_stale_temps(tmp_path, now)) == sorted(scraps)
    assert leftovers(tmp_path, target.name) == [] and target.read_bytes() in whole


def test_only_old_temp_files_named_as_the_writer_names_them_are_removed(tmp_path: Path) -> None:
    now = time.time()
    old = now - 2 * STALE_AFTER_SECONDS

    def made(name: str, age_from: float = old) -> Path:
        path = tmp_path / name
        path.write_bytes(b"x")
        os.utime(path, (age_from, age_from))
        return path

    fd, orphan = tempfile.mkstemp(prefix=".state.json.", suffix=".tmp", dir=tmp_path)
    os.close(fd)
    os.utime(orphan, (old, old))
    fresh = made(".config.toml.abcd1234.tmp", age_from=now - 60)  # a writer at work now
    kept = [
        fresh,
        made("notes.tmp"),  # the user's, not ours
        made(".config.toml.ab.tmp"),  # not mkstemp's eight characters
        made("state.json"),
    ]
    (tmp_path / ".dir.abcd1234.tmp").mkdir()  # a folder is never ours
    assert remove_stale_temps(tmp_path, now) == [Path(orphan)]
    assert all(path.exists() for path in kept) and (tmp_path / ".dir.abcd1234.tmp").is_dir()
    assert remove_stale_temps(tmp_path / "missing", now) == []


def test_a_shared_file_ends_0644_whatever_the_umask(tmp_path: Path) -> None:
    """The autostart entry and ``config init``'s file: readable, never writable by others."""
    target = tmp_path / "movebreak.desktop"
    old = os.umask(0)
    try:
        write_atomic(target, "[Desktop Entry]\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
