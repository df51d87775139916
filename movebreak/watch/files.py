"""Hear when a file in one folder changes: inotify on Linux, watchdog elsewhere.

Editors save in many ways (write in place, write a temp file and rename over, delete
and create), so the whole folder is watched and every event naming the file counts.
On Linux one inotify descriptor and one thread asleep on it do the job; watchdog's
observer would cost two threads and about 1 MB for the same events there, so it is
imported only where inotify is missing (macOS, Windows).
"""

from __future__ import annotations

import ctypes
import logging
import os
import struct
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from movebreak.watch.reader import DescriptorThread

log = logging.getLogger(__name__)

# <sys/inotify.h>
_IN_MODIFY = 0x002
_IN_CLOSE_WRITE = 0x008
_IN_MOVED_FROM = 0x040
_IN_MOVED_TO = 0x080
_IN_CREATE = 0x100
_IN_DELETE = 0x200
_IN_NONBLOCK = 0o4000
_IN_CLOEXEC = 0o2000000
_MASK = _IN_MODIFY | _IN_CLOSE_WRITE | _IN_MOVED_FROM | _IN_MOVED_TO | _IN_CREATE | _IN_DELETE
_HEADER = struct.Struct("iIII")  # wd, mask, cookie, len (then len bytes of name)


class FolderWatch(Protocol):
    """Calls back with the name of each file of the folder that was touched."""

    def start(self) -> None: ...
    def stop(self) -> None: ...


def event_names(buffer: bytes) -> list[str]:
    """The file names in a buffer of ``struct inotify_event`` records."""
    names, offset = [], 0
    while offset + _HEADER.size <= len(buffer):
        _wd, _mask, _cookie, length = _HEADER.unpack_from(buffer, offset)
        offset += _HEADER.size
        raw = buffer[offset:offset + length].split(b"\0", 1)[0]
        offset += length
        if raw:
            names.append(os.fsdecode(raw))
    return names


class InotifyFolderWatch:
    """``FolderWatch`` on Linux's inotify."""

    def __init__(self, folder: Path, on_name: Callable[[str], None]) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        fd = libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC)
        if fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        if libc.inotify_add_watch(fd, os.fsencode(folder), _MASK) < 0:
            error = ctypes.get_errno()
            os.close(fd)
            raise OSError(error, f"cannot watch {folder}: {os.strerror(error)}")
        self._on_name = on_name
        self._reader = DescriptorThread(fd, "config-watch", self._readable)

    def start(self) -> None:
        self._reader.start()

    def _readable(self) -> None:
        try:
            buffer = os.read(self._reader.fd, 64 * 1024)
        except BlockingIOError:
            return
        for name in event_names(buffer):
            self._on_name(name)

    def stop(self) -> None:
        self._reader.stop()


class WatchdogFolderWatch:
    """``FolderWatch`` on watchdog: the native API of macOS and Windows."""

    def __init__(self, folder: Path, on_name: Callable[[str], None]) -> None:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                for path in (event.src_path, getattr(event, "dest_path", "")):
                    if path:
                        on_name(Path(os.fsdecode(path)).name)

        self._observer: Any = Observer()
        self._observer.daemon = True
        self._observer.schedule(Handler(), str(folder), recursive=False)

    def start(self) -> None:
        self._observer.start()

    def stop(self) -> None:
        self._observer.stop()
        self._observer.join(timeout=2)


def watch_folder(folder: Path, on_name: Callable[[str], None]) -> FolderWatch:
    """The best watch for this platform (inotify on Linux, else watchdog)."""
    if sys.platform.startswith("linux"):
        try:
            return InotifyFolderWatch(folder, on_name)
        except (OSError, AttributeError) as error:
            log.warning("inotify unavailable (%s); using watchdog", error)
    return WatchdogFolderWatch(folder, on_name)
