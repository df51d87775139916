"""Keep the long-running process small: one malloc arena, and free pages handed back.

glibc gives each thread that allocates its own malloc arena (up to eight per core),
and each keeps some touched pages for good. That buys speed for busy threads; the
app's threads (scheduler, watches, control socket, D-Bus reader) wake a few times an
hour, so sharing one arena costs nothing measurable and saves ~0.4 MB here
(``bench/idle_cost.py``). It must run before the first thread starts.

glibc also keeps freed memory inside its heap for reuse, and only returns what is
free at the very top. Start-up and a calendar refresh (reading the worker's answer)
leave free holes that an idle app never fills again, so after them the app calls
``malloc_trim``, which hands whole free pages back to the kernel (~0.2-0.4 MB).
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

_M_ARENA_MAX = -8  # <malloc.h>


def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None)
    except OSError:
        return None


def share_one_malloc_arena() -> bool:
    """Ask glibc for a single arena; False where that cannot be done (not glibc)."""
    mallopt = getattr(_glibc(), "mallopt", None)  # musl and others have none
    return bool(mallopt(_M_ARENA_MAX, 1)) if mallopt is not None else False


def give_back_free_memory() -> bool:
    """Return the heap's free pages to the kernel; True if any were (False: not glibc)."""
    malloc_trim = getattr(_glibc(), "malloc_trim", None)
    return bool(malloc_trim(0)) if malloc_trim is not None else False
