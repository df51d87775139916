"""Keep the long-running process small: one malloc arena for all its quiet threads.

glibc gives each thread that allocates its own malloc arena (up to eight per core),
and each keeps some touched pages for good. That buys speed for busy threads; the
app's threads (scheduler, watches, control socket, D-Bus reader) wake a few times an
hour, so sharing one arena costs nothing measurable and saves ~0.4 MB here
(``bench/idle_cost.py``). It must run before the first thread starts.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

_M_ARENA_MAX = -8  # <malloc.h>


def share_one_malloc_arena() -> bool:
    """Ask glibc for a single arena; False where that cannot be done (not glibc)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # musl and others have no mallopt
        return False
    return bool(mallopt(_M_ARENA_MAX, 1))
