"""Where the control socket lives: a folder only this user can enter.

The folder's 0700 mode is the first guard (other users cannot even reach the
socket); the peer-uid check in the server is the second. A folder that exists but
belongs to someone else is refused rather than used, so nobody can plant one in
``/tmp`` and catch our commands.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import platformdirs

from movebreak.control.errors import ControlError
from movebreak.storage.paths import APP

SOCKET_NAME = "control.sock"
LOCK_NAME = "instance.lock"
# sun_path holds 108 bytes on Linux and 104 on macOS, each with a trailing NUL.
MAX_SOCKET_PATH_BYTES = 103 if sys.platform == "darwin" else 107

IsDir = Callable[[str], bool]


def choose_control_dir(
    env: Mapping[str, str], cache_dir: Path, is_dir: IsDir = os.path.isdir
) -> Path:
    """``$XDG_RUNTIME_DIR/movebreak`` when the session provides one, else ``cache_dir/control``.

    The runtime dir is per-login, private, and emptied at logout, which is just
    right for a socket; without it (macOS, a bare ssh login) the user's own cache
    folder is private enough once our subfolder is 0700.
    """
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime) and is_dir(runtime):
        return Path(runtime) / APP
    return cache_dir / "control"


def default_control_dir() -> Path:
    """The control folder for this user and session."""
    cache = Path(platformdirs.user_cache_dir(APP, appauthor=False))
    return choose_control_dir(os.environ, cache)


def socket_path(folder: Path) -> Path:
    return folder / SOCKET_NAME


def lock_path(folder: Path) -> Path:
    return folder / LOCK_NAME


def pid_in_lock(folder: Path) -> int | None:
    """The pid the lock's owner wrote into the lock file, if it reads as one."""
    try:
        text = lock_path(folder).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


def check_socket_path(path: Path) -> None:
    """Raise a clear error for a path too long to bind (instead of the OS's EINVAL)."""
    if len(os.fsencode(path)) > MAX_SOCKET_PATH_BYTES:
        raise ControlError(
            f"the control socket path {path} is longer than {MAX_SOCKET_PATH_BYTES} bytes; "
            "set XDG_RUNTIME_DIR to a shorter folder"
        )


def folder_problem(mode: int, owner: int, own_uid: int) -> str | None:
    """Why a folder with this ``lstat`` mode and owner is unsafe for the socket, or None."""
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    if not stat.S_ISDIR(mode):
        return "is not a folder"
    if owner != own_uid:
        return f"belongs to uid {owner}, not to you (uid {own_uid})"
    return None


def ensure_private_dir(folder: Path) -> Path:
    """Create ``folder`` (mode 0700) or tighten ours to 0700; refuse anyone else's."""
    parent = folder.parent
    parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    info = os.lstat(folder)
    problem = folder_problem(info.st_mode, info.st_uid, os.getuid())
    if problem:
        raise ControlError(f"refusing to use {folder} for the control socket: it {problem}")
    if stat.S_IMODE(info.st_mode) != 0o700:
        os.chmod(folder, 0o700)
    return folder
