"""The committed cue files are what assets/make_cues.py makes now, and they are soft."""

from __future__ import annotations

import importlib.util
import io
import struct
import sys
import wave
from pathlib import Path
from types import ModuleType

from movebreak.core.cues import Cue
from movebreak.sound.settings import SOUNDS

REPO = Path(__file__).resolve().parents[2]


def make_cues() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_cues", REPO / "assets" / "make_cues.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_cues"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_committed_files_equal_what_the_script_makes():
    made = make_cues().make_all()
    assert sorted(made) == sorted(cue.file_name for cue in Cue)
    for name, data in made.items():
        assert (SOUNDS / name).read_bytes() == data, f"{name}: run assets/make_cues.py"


def test_each_cue_is_short_mono_16_bit_and_peaks_near_minus_13_dbfs():
    for cue in Cue:
        with wave.open(io.BytesIO((SOUNDS / cue.file_name).read_bytes())) as sound:
            assert (sound.getnchannels(), sound.getsampwidth(), sound.getframerate()) == (
                1, 2, 44_100)
            frames = sound.readframes(sound.getnframes())
            seconds = sound.getnframes() / 44_100
        samples = struct.unpack(f"<{len(frames) // 2}h", frames)
        peak = max(abs(s) for s in samples) / 32768
        assert 0.2 < peak < 0.25, cue  # about -13 dBFS: soft
        assert seconds <= (2.5 if cue is Cue.COUNTDOWN else 0.5), cue
        assert samples[0] == 0 and abs(samples[-1]) < 50, cue  # no click at either end
