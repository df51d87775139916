"""Which of the user's processes hold a camera open, read from ``/proc`` (Linux).

Each ``/proc/<pid>/fd/<n>`` is a symbolic link to what the descriptor has open, so a
process with ``/dev/video0`` open has a link pointing there. Only processes of the same
user are looked at: other users' ``fd`` folders are not readable anyway, and their
calls are not ours. The scan runs only when the microphone state changes, never on a
timer; it costs one ``readlink`` per open descriptor.

The matcher is a parameter so that the same scan can be tested against a temporary
file standing in for a camera (creating ``/dev/video*`` needs the v4l2loopback kernel
module).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

PathMatcher = Callable[[str], bool]

_CAMERA_DEVICE = re.compile(r"/dev/video[0-9]+")


def is_camera_device(target: str) -> bool:
    """True when an open-file target is a V4L2 video device (``/dev/videoN``).

    Symbolic names like ``/dev/v4l/by-id/...`` never show up here: the kernel reports
    the resolved device path.
    """
    return _CAMERA_DEVICE.fullmatch(target) is not None


@dataclass(frozen=True)
class DeviceHolder:
    """A process holding a matching file open; ``name`` is its ``comm``, for debug logs."""

    pid: int
    name: str


def holders(
    matches: PathMatcher = is_camera_device,
    *,
    proc: Path = Path("/proc"),
    uid: int | None = None,
) -> tuple[DeviceHolder, ...]:
    """Processes of ``uid`` (default: ours) with an open file whose path ``matches``."""
    owner = os.getuid() if uid is None else uid
    found = []
    for pid_dir in _process_dirs(proc, owner):
        if any(matches(target) for target in _open_targets(pid_dir)):
            found.append(DeviceHolder(int(pid_dir.name), _command_name(pid_dir)))
    return tuple(found)


def _process_dirs(proc: Path, owner: int) -> Iterator[Path]:
    try:
        entries = list(os.scandir(proc))
    except OSError:
        return
    for entry in entries:
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat(follow_symlinks=False).st_uid == owner:
                yield Path(entry.path)
        except OSError:  # the process ended meanwhile
            continue


def _open_targets(pid_dir: Path) -> Iterator[str]:
    fd_dir = pid_dir / "fd"
    try:
        names = os.listdir(fd_dir)
    except OSError:  # ended, or not ours to read (a setuid process)
        return
    for name in names:
        try:
            yield os.readlink(fd_dir / name)
        except OSError:
            continue


def _command_name(pid_dir: Path) -> str:
    try:
        return (pid_dir / "comm").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""
