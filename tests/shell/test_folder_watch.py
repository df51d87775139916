"""The folder watches on the real kernel: every way an editor saves names the file."""

from __future__ import annotations

import os
import struct
import sys
import threading

import pytest

from movebreak.watch.files import (
    InotifyFolderWatch,
    WatchdogFolderWatch,
    event_names,
    watch_folder,
)

WATCHES = [WatchdogFolderWatch]
if sys.platform.startswith("linux"):
    WATCHES.insert(0, InotifyFolderWatch)


class Seen:
    """The names a watch reported, with a way to wait for one."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self._changed = threading.Condition()

    def __call__(self, name: str) -> None:
        with self._changed:
            self.names.append(name)
            self._changed.notify_all()

    def wait_for(self, name: str, timeout: float = 2.0) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: name in self.names, timeout)

    def clear(self) -> None:
        with self._changed:
            self.names.clear()


def _save_by_rename(path, text: str) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(text)
    os.replace(temp, path)


@pytest.mark.parametrize("watch_type", WATCHES)
def test_each_way_of_saving_is_seen(tmp_path, watch_type):
    path = tmp_path / "config.toml"
    seen = Seen()
    watch = watch_type(tmp_path, seen)
    watch.start()
    try:
        saves = [
            lambda: path.write_text("a = 1\n"),  # created
            lambda: path.write_text("a = 2\n"),  # written in place
            lambda: _save_by_rename(path, "a = 3\n"),  # vim, most IDEs
            lambda: (path.unlink(), path.write_text("a = 4\n")),  # delete and create
        ]
        for save in saves:
            seen.clear()
            save()
            assert seen.wait_for("config.toml"), seen.names
    finally:
        watch.stop()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_linux_gets_inotify_and_stop_ends_its_thread(tmp_path):
    watch = watch_folder(tmp_path, lambda _name: None)
    assert isinstance(watch, InotifyFolderWatch)
    watch.start()
    watch.stop()
    assert not any(t.name == "config-watch" for t in threading.enumerate())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_a_missing_folder_is_an_os_error_naming_it(tmp_path):
    with pytest.raises(OSError, match="missing"):
        InotifyFolderWatch(tmp_path / "missing", lambda _name: None)


def test_event_records_are_split_into_names():
    def record(name: bytes, padded: int) -> bytes:
        return struct.pack("iIII", 1, 0x100, 0, padded) + name.ljust(padded, b"\0")

    buffer = record(b"config.toml", 16) + record(b"", 0) + record("é.toml".encode(), 16)
    assert event_names(buffer) == ["config.toml", "é.toml"]
    assert event_names(buffer[:10]) == []  # a torn record is not read past
