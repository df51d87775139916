"""The outputs' pure parts: what libcanberra, paplay, pw-play, afplay and winsound are given.

The Windows output runs against a stand-in ``winsound`` module (the only mock here);
everything it computes (the scaled WAV) is real.
"""

from __future__ import annotations

import io
import struct
import wave
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from movebreak.config.loader import default_config
from movebreak.core.cues import Cue
from movebreak.sound.base import SoundUnavailable
from movebreak.sound.canberra import play_properties
from movebreak.sound.command import (
    CommandOutput,
    afplay_command,
    paplay_command,
    pw_play_command,
    theme_file,
)
from movebreak.sound.detect import candidates, detect
from movebreak.sound.player import CuePlayer
from movebreak.sound.settings import SOUNDS, CueSound
from movebreak.sound.windows import WinsoundOutput, scaled_wav

STEP = CueSound(SOUNDS / "step.wav")
SOUNDS_ON = default_config().sound  # every cue movebreak's own, at full volume


def test_canberra_gets_the_theme_event_or_our_file_and_whole_decibels():
    themed = CueSound(SOUNDS / "done.wav", theme="complete")
    assert play_properties(themed, 100) == [("media.role", "event"), ("event.id", "complete")]
    assert play_properties(themed, 50, theme=False) == [
        ("media.role", "event"),
        ("media.filename", str(SOUNDS / "done.wav")),
        ("canberra.cache-control", "never"),
        ("canberra.volume", "-18"),
    ]


def test_player_commands_scale_volume_as_each_server_expects():
    path = Path("/s/step.wav")
    assert paplay_command(path, 50)[1] == "--volume=32768"  # PulseAudio's scale is cubic
    assert pw_play_command(path, 50)[1] == "--volume=0.1250"  # PipeWire's is linear
    assert afplay_command(path, 50) == ["afplay", "-v", "0.1250", "/s/step.wav"]


def test_theme_lookup_follows_xdg_data_dirs(tmp_path):
    stereo = tmp_path / "share" / "sounds" / "freedesktop" / "stereo"
    stereo.mkdir(parents=True)
    (stereo / "bell.oga").write_bytes(b"OggS")
    env = {"HOME": str(tmp_path / "home"), "XDG_DATA_DIRS": str(tmp_path / "share")}
    assert theme_file("bell", env) == stereo / "bell.oga"
    assert theme_file("complete", env) is None


def test_the_fallback_command_plays_a_theme_file_or_ours_without_waiting(tmp_path):
    stereo = tmp_path / "sounds" / "freedesktop" / "stereo"
    stereo.mkdir(parents=True)
    (stereo / "bell.oga").write_bytes(b"OggS")
    started: list[list[str]] = []

    class Done:
        def poll(self) -> int:
            return 0

    def spawn(command: Any) -> Any:
        started.append(list(command))
        return Done()

    output = CommandOutput("true", lambda p, v: ["true", str(p), str(v)],
                           env={"XDG_DATA_DIRS": str(tmp_path), "HOME": str(tmp_path)},
                           spawn=spawn)
    output.play(CueSound(SOUNDS / "step.wav", theme="bell"), 80)
    output.play(CueSound(SOUNDS / "step.wav", theme="no-such-sound"), 80)
    assert started == [["true", str(stereo / "bell.oga"), "80"],
                       ["true", str(SOUNDS / "step.wav"), "80"]]


def test_a_missing_program_is_unavailable():
    with pytest.raises(SoundUnavailable):
        CommandOutput("no-such-player-movebreak", paplay_command)


def test_scaled_wav_keeps_the_format_and_scales_each_sample():
    data = (SOUNDS / "step.wav").read_bytes()
    half = scaled_wav(data, 0.5)
    with wave.open(io.BytesIO(data)) as a, wave.open(io.BytesIO(half)) as b:
        assert a.getparams() == b.getparams()
        x = struct.unpack(f"<{a.getnframes()}h", a.readframes(a.getnframes()))
        y = struct.unpack(f"<{b.getnframes()}h", b.readframes(b.getnframes()))
    assert y == tuple(round(s * 0.5) for s in x)
    assert scaled_wav(data, 1.0) == data


def test_winsound_plays_asynchronously_a_scaled_copy_below_full_volume(tmp_path):
    calls: list[tuple[str | None, int]] = []
    fake = SimpleNamespace(SND_FILENAME=0x20000, SND_ASYNC=1, SND_NODEFAULT=2, SND_PURGE=0x40,
                           PlaySound=lambda name, flags: calls.append((name, flags)))
    output = WinsoundOutput(fake, cache=tmp_path)
    output.play(STEP, 100)
    output.play(STEP, 50)
    assert calls[0] == (str(SOUNDS / "step.wav"), 0x20000 | 1 | 2)
    copy = Path(str(calls[1][0]))
    assert copy.parent == tmp_path
    assert copy.read_bytes() == scaled_wav(STEP.file.read_bytes(), 0.125)
    output.close()
    assert calls[-1] == (None, 0x40)


def test_the_chooser_takes_the_first_output_that_opens_in_platform_order():
    assert [f.__name__ for f in candidates("linux")] == ["_canberra", "_paplay", "_pw_play"]
    assert [f.__name__ for f in candidates("win32")] == ["_winsound"]
    assert [f.__name__ for f in candidates("darwin")] == ["_afplay"]

    def broken() -> Any:
        raise SoundUnavailable("no server")

    working = SimpleNamespace(name="second")
    assert detect(factories=[broken, lambda: working]) is working
    assert detect(factories=[broken]) is None


class Played:
    """A SoundOutput that remembers what it was given (our own port, not a platform API)."""

    name = "played"

    def __init__(self, fail: bool = False) -> None:
        self.sounds: list[tuple[CueSound, int]] = []
        self.fail = fail

    def play(self, sound: CueSound, volume: int) -> None:
        if self.fail:
            raise SoundUnavailable("server gone")
        self.sounds.append((sound, volume))

    def close(self) -> None:
        pass


def test_the_player_opens_its_output_at_the_first_cue_and_drops_a_broken_one():
    opened: list[Played] = []

    def open_output() -> Played:
        opened.append(Played(fail=True))
        return opened[-1]

    player = CuePlayer(open_output=open_output)
    assert opened == []
    assert not player.play(Cue.STEP, replace(SOUNDS_ON, enabled=False))
    assert opened == []  # nothing to play: nothing opened
    assert not player.play(Cue.STEP, SOUNDS_ON)
    assert not player.play(Cue.STEP, SOUNDS_ON)
    assert len(opened) == 1 and player.name == "none"


def test_a_prompt_is_quiet_while_do_not_disturb_is_on():
    output = Played()
    player = CuePlayer(output)
    assert not player.prompt(SOUNDS_ON, lambda: True)
    assert player.prompt(SOUNDS_ON, lambda: False)
    assert output.sounds == [(CueSound(SOUNDS / "prompt.wav"), 100)]
