"""Make movebreak's own sound cues: soft sine tones, written with ``wave`` and ``math`` only.

Each cue is a few sine notes, every note with a short raised-cosine attack (no click)
and an exponential decay (a soft mallet rather than a beep), plus a quiet octave above
for warmth. 44.1 kHz, mono, 16-bit WAV; the peak stays at about -13 dBFS so a cue
never startles. Pure arithmetic with fixed rounding, so the same script writes the same
bytes on every machine; ``tests/packaging/test_cues.py`` keeps the committed files
equal to what this script makes now.

    python assets/make_cues.py            # refresh movebreak/assets/sounds/
    python assets/make_cues.py OUT_DIR    # write them elsewhere

The files are part of movebreak and under its licence.
"""

from __future__ import annotations

import io
import math
import struct
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

RATE = 44_100
PEAK = 0.22  # of full scale: -13.2 dBFS
ATTACK = 0.008  # seconds
FADE = 0.02  # the last seconds of each note fade to silence, so nothing is cut off
OVERTONE = 0.18  # the octave's share
PACKAGE_SOUNDS = Path(__file__).resolve().parents[1] / "movebreak" / "assets" / "sounds"


@dataclass(frozen=True)
class Note:
    """One soft tone: ``at`` seconds into the cue, ``length`` long, decaying by ``decay``."""

    at: float
    hz: float
    length: float
    decay: float = 0.09  # time constant, seconds
    level: float = 1.0


# The five cues. Notes from the C major pentatonic scale, so any two cues sound well
# together; the 3-2-1 is three ticks exactly one second apart.
CUES: dict[str, tuple[Note, ...]] = {
    # a step begins: one warm note
    "step": (Note(0.0, 659.26, 0.40, 0.10),),
    # switch sides: two notes, up
    "switch-sides": (Note(0.0, 523.25, 0.22, 0.07), Note(0.16, 783.99, 0.32, 0.09)),
    # 3-2-1: three short high ticks, one second apart (starts 3 s before a step ends)
    "countdown": tuple(Note(float(i), 1046.50, 0.16, 0.035, 0.8) for i in range(3)),
    # the routine is done: three notes, rising
    "done": (
        Note(0.0, 523.25, 0.22, 0.07),
        Note(0.11, 659.26, 0.22, 0.07),
        Note(0.22, 783.99, 0.28, 0.10),
    ),
    # a prompt: two notes, down, lower and gentler than the routine's cues
    "prompt": (Note(0.0, 587.33, 0.24, 0.08), Note(0.14, 440.00, 0.34, 0.11)),
}


def note_samples(note: Note) -> list[float]:
    """One note, -1..1 before the peak is applied."""
    count = round(note.length * RATE)
    attack = max(1, round(ATTACK * RATE))
    fade = max(1, round(FADE * RATE))
    out = []
    for n in range(count):
        t = n / RATE
        envelope = math.exp(-t / note.decay)
        if n < attack:
            envelope *= 0.5 - 0.5 * math.cos(math.pi * n / attack)
        if n >= count - fade:
            envelope *= 0.5 - 0.5 * math.cos(math.pi * (count - n) / fade)
        phase = 2 * math.pi * note.hz * t
        tone = (math.sin(phase) + OVERTONE * math.sin(2 * phase)) / (1 + OVERTONE)
        out.append(note.level * envelope * tone)
    return out


def cue_samples(notes: tuple[Note, ...]) -> list[int]:
    """The notes mixed, scaled so the loudest sample sits at ``PEAK``; 16-bit integers."""
    total = max(round((n.at + n.length) * RATE) for n in notes)
    mix = [0.0] * total
    for note in notes:
        start = round(note.at * RATE)
        for i, value in enumerate(note_samples(note)):
            mix[start + i] += value
    loudest = max(abs(v) for v in mix)
    scale = PEAK * 32767 / loudest
    return [round(v * scale) for v in mix]


def wav_bytes(samples: list[int]) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return buffer.getvalue()


def make_all() -> dict[str, bytes]:
    """File name -> WAV bytes, for every cue."""
    return {f"{name}.wav": wav_bytes(cue_samples(notes)) for name, notes in CUES.items()}


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else PACKAGE_SOUNDS
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in make_all().items():
        (folder / name).write_bytes(data)
        print(folder / name, f"{len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
