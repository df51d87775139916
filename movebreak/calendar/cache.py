"""Private, crash-safe files for the calendar cache.

Cached feeds hold private tokens in their metadata and private meetings in their
bodies, so the folder is 0700 and every file 0600 from the moment it exists (the
temporary file is created private, never chmod-ed afterwards). Writes go to a
temporary file in the same folder and are renamed over the old one, so a crash or a
full disk leaves the last good copy, never half of a new one.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from movebreak.storage.atomic import write_atomic


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and make it readable by the user alone."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):  # e.g. a folder owned by someone else: use as is
        os.chmod(path, 0o700)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Atomically replace ``path`` with ``data``; the file is 0600 throughout."""
    private_dir(path.parent)  # also tightens a folder that exists already
    write_atomic(path, data, private=True, create_folder=False)


def write_json(path: Path, value: Any) -> None:
    """:func:`write_private` for a JSON value."""
    write_private(path, json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def read_json(path: Path) -> dict[str, Any] | None:
    """The JSON object at ``path``, or None if missing or unreadable (a cache may be lost)."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes, or None if it is missing or unreadable."""
    try:
        return path.read_bytes()
    except OSError:
        return None
