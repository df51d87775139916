"""A private PulseAudio server per test, with a null microphone to record from.

What works as root in a container (CI runs as root), found by trying:

    pulseaudio --daemonize=no -n --use-pid-file=no --exit-idle-time=-1 --disallow-exit
        --disable-shm=yes --realtime=no --high-priority=no --log-target=stderr
        --load="module-native-protocol-unix socket=<tmp>/native auth-anonymous=1"
        --load="module-null-source source_name=mic" --load="module-null-sink sink_name=spk"

with HOME, PULSE_RUNTIME_PATH and PULSE_STATE_PATH in a temporary folder. As root it
warns "not intended to be run as root" and runs; ``--system`` is not needed. ``-n``
skips default.pa (no hardware, no D-Bus modules); ``auth-anonymous=1`` spares the cookie.
Clients are pointed at it explicitly (``parec -s``, ``Pulse(server=...)``), never through
the environment, so the developer's own sound server is left alone.

Missing tools skip these tests with the package to install; under ``CI=true`` they fail.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

import pytest

TOOLS = {"pulseaudio": "pulseaudio", "parec": "pulseaudio-utils"}
READY_WITHIN = 10.0


def unavailable(message: str) -> None:
    """Skip on a developer machine; fail under CI, where the tests must really run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"call-detection tests cannot run under CI=true: {message}", pytrace=False)
    pytest.skip(message)


def require_pulsectl() -> None:
    if find_spec("pulsectl") is None:
        unavailable("missing Python module pulsectl: pip install 'pulsectl==24.12.0'")


def require_pulse_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        packages = " ".join(sorted({TOOLS[t] for t in missing}))
        unavailable(f"missing {', '.join(missing)}: apt-get install {packages}")
    require_pulsectl()


@dataclass
class PulseServer:
    """One running server; ``record`` opens recording streams as an app would."""

    folder: Path
    process: subprocess.Popen[bytes] | None = None
    streams: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def socket(self) -> Path:
        return self.folder / "run" / "native"

    @property
    def address(self) -> str:
        return f"unix:{self.socket}"

    def start(self) -> None:
        for name in ("run", "state", "home"):
            (self.folder / name).mkdir(mode=0o700, exist_ok=True)
        self.socket.unlink(missing_ok=True)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.folder / "home"),
            "PULSE_RUNTIME_PATH": str(self.folder / "run"),
            "PULSE_STATE_PATH": str(self.folder / "state"),
        }
        command = [
            "pulseaudio", "--daemonize=no", "-n", "--use-pid-file=no", "--exit-idle-time=-1",
            "--disallow-exit", "--disable-shm=yes", "--realtime=no", "--high-priority=no",
            "--log-target=stderr",
            f"--load=module-native-protocol-unix socket={self.socket} auth-anonymous=1",
            "--load=module-null-source source_name=mic",
            "--load=module-null-sink sink_name=spk",
        ]
        log = (self.folder / "pulseaudio.log").open("ab")
        self.process = subprocess.Popen(command, env=env, stdout=log, stderr=log,
                                        stdin=subprocess.DEVNULL)
        log.close()
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        import pulsectl

        deadline = time.monotonic() + READY_WITHIN
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                log = (self.folder / "pulseaudio.log").read_text(errors="replace")
                raise RuntimeError(f"pulseaudio exited at start:\n{log}")
            if self.socket.exists():
                try:
                    with pulsectl.Pulse("probe", server=self.address, connect=False) as probe:
                        probe.connect(autospawn=False)
                        return
                except pulsectl.PulseError:
                    pass
            time.sleep(0.01)
        raise RuntimeError(f"pulseaudio did not come up within {READY_WITHIN} s")

    def stop(self) -> None:
        """Stop the server (streams first), as a crash or restart of the user's server."""
        for stream in self.streams:
            _end(stream)
        self.streams.clear()
        if self.process is not None:
            _end(self.process)
            self.process = None

    def record(self, device: str = "mic") -> subprocess.Popen[bytes]:
        """A recording stream from ``device`` (``spk.monitor`` records the null sink)."""
        stream = subprocess.Popen(
            ["parec", "-s", self.address, "-d", device, "--raw", "--client-name=recorder"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        )
        self.streams.append(stream)
        return stream

    def end(self, stream: subprocess.Popen[bytes]) -> None:
        _end(stream)
        self.streams.remove(stream)


def _end(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def pulse_server() -> Iterator[PulseServer]:
    require_pulse_tools()
    # A short folder of its own: a Unix socket path must fit in 108 bytes, and pytest's
    # tmp_path for a long test name does not.
    with tempfile.TemporaryDirectory(prefix="movebreak-pa-") as folder:
        server = PulseServer(Path(folder))
        server.start()
        try:
            yield server
        finally:
            server.stop()
