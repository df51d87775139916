"""The real app as a process of its own: HOME and XDG folders private to the test, no tray.

For fault tests that need the whole app (its control socket, its log, its exit code)
but no desktop: ``python -m movebreak --no-tray -v``, driven through the real CLI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

DEADLINE_S = 20.0


class AppProcess:
    """One running app; ``config_text`` becomes its config file when given."""

    def __init__(self, home: Path, *, display: str = "", config_text: str | None = None,
                 deadline: float = DEADLINE_S, env_extra: dict[str, str] | None = None) -> None:
        runtime = home / "run"
        runtime.mkdir(mode=0o700)
        self.deadline = deadline
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"), "XDG_STATE_HOME": str(home / "state"),
            "XDG_RUNTIME_DIR": str(runtime), "DISPLAY": display, "TZ": "UTC",
            "PYSTRAY_BACKEND": "dummy",
            **(env_extra or {}),
        }
        self.control = runtime / "movebreak"
        if config_text is not None:
            config = home / "config" / "movebreak" / "config.toml"
            config.parent.mkdir(parents=True)
            config.write_text(config_text)
        self.log = home / "app.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "movebreak", "--no-tray", "-v"],
                                            env=self.env, stdout=out, stderr=subprocess.STDOUT)

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def cli(self, *args: str) -> str:
        """``movebreak ARGS`` against this app; its output (it must succeed)."""
        done = subprocess.run([sys.executable, "-m", "movebreak", *args], env=self.env,
                              capture_output=True, text=True, timeout=self.deadline, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def wait_for_log(self, text: str) -> None:
        end = time.monotonic() + self.deadline
        while text not in self.text():
            assert self.process.poll() is None, self.text()
            assert time.monotonic() < end, f"no {text!r} in the log:\n{self.text()}"
            time.sleep(0.05)

    def stop(self) -> None:
        """Quit through the CLI; killed if that does not end it in time."""
        if self.process.poll() is None:
            subprocess.run([sys.executable, "-m", "movebreak", "quit"], env=self.env,
                           capture_output=True, timeout=self.deadline, check=False)
            try:
                self.process.wait(self.deadline)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
