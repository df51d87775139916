"""Windows: ``GetLastInputInfo`` (user32) against ``GetTickCount`` (kernel32), via ctypes.

Both are 32-bit millisecond tick counts since boot that wrap after 49.7 days, so the
difference is taken modulo 2**32: right after a wrap "now" is small and "last input"
large, and plain subtraction would go negative. That arithmetic is the part worth
testing, and it is a pure function here.
"""

from __future__ import annotations

import ctypes
from typing import Any

from movebreak.idle.base import IdleUnavailable

TICK_WRAP = 1 << 32


def elapsed_ticks(now: int, last_input: int) -> int:
    """Milliseconds from ``last_input`` to ``now`` on the 32-bit tick clock (wraps)."""
    return (now - last_input) % TICK_WRAP


class _LastInputInfo(ctypes.Structure):
    _fields_ = (("cbSize", ctypes.c_uint32), ("dwTime", ctypes.c_uint32))


class WindowsIdleSource:
    """``IdleSource`` for the interactive Windows session this process runs in."""

    name = "windows"

    def __init__(self) -> None:
        loader: Any = getattr(ctypes, "WinDLL", None)
        if loader is None:
            raise IdleUnavailable("GetLastInputInfo exists only on Windows")
        try:
            self._user32 = loader("user32")
            kernel32 = loader("kernel32")
        except OSError as error:
            raise IdleUnavailable(f"cannot load user32/kernel32: {error}") from error
        self._tick_count = kernel32.GetTickCount
        self._tick_count.restype = ctypes.c_uint32

    def idle_seconds(self) -> float:
        info = _LastInputInfo(cbSize=ctypes.sizeof(_LastInputInfo))
        if not self._user32.GetLastInputInfo(ctypes.byref(info)):
            raise IdleUnavailable("GetLastInputInfo failed (not an interactive session?)")
        return elapsed_ticks(int(self._tick_count()), int(info.dwTime)) / 1000.0

    def close(self) -> None:
        """Nothing to release: the DLLs stay loaded for the process."""
