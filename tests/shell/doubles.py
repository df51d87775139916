"""Test doubles for the app's own ports (clock, timer, notifier), not for outside services.

The controller talks to these small interfaces; the end-to-end tests use the real
ones against a real notification server and tray host.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from movebreak.notify.base import Notice


class ManualClock:
    """A clock that moves only when told."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class ManualTimer:
    """Records the wake-up the controller asked for; ``fire_due`` plays the scheduler."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.when: datetime | None = None
        self.callback = None

    def set(self, when: datetime | None) -> None:
        self.when = when

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def run_until(self, moment: datetime, controller) -> None:
        """Advance the clock to ``moment``, firing every wake-up on the way at its time."""
        while self.when is not None and self.when <= moment:
            self.clock.current = self.when
            self.when = None
            controller.tick()
        self.clock.current = moment


class RecordingNotifier:
    name = "recording"

    def __init__(self) -> None:
        self.shown: list[Notice] = []

    def show(self, notice: Notice) -> bool:
        self.shown.append(notice)
        return True
