"""Why prompts are held, and the probe interface each platform's check implements.

The app asks ``quiet_reason()`` when a prompt falls due, so every probe answers from
a connection it already holds (X server, session bus, an in-process settings object)
in a round trip or two, never by starting a program.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Protocol, runtime_checkable

from movebreak.adapters import Unavailable


class QuietReason(Enum):
    """Why a prompt waits. The value is the phrase the tray shows after "Held:"."""

    FULLSCREEN = "a fullscreen window"
    PRESENTATION = "presentation mode"
    DO_NOT_DISTURB = "do not disturb"
    SCREEN_LOCKED = "the screen is locked"


class QuietUnavailable(Unavailable):
    """This probe cannot answer here (no server, no setting, no API); says why."""


class QuietProbe(Protocol):
    """One signal that can hold prompts: a fullscreen window, a DND switch."""

    name: str
    sees_fullscreen: bool  # it can answer FULLSCREEN (else fullscreen stays unseen)

    def reason(self) -> QuietReason | None:
        """The reason to hold prompts now, or None; ``QuietUnavailable`` once broken."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class QuietWatch(Protocol):
    """A probe whose desktop *tells* it about changes (a signal, a script's report).

    The app then looks again at once instead of at its next planned look, so a prompt
    held by DND or a fullscreen window comes right after the hold ends.
    """

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (from any thread) whenever the answer may have changed."""
        ...
