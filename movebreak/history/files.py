"""File-level care for the history: private permissions, and moving a bad file aside.

SQLite keeps a database in up to three files (the main file, ``-wal`` and ``-shm``).
They travel together: a stale ``-wal`` left beside a fresh database would be
replayed into it, so moving a file aside always moves its companions with it.
"""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, datetime
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
COMPANIONS = ("-wal", "-shm", "-journal")


def ensure_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 (or tighten an existing one) and its folder.

    SQLite gives its ``-wal`` and ``-shm`` files the main file's mode, so getting the
    main file right at creation keeps the whole history readable by the user alone.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for name in (path, *(_companion(path, s) for s in COMPANIONS)):
            with contextlib.suppress(FileNotFoundError):
                os.chmod(name, 0o600)
    else:
        os.close(fd)


def looks_like_sqlite(path: Path) -> bool:
    """True for an empty file or one with the SQLite header; cheap (16 bytes read)."""
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    return head in (b"", SQLITE_MAGIC)


def move_aside(path: Path, label: str, now: datetime | None = None) -> Path:
    """Rename ``path`` (and its companions) to ``NAME.LABEL-YYYYmmddTHHMMSSZ``.

    Never overwrites: if that name is taken (two moves in one second), a counter is
    added. Returns the new path of the main file.
    """
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = f"{path.name}.{label}-{stamp}"
    target = path.with_name(base)
    counter = 1
    while any(_companion(target, s).exists() for s in ("", *COMPANIONS)):
        target = path.with_name(f"{base}-{counter}")
        counter += 1
    for suffix in COMPANIONS:
        source = _companion(path, suffix)
        if source.exists():
            source.rename(_companion(target, suffix))
    path.rename(target)
    return target


def _companion(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)
