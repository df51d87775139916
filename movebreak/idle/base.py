"""The idle-time interface the app talks to, and its error.

The app asks for idle time only at moments that matter (a prompt falls due: "is the
user away?"), so a source must answer cheaply and in-process: one connection opened
once and reused, never a subprocess per question. Sources that can also *wait* for
the user's return on an OS event implement ``ActivityWatch`` too.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from movebreak.adapters import Unavailable


class IdleUnavailable(Unavailable):
    """This source cannot tell idle time here (no server, no extension, no service)."""


class IdleSource(Protocol):
    """Reads the session's idle time."""

    name: str

    def idle_seconds(self) -> float:
        """Seconds since the last keyboard or pointer input; ``IdleUnavailable`` if lost."""
        ...

    def close(self) -> None:
        """Let go of the connection; the source is not used afterwards."""
        ...


@runtime_checkable
class ActivityWatch(Protocol):
    """A source that can block until the user is back, woken by the OS, not by polling."""

    def wait_for_activity(self, timeout: float) -> bool:
        """True as soon as there is input; False after ``timeout`` seconds without any."""
        ...
