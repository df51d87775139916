"""The app's one sound object: which cue, whether it may sound, and the output that plays it.

``play`` never raises and never blocks for long: a broken output is dropped with one
log line and the routine goes on silently.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from movebreak.core.config import SoundSettings
from movebreak.core.cues import Cue, prompt_sounds
from movebreak.sound.base import SoundOutput, SoundUnavailable
from movebreak.sound.settings import cue_sound

log = logging.getLogger(__name__)


class CuePlayer:
    """Plays cues through ``output`` as the current ``[sound]`` settings say."""

    def __init__(
        self,
        output: SoundOutput | None = None,
        open_output: Callable[[], SoundOutput | None] | None = None,
    ) -> None:
        """``open_output`` (instead of ``output``) opens it at the first cue: an app
        that never plays a cue never loads a sound library or connects to a server."""
        self._output = output
        self._open_output = open_output
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self._output.name if self._output is not None else "none"

    def _opened(self) -> SoundOutput | None:
        if self._open_output is not None:
            opener, self._open_output = self._open_output, None
            self._output = opener()
        return self._output

    def play(self, cue: Cue, settings: SoundSettings) -> bool:
        """Start ``cue``; True when it was handed to the platform."""
        sound = cue_sound(settings, cue)
        with self._lock:
            output = self._opened() if sound is not None else None
            if sound is None or output is None:
                return False
            try:
                output.play(sound, settings.volume)
            except SoundUnavailable as error:
                log.warning("%s stopped working (%s); no more sound cues", output.name, error)
                self._output = None
                return False
            except Exception:
                log.exception("sound cue %s failed", cue.value)
                return False
        return True

    def prompt(self, settings: SoundSettings, do_not_disturb: Callable[[], bool]) -> bool:
        """A prompt's cue, unless the desktop's do-not-disturb is on (asked only if needed)."""
        if cue_sound(settings, Cue.PROMPT) is None or not prompt_sounds(do_not_disturb()):
            return False
        return self.play(Cue.PROMPT, settings)

    def close(self) -> None:
        with self._lock:
            output, self._output = self._output, None
            self._open_output = None
        if output is not None:
            output.close()
