"""The interface each platform's sound output implements, and its error.

A cue is played at a moment that matters (a step starts, sides switch, a prompt shows)
and must never hold up the app: ``play`` hands the sound to the platform and returns,
and nothing waits or polls in between (no thread of ours, no timer).
"""

from __future__ import annotations

from typing import Protocol

from movebreak.adapters import Unavailable
from movebreak.sound.settings import CueSound


class SoundUnavailable(Unavailable):
    """This output cannot play here (no library, no server, no program); says why."""


class SoundOutput(Protocol):
    """Plays one short sound at a time, asynchronously."""

    name: str

    def play(self, sound: CueSound, volume: int) -> None:
        """Start ``sound`` at ``volume`` (1-100) and return at once.

        A sound that cannot be found or read is logged and skipped; an output that
        stopped working altogether raises ``SoundUnavailable``.
        """
        ...

    def close(self) -> None: ...
