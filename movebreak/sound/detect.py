"""Pick the sound output that works here.

- Windows: ``winsound``. macOS: ``afplay``.
- Linux and the BSDs: libcanberra in-process first; only when it is missing or cannot
  reach a sound server, ``paplay`` (PulseAudio, PipeWire's pulse server) or ``pw-play``.

When none works, one warning says why, and the routine runs silently.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from movebreak.sound.base import SoundOutput, SoundUnavailable

log = logging.getLogger(__name__)

OutputFactory = Callable[[], SoundOutput]


def _canberra() -> SoundOutput:
    from movebreak.sound.canberra import CanberraOutput

    return CanberraOutput()


def _paplay() -> SoundOutput:
    from movebreak.sound.command import CommandOutput, paplay_command

    return CommandOutput("paplay", paplay_command)


def _pw_play() -> SoundOutput:
    from movebreak.sound.command import CommandOutput, pw_play_command

    return CommandOutput("pw-play", pw_play_command)


def _winsound() -> SoundOutput:
    from movebreak.sound.windows import WinsoundOutput

    return WinsoundOutput()


def _afplay() -> SoundOutput:
    from movebreak.sound.macos import afplay_output

    return afplay_output()


def candidates(platform: str = sys.platform) -> list[OutputFactory]:
    if platform == "win32":
        return [_winsound]
    if platform == "darwin":
        return [_afplay]
    return [_canberra, _paplay, _pw_play]


def detect(
    platform: str = sys.platform, factories: list[OutputFactory] | None = None
) -> SoundOutput | None:
    """The first output that opens; None (and one warning) when none does."""
    tried: list[str] = []
    for factory in factories if factories is not None else candidates(platform):
        try:
            output = factory()
        except SoundUnavailable as error:
            tried.append(str(error))
            continue
        log.info("sound cues through %s", output.name)
        return output
    log.warning("no way to play sound cues here (%s); routines run silently",
                "; ".join(tried) or "nothing to try")
    return None
