"""The user's folders for config, data, cache and logs (platformdirs, XDG on Linux)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP = "movebreak"


@dataclass(frozen=True)
class AppPaths:
    """Every path the app reads or writes, resolved once at start-up."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path
    log_dir: Path

    @classmethod
    def for_user(cls) -> AppPaths:
        """The platform's folders for this user (honours XDG_* variables on Linux)."""
        return cls(
            Path(platformdirs.user_config_dir(APP, appauthor=False)),
            Path(platformdirs.user_data_dir(APP, appauthor=False)),
            Path(platformdirs.user_cache_dir(APP, appauthor=False)),
            Path(platformdirs.user_log_dir(APP, appauthor=False)),
        )

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def state_file(self) -> Path:
        """Snoozes, pauses and the reset count, so a restart does not forget them."""
        return self.data_dir / "state.json"

    @property
    def window_file(self) -> Path:
        """Where the user last dragged the timer window to."""
        return self.data_dir / "timer-window.json"

    @property
    def history_db(self) -> Path:
        return self.data_dir / "history.sqlite3"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "movebreak.log"

    def describe(self) -> list[tuple[str, Path]]:
        """(label, path) pairs for ``movebreak paths``."""
        return [
            ("config", self.config_file),
            ("data", self.data_dir),
            ("cache", self.cache_dir),
            ("logs", self.log_file),
        ]
