"""Linux without libcanberra: ``paplay`` or ``pw-play`` of a file, one short process a cue.

Only a fallback: a process per cue costs a fork and a server connection each time.
A theme name is looked up in the freedesktop sound theme's folders; where the theme
has no such sound, movebreak's own file plays. Finished players are reaped at the next
cue or at close: nothing waits on them in between.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from movebreak.core.cues import amplitude
from movebreak.sound.base import SoundUnavailable
from movebreak.sound.settings import CueSound

log = logging.getLogger(__name__)

THEME_SUFFIXES = (".oga", ".ogg", ".wav")


def theme_file(name: str, env: Mapping[str, str], theme: str = "freedesktop") -> Path | None:
    """Where the freedesktop sound theme keeps ``name`` (the spec's "stereo" profile)."""
    home = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME", "~")) / ".local" / "share")
    dirs = [home, *(env.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":")]
    for folder in dirs:
        for suffix in THEME_SUFFIXES:
            path = Path(folder) / "sounds" / theme / "stereo" / f"{name}{suffix}"
            if path.is_file():
                return path
    return None


def paplay_command(path: Path, volume: int) -> list[str]:
    """PulseAudio's volume scale is cubic, like ``[sound] volume``: 65536 is 100 %."""
    return ["paplay", f"--volume={round(65536 * volume / 100)}", "--client-name=movebreak",
            "--property=media.role=event", str(path)]


def pw_play_command(path: Path, volume: int) -> list[str]:
    """PipeWire's stream volume is linear."""
    return ["pw-play", f"--volume={amplitude(volume):.4f}", str(path)]


def afplay_command(path: Path, volume: int) -> list[str]:
    """macOS's player; its volume is linear, 1 is as recorded."""
    return ["afplay", "-v", f"{amplitude(volume):.4f}", str(path)]


class CommandOutput:
    """Starts one player process per cue and never waits for it."""

    def __init__(
        self,
        program: str,
        command: Callable[[Path, int], list[str]],
        env: Mapping[str, str] | None = None,
        spawn: Callable[[Sequence[str]], subprocess.Popen[bytes]] | None = None,
    ) -> None:
        if shutil.which(program) is None:
            raise SoundUnavailable(f"{program} not found")
        self.name = program
        self._command = command
        self._env = dict(os.environ if env is None else env)
        self._spawn = spawn or _spawn
        self._running: list[subprocess.Popen[bytes]] = []

    def file_for(self, sound: CueSound) -> Path:
        if sound.theme is not None and self.name != "afplay":
            found = theme_file(sound.theme, self._env)
            if found is not None:
                return found
            log.info("the sound theme has no %r; playing movebreak's own cue", sound.theme)
        return sound.file

    def play(self, sound: CueSound, volume: int) -> None:
        self._running = [p for p in self._running if p.poll() is None]
        try:
            self._running.append(self._spawn(self._command(self.file_for(sound), volume)))
        except OSError as error:
            raise SoundUnavailable(f"{self.name}: {error}") from None

    def close(self) -> None:
        for process in self._running:
            if process.poll() is None:
                process.wait(timeout=3)
        self._running.clear()


def _spawn(command: Sequence[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
