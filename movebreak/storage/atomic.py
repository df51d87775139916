"""Atomic file writes: a temp file in the same folder, fsync, then rename over the target.

A crash between the temp file's creation and the rename (SIGKILL, power loss) leaves
the target as it was and a ``.NAME.XXXXXXXX.tmp`` beside it; ``remove_stale_temps``
clears those at the next start, once they are old enough that no writer can still
be using them.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

# mkstemp's names: our prefix ".NAME.", 8 random characters, our suffix ".tmp".
_TEMP_NAME = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
STALE_AFTER_SECONDS = 3600.0  # a write takes milliseconds; an hour-old temp is orphaned


def write_atomic(
    path: Path, data: str | bytes, *, private: bool = False, create_folder: bool = True
) -> None:
    """Replace ``path`` with ``data`` so readers see the old file or the new, never half.

    ``private`` makes the file (and a folder this creates) readable by the user alone,
    for files that hold tokens or personal history: the temp file is 0600 from its
    creation, so the data is never readable by others, not even for a moment.
    ``create_folder=False`` is for a path the user named (an export): a missing
    folder is then an error, not something to make.
    """
    if create_folder:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o777)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if not private:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def remove_stale_temps(
    folder: Path, now: float, older_than: float = STALE_AFTER_SECONDS
) -> list[Path]:
    """Delete the temp files a crashed ``write_atomic`` left in ``folder``; return them.

    Only files named as ``write_atomic`` names them and last modified more than
    ``older_than`` seconds before ``now`` (seconds since the epoch) go; anything else
    in the folder, and a missing folder, are left alone.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _TEMP_NAME.fullmatch(entry.name):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and (
                now - entry.stat(follow_symlinks=False).st_mtime > older_than
            ):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed
