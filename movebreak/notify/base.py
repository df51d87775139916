"""The notifier interface the app talks to, and a chain that falls back in order."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum
from pathlib import Path
from typing import Protocol

from movebreak.core.commands import Command

log = logging.getLogger(__name__)


class NoticeKind(Enum):
    """What a notice is about: a new notice replaces the one of its kind still shown."""

    PROMPT = "prompt"  # a routine is due: Start / Snooze / Skip
    STEP = "step"  # a guided step, where there is no timer window: Next / Pause / Done
    ROUTINE = "routine"  # a routine started or was done
    CONFIG = "config"  # the config file has a problem


@dataclass(frozen=True)
class Notice:
    """One notification. ``actions`` are buttons with their labels, where the desktop can;
    a click on the notice itself does what the first button does."""

    title: str
    body: str
    timeout: timedelta = timedelta(seconds=30)
    actions: tuple[tuple[Command, str], ...] = field(default_factory=tuple)
    kind: NoticeKind | None = None  # None: a one-off that replaces nothing
    picture: Path | None = None  # a step's picture, where the server shows images


class Notifier(Protocol):
    """Shows notices; returns False when it could not (so the next one is tried)."""

    name: str

    def show(self, notice: Notice) -> bool: ...


class FallbackNotifier:
    """Tries each notifier in turn; logs once per notifier that stops working."""

    name = "fallback"

    def __init__(self, notifiers: Sequence[Notifier]) -> None:
        self._notifiers = list(notifiers)
        self._failed: set[str] = set()

    def show(self, notice: Notice) -> bool:
        for notifier in self._notifiers:
            try:
                if notifier.show(notice):
                    return True
            except Exception as error:  # a broken desktop service must not stop the app
                if notifier.name not in self._failed:
                    log.warning("notifications through %s failed: %s", notifier.name, error)
                    self._failed.add(notifier.name)
        log.warning("no notifier could show: %s", notice.title)
        return False


class LogNotifier:
    """The last resort: the prompt goes to the log (and the tray shows it as due)."""

    name = "log"

    def show(self, notice: Notice) -> bool:
        log.info("prompt (no notification service): %s | %s", notice.title, notice.body)
        return True
