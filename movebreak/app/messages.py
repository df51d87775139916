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
from movebreak.core.words import Words
from movebreak.i18n import language
from movebreak.notify.base import Notice, NoticeKind


def prompt_actions(config: Config, words: Words | None = None) -> tuple[tuple[Command, str], ...]:
    """Start / Snooze N / Skip: the snooze button says what [prompts] snooze is."""
    say = words or language()
    snooze = speak_seconds(config.prompts.snooze.total_seconds(), say)
    return (
        (Start(), say.gettext("Start")),
        (Snooze(), say.gettext("Snooze {time}").format(time=snooze)),
        (Skip(), say.gettext("Skip")),
    )


def notice_for(event: Event, config: Config, words: Words | None = None) -> Notice | None:
    """The notification an event deserves, or None for events the tray shows alone."""
    if event.routine is None or event.routine not in config.routines:
        return None
    say = words or language()
    routine = config.routine(event.routine)
    timeout = config.prompts.notification_timeout
    title = notification_title(routine, event.rotation, say)
    if event.outcome is Outcome.PROMPTED:
        body = notification_body(routine, event.rotation, say)
        if event.source is Source.MEETING and event.detail:
            body = f"{event.detail}\n{body}"  # which call: the engine bounds the title
        return Notice(title, body, timeout, prompt_actions(config, say), NoticeKind.PROMPT)
    if event.outcome is Outcome.STARTED:
        return Notice(
            say.gettext("Started: {routine}").format(routine=title),
            notification_body(routine, event.rotation, say),
            timeout,
            (),
            NoticeKind.ROUTINE,
        )
    if event.outcome is Outcome.COMPLETED:
        return Notice(
            say.gettext("Done: {routine}").format(routine=routine.title),
            say.gettext("Nice work. Back to it."),
            timedelta(seconds=8),
            (),
            NoticeKind.ROUTINE,
        )
    return None


def config_problem_notice(problems: list[Problem], words: Words | None = None) -> Notice:
    """One notification for a broken config edit, naming file and line."""
    say = words or language()
    shown = [p.text(say) for p in problems[:3]]
    if len(problems) > 3:
        more = len(problems) - 3
        shown.append(say.ngettext("... and {count} more problem (movebreak config check)",
                                  "... and {count} more problems (movebreak config check)",
                                  more).format(count=more))
    shown.append(say.gettext("movebreak keeps running on the last good config."))
    return Notice(
        say.gettext("movebreak: the config has a problem"),
        "\n".join(shown),
        timedelta(seconds=30),
        (),
        NoticeKind.CONFIG,
    )
