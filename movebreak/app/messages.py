"""The words of each notification, built from core events (pure functions)."""

from __future__ import annotations

from datetime import timedelta

from movebreak.config.errors import Problem
from movebreak.config.model import Config
from movebreak.core.commands import Command, Skip, Snooze, Start
from movebreak.core.durations import speak_seconds
from movebreak.core.events import Event, Outcome
from movebreak.core.routines import notification_body, notification_title
from movebreak.core.state import Source
from movebreak.notify.base import Notice, NoticeKind


def prompt_actions(config: Config) -> tuple[tuple[Command, str], ...]:
    """Start / Snooze N / Skip: the snooze button says what [prompts] snooze is."""
    snooze = speak_seconds(config.prompts.snooze.total_seconds())
    return ((Start(), "Start"), (Snooze(), f"Snooze {snooze}"), (Skip(), "Skip"))


def notice_for(event: Event, config: Config) -> Notice | None:
    """The notification an event deserves, or None for events the tray shows alone."""
    if event.routine is None or event.routine not in config.routines:
        return None
    routine = config.routine(event.routine)
    timeout = config.prompts.notification_timeout
    if event.outcome is Outcome.PROMPTED:
        body = notification_body(routine, event.rotation)
        if event.source is Source.MEETING and event.detail:
            body = f"{event.detail}\n{body}"  # which call: the engine bounds the title
        return Notice(
            notification_title(routine, event.rotation),
            body,
            timeout,
            prompt_actions(config),
            NoticeKind.PROMPT,
        )
    if event.outcome is Outcome.STARTED:
        return Notice(
            f"Started: {notification_title(routine, event.rotation)}",
            notification_body(routine, event.rotation),
            timeout,
            (),
            NoticeKind.ROUTINE,
        )
    if event.outcome is Outcome.COMPLETED:
        return Notice(
            f"Done: {routine.title}",
            "Nice work. Back to it.",
            timedelta(seconds=8),
            (),
            NoticeKind.ROUTINE,
        )
    return None


def config_problem_notice(problems: list[Problem]) -> Notice:
    """One notification for a broken config edit, naming file and line."""
    shown = [str(p) for p in problems[:3]]
    if len(problems) > 3:
        shown.append(f"... and {len(problems) - 3} more (movebreak config check)")
    shown.append("movebreak keeps running on the last good config.")
    return Notice(
        "movebreak: the config has a problem",
        "\n".join(shown),
        timedelta(seconds=30),
        (),
        NoticeKind.CONFIG,
    )
