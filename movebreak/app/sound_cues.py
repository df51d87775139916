"""The app's sound cues wired up: one player, opened at the first cue, and the prompt's cue.

The guided routine plays its own cues (``GuidedRoutine``); a prompt's cue follows the
core's PROMPTED event, unless the desktop's do-not-disturb is on.
"""

from __future__ import annotations

from collections.abc import Callable

from movebreak.core.config import SoundSettings
from movebreak.core.events import Event, Outcome
from movebreak.sound.detect import detect
from movebreak.sound.player import CuePlayer


def start_sound() -> CuePlayer:
    """The player; the platform's output is found and opened at the first cue."""
    return CuePlayer(open_output=detect)


def prompt_cue(
    player: CuePlayer,
    settings: Callable[[], SoundSettings],
    do_not_disturb: Callable[[], bool],
) -> Callable[[Event], None]:
    """An event sink for ``Controller.on_event``: a prompt's cue when one is shown."""

    def on_event(event: Event) -> None:
        if event.outcome is Outcome.PROMPTED:
            player.prompt(settings(), do_not_disturb)

    return on_event
