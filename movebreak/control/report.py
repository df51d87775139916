"""Pure helpers for the app's side of the channel: the status report and routine names.

The app's ControlTarget calls these under its controller's lock, so ``movebreak
status`` says exactly what the tray shows, and ``movebreak start reset`` starts the
same routine as the tray's "Start a 2-minute reset now".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from movebreak.config.model import Config
from movebreak.control.target import UnknownRoutine
from movebreak.core.engine import Engine
from movebreak.core.state import Status, TimetableState
from movebreak.core.view import TrayView


def resolve_routine(config: Config, name: str) -> str:
    """The routine id ``name`` stands for; raises UnknownRoutine listing the ids there are.

    "reset" and "morning" mean the routines the timetable uses for them (a config may
    point ``reset.routine`` at its own "eyes"); any other word must be a routine id.
    The check matters: the core starts whatever id it is given.
    """
    aliases = {"reset": config.reset.routine, "morning": config.morning.routine}
    routine_id = aliases.get(name, name)
    if routine_id not in config.routines:
        raise UnknownRoutine(name, sorted(config.routines))
    return routine_id


def status_report(
    engine: Engine, state: TimetableState, now: datetime, view: TrayView
) -> dict[str, Any]:
    """The StatusReport for ``state`` at ``now``: JSON-ready, times in the timetable's zone."""
    config = engine.config

    def local(moment: datetime) -> str:
        return moment.astimezone(engine.tz).isoformat(timespec="seconds")

    upcoming = engine.next_prompt(state, now)
    running = state.running
    paused = state.paused(now)
    return {
        "state": engine.status(state, now).value,
        "headline": view.headline,
        "next": (
            {
                "at": local(upcoming.at),
                "routine": upcoming.routine,
                "title": config.routine(upcoming.routine).title,
            }
            if upcoming is not None
            else None
        ),
        "running": (
            {
                "routine": running.routine,
                "title": config.routine(running.routine).title,
                "progress": view.progress if view.status is Status.RUNNING else None,
            }
            if running is not None
            else None
        ),
        "paused": paused,
        "paused_until": local(state.paused_until) if paused and state.paused_until else None,
        "routines": sorted(config.routines),
    }
