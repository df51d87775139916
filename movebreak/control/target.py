"""What the running app offers the control channel: the user's commands, and a report.

The server only ever hands the app commands, so the channel can be tested with a
recording double and the app stays free to change how it does each thing.
"""

from __future__ import annotations

from typing import TypedDict

from movebreak.core.commands import Handler


class NextPrompt(TypedDict):
    at: str  # ISO 8601 with the UTC offset, in the timetable's zone
    routine: str
    title: str


class RunningRoutine(TypedDict):
    routine: str
    title: str
    progress: float | None  # 0..1, None when unknown


class StatusReport(TypedDict, total=False):
    """The shape of ``Status``'s reply data; ``movebreak status`` prints these keys.

    Every key is optional for the channel (the CLI prints what is there); more keys
    are passed through to ``status --json`` untouched.
    """

    state: str  # a movebreak.core.state.Status value: waiting, due, running, paused, meeting
    headline: str  # the tray's first line, e.g. "Next: 2-minute reset at 10:50"
    next: NextPrompt | None
    running: RunningRoutine | None
    paused: bool
    paused_until: str | None  # ISO 8601
    routines: list[str]  # the routine ids ``start`` accepts, named when an id is unknown


class UnknownRoutine(KeyError):
    """``Start`` got an id that no routine has; ``known`` lists the ids that exist."""

    def __init__(self, routine_id: str, known: list[str]) -> None:
        super().__init__(routine_id)
        self.routine_id = routine_id
        self.known = list(known)


ControlTarget = Handler
"""The running app, as the control channel sees it: it takes ``core.commands`` values.

Commands arrive on the server's thread, one at a time; each should return quickly
(the client waits about two seconds). Anything raised becomes an error reply; a
``Start`` of an unknown routine raises KeyError (better, UnknownRoutine). ``Status``
answers with a JSON-ready report, ideally a StatusReport; ``Quit`` comes after the
reply went out and must not block.
"""
