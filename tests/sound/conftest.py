"""A private PulseAudio server (the calls tests' fixture) and a recorder of its null sink.

The recorder is a real ``parec`` on ``spk.monitor``; levels are read by ``sox``. The
null sink hands its monitor the first data only after about two seconds, so a
recording counts as started once bytes arrive, and positions in it are taken from its
size at the moment a cue is played.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.calls.conftest import PulseServer, unavailable
from tests.calls.conftest import pulse_server as pulse_server  # the fixture, shared

RATE = 44_100
BYTES_PER_SECOND = RATE * 2  # mono s16le


@dataclass
class Level:
    peak: float  # of full scale
    rms: float

    @property
    def peak_dbfs(self) -> float:
        import math

        return 20 * math.log10(self.peak) if self.peak > 0 else float("-inf")


class Recording:
    """``parec`` of the null sink's monitor into a raw file; ``mark`` and ``level``."""

    def __init__(self, server: PulseServer, path: Path) -> None:
        self.path = path
        self._out = path.open("wb")
        self.process = subprocess.Popen(
            ["parec", "-s", server.address, "-d", "spk.monitor", "--latency-msec=10", "--raw",
             "--format=s16le", "--channels=1", f"--rate={RATE}", "--client-name=recorder"],
            stdout=self._out, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while self.mark() < 0.05:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("parec recorded nothing from spk.monitor")
            time.sleep(0.01)

    def mark(self) -> float:
        """Seconds recorded so far."""
        return os.path.getsize(self.path) / BYTES_PER_SECOND

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(5)
        self._out.close()

    def level(self, start: float, length: float) -> Level:
        """``sox ... stat`` of ``length`` seconds from ``start``."""
        result = subprocess.run(
            ["sox", "-t", "raw", "-r", str(RATE), "-e", "signed", "-b", "16", "-c", "1",
             str(self.path), "-n", "trim", f"{start:.3f}", f"{length:.3f}", "stat"],
            capture_output=True, text=True, check=True,
        )
        peak = re.search(r"Maximum amplitude:\s+([-\d.]+)", result.stderr)
        rms = re.search(r"RMS\s+amplitude:\s+([-\d.na]+)", result.stderr)
        assert peak and rms, result.stderr
        return Level(float(peak.group(1)), float(rms.group(1)) if rms.group(1) != "-nan" else 0)


@pytest.fixture
def record(pulse_server: PulseServer, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[Recording]:
    """The sink recorded; libcanberra and paplay in this process point at the server."""
    if shutil.which("sox") is None:
        unavailable("missing sox: apt-get install sox")
    monkeypatch.setenv("PULSE_SERVER", pulse_server.address)
    recording = Recording(pulse_server, tmp_path / "sink.raw")
    try:
        yield recording
    finally:
        recording.stop()
