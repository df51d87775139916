"""Logging: a rotating file in the user's log folder, and stderr with ``-v``.

The log names meetings (their titles say who the user talks to), so its folder is
private to the user, like the config and the history.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(log_file: Path | None, verbose: int) -> None:
    """File at INFO (DEBUG with -vv); stderr only with -v, so a normal start stays quiet."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    if log_file is not None:
        try:
            log_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            log_file.parent.chmod(0o700)  # also a folder made before this rule
            log_file.touch(mode=0o600, exist_ok=True)
            file_handler = logging.handlers.RotatingFileHandler(
                log_file, maxBytes=512 * 1024, backupCount=3, encoding="utf-8"
            )
            file_handler.setFormatter(logging.Formatter(FORMAT))
            root.addHandler(file_handler)
        except OSError as error:
            print(f"movebreak: cannot write the log file {log_file}: {error}", file=sys.stderr)
    if verbose:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(stream)
    for noisy in ("apscheduler", "watchdog", "PIL", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
