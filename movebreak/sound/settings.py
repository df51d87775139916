"""The ``[sound]`` table of the config, and what each cue's setting means.

    [sound]
    enabled = true          # false: no sound at all
    volume = 100            # 0-100, like the desktop's volume slider (the cues are soft)
    step = "builtin"        # movebreak's own tone, a sound-theme name such as "bell",
    switch_sides = "builtin"  # a path to a .wav/.ogg/.oga file, or "off"
    countdown = "builtin"
    done = "builtin"
    prompt = "builtin"

Validation is pure: a file that does not exist is reported by the player when it
cannot play it (a mounted folder may come and go), not here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from movebreak.config.errors import ConfigError, Problem
from movebreak.core.cues import Cue

BUILTIN = "builtin"
OFF = "off"
KEYS = ("enabled", "volume", *(cue.value for cue in Cue))
_THEME_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_AUDIO_SUFFIXES = (".wav", ".ogg", ".oga", ".flac")
SOUNDS = Path(__file__).resolve().parent.parent / "assets" / "sounds"


@dataclass(frozen=True)
class CueSound:
    """What to play for one cue: a theme event (with our file where the theme has none)
    or a file alone."""

    file: Path
    theme: str | None = None


@dataclass(frozen=True)
class SoundSettings:
    """``choices`` holds each cue's setting: ``BUILTIN``, ``OFF``, a theme name or a path."""

    enabled: bool = True
    volume: int = 100
    choices: dict[Cue, str] = field(default_factory=lambda: {cue: BUILTIN for cue in Cue})

    def sound(self, cue: Cue, builtin: Path = SOUNDS) -> CueSound | None:
        """What plays for ``cue``; None when sound, the cue or the volume is off."""
        choice = self.choices.get(cue, BUILTIN)
        if not self.enabled or self.volume <= 0 or choice == OFF:
            return None
        own = builtin / cue.file_name
        if choice == BUILTIN:
            return CueSound(own)
        if _is_path(choice):
            return CueSound(Path(choice))
        return CueSound(own, theme=choice)


def _is_path(choice: str) -> bool:
    return "/" in choice or "\\" in choice or choice.lower().endswith(_AUDIO_SUFFIXES)


def _show(value: object) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def _choice(value: object, base_dir: Path) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(
            f'expected "builtin", a sound-theme name such as "bell", a file path or "off", '
            f"got {_show(value)}"
        )
    value = value.strip()
    if value in (BUILTIN, OFF):
        return value
    if _is_path(value):
        return str(base_dir / Path(value).expanduser())
    if not _THEME_NAME.match(value):
        raise ValueError(
            f"a sound-theme name uses lower-case letters, digits, '.', '-' and '_' "
            f'(such as "complete"), got {_show(value)}'
        )
    return value


def parse_sound_settings(raw: object, base_dir: Path) -> SoundSettings:
    """Validate the ``[sound]`` table; every problem at once, keyed ``sound.KEY``."""
    if not isinstance(raw, dict):
        raise ConfigError([Problem("sound", f"expected a table [sound], got {_show(raw)}")])
    problems: list[Problem] = []
    for key in raw:
        if key not in KEYS:
            problems.append(Problem(f"sound.{key}", f"unknown key; expected one of: "
                                                    f"{', '.join(KEYS)}"))
    defaults = SoundSettings()
    enabled = raw.get("enabled", defaults.enabled)
    if not isinstance(enabled, bool):
        problems.append(Problem("sound.enabled", f"expected true or false, got {_show(enabled)}"))
    volume: Any = raw.get("volume", defaults.volume)
    if isinstance(volume, bool) or not isinstance(volume, int) or not 0 <= volume <= 100:
        problems.append(Problem("sound.volume", f"expected a whole number from 0 to 100, "
                                                f"got {_show(volume)}"))
    choices = dict(defaults.choices)
    for cue in Cue:
        if cue.value in raw:
            try:
                choices[cue] = _choice(raw[cue.value], base_dir)
            except ValueError as error:
                problems.append(Problem(f"sound.{cue.value}", str(error)))
    if problems:
        raise ConfigError(problems)
    return SoundSettings(enabled, volume, choices)


def read_sound_settings(raw: object, base_dir: Path, problems: list[Problem]) -> SoundSettings:
    """``parse_sound_settings`` for the config's validator: problems go to its list."""
    try:
        return parse_sound_settings(raw, base_dir)
    except ConfigError as error:
        problems.extend(error.problems)
        return SoundSettings()
