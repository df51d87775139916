"""Reload the config when its file changes, from OS file events (``watch.files``), not polling.

Any event naming the file counts (see ``watch.files`` for why the folder is watched);
a short debounce turns one save's burst of events into one reload. The same text is
never reloaded twice, so a broken edit is reported once, not once per event.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from movebreak.config.errors import ConfigError
from movebreak.config.loader import config_from_text, default_config, read_config_text
from movebreak.config.model import Config

if TYPE_CHECKING:
    from movebreak.watch.files import FolderWatch

log = logging.getLogger(__name__)
DEBOUNCE_SECONDS = 0.25
_UNREADABLE = "\0unreadable: "  # never the text of a file that decoded


class ConfigReloader:
    """Reads the file and hands a good config or its problems to the app."""

    def __init__(
        self, path: Path, use: Callable[[Config], None], failed: Callable[[ConfigError], None]
    ) -> None:
        self.path = path
        self._use = use
        self._failed = failed
        self._last_text: str | None = None  # what was last loaded (configs are small)

    def load(self) -> Config | None:
        """Load now; returns the config it used, or None when the file is broken."""
        try:
            text = read_config_text(self.path)
        except ConfigError as error:  # not a file we can read: say so once, keep the last
            log.error("config: %s", error)
            said = _UNREADABLE + str(error)
            if self._last_text != said:
                self._last_text = said
                self._failed(error)
            return None
        if (text or "") == self._last_text:
            return None
        self._last_text = text or ""
        try:
            config = (
                config_from_text(text, str(self.path)) if text is not None else default_config()
            )
        except ConfigError as error:
            self._failed(error)
            return None
        for note in config.notes:  # e.g. a step's picture that cannot be read: none shown
            log.warning("config: %s", note)
        self._use(config)
        return config


class ConfigWatcher:
    """Watches the config's folder and calls ``on_change`` after a quiet moment."""

    def __init__(self, path: Path, on_change: Callable[[], object]) -> None:
        self.path = path
        self._on_change = on_change
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._watch: FolderWatch | None = None

    def start(self) -> None:
        from movebreak.watch.files import watch_folder  # after the icon (see App._ready)

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._watch = watch_folder(self.path.parent, self._touched)
        self._watch.start()

    def _touched(self, name: str) -> None:
        if name == self.path.name:
            self._poke()

    def _poke(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(DEBOUNCE_SECONDS, self._fire)
            self._timer.daemon = True
            self._timer.start()

    def _fire(self) -> None:
        try:
            self._on_change()
        except Exception:
            log.exception("config reload failed")

    def stop(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
        if self._watch is not None:
            self._watch.stop()
