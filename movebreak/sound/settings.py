"""What a cue's ``[sound]`` setting means: the reader's checks and the file it plays.

    [sound]
    enabled = true          # false: no sound at all
    volume = 100            # 0-100, like the desktop's volume slider (the cues are soft)
    step = "builtin"        # movebreak's own tone, a sound-theme name such as "bell",
    switch_sides = "builtin"  # a path to a .wav/.ogg/.oga file, or "off"

The settings themselves are :class:`movebreak.core.config.SoundSettings`, read by the
one config reader with its defaults from the shipped ``config.toml``. Checking is pure:
a file that does not exist is reported by the player when it cannot play it (a mounted
folder may come and go), not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from movebreak.config.reader import show
from movebreak.core.config import SoundSettings
from movebreak.core.cues import Cue

BUILTIN = "builtin"
OFF = "off"
_THEME_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_AUDIO_SUFFIXES = (".wav", ".ogg", ".oga", ".flac")
SOUNDS = Path(__file__).resolve().parent.parent / "assets" / "sounds"


@dataclass(frozen=True)
class CueSound:
    """What to play for one cue: a theme event (with our file where the theme has none)
    or a file alone."""

    file: Path
    theme: str | None = None


def cue_sound(settings: SoundSettings, cue: Cue, builtin: Path = SOUNDS) -> CueSound | None:
    """What plays for ``cue``; None when sound, the cue or the volume is off."""
    choice = settings.choices.get(cue, BUILTIN)
    if not settings.enabled or settings.volume <= 0 or choice == OFF:
        return None
    own = builtin / cue.file_name
    if choice == BUILTIN:
        return CueSound(own)
    if _is_path(choice):
        return CueSound(Path(choice))
    return CueSound(own, theme=choice)


def _is_path(choice: str) -> bool:
    return "/" in choice or "\\" in choice or choice.lower().endswith(_AUDIO_SUFFIXES)


def volume(value: object) -> int:
    """``sound.volume``: a whole number from 0 to 100."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValueError(f"expected a whole number from 0 to 100, got {show(value)}")
    return value


def cue_choice(value: object, base_dir: Path) -> str:
    """One cue's setting; a relative path is made absolute against ``base_dir``."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(
            f'expected "builtin", a sound-theme name such as "bell", a file path or "off", '
            f"got {show(value)}"
        )
    value = value.strip()
    if value in (BUILTIN, OFF):
        return value
    if _is_path(value):
        return str(base_dir / Path(value).expanduser())
    if not _THEME_NAME.match(value):
        raise ValueError(
            f"a sound-theme name uses lower-case letters, digits, '.', '-' and '_' "
            f'(such as "complete"), got {show(value)}'
        )
    return value
