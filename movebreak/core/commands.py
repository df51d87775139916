"""The user's commands as data: one vocabulary for every surface of the running app.

A tray item, a notification button, a timer-window button and a line on the control
channel all become one of these frozen values; the controller's ``handle`` applies
it (the timetable's part through ``Engine.apply``, see ``user_actions``). Each class
says once how it is spelled as text (``verb`` and its argument), what it does to a
guided routine in progress, and how the CLI describes it: ``parse`` and ``spell``
read that table, so the control protocol, the notification keys and the window's
messages share it. Adding a verb means a class here, its effect in the core, and
the surface that offers it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum
from typing import Any, ClassVar, Protocol

from movebreak.core.durations import DurationError, format_duration, parse_duration
from movebreak.core.outcome import Outcome
from movebreak.core.words import N_

UNTIL_TOMORROW = "until-tomorrow"
# Longer than this is a typo, and much longer would overflow the date arithmetic.
MAX_LENGTH = timedelta(days=365)
MAX_ROUTINE_ID_CHARS = 100


class InRoutine(Enum):
    """What a command does to a guided routine in progress."""

    STEP = "step"  # the routine takes it (next step, hold); nothing when none runs
    ENDS = "ends"  # the routine ends by it (skip, done, snooze); else the timetable takes it
    SKIPS = "skips"  # the routine is skipped first, then the command applies (start)
    DROPS = "drops"  # dropped quietly, its steps reported with the command (pause)
    LEAVES = "leaves"  # untouched


class CommandError(ValueError):
    """A verb nobody knows, or an argument that does not fit it (words for a person)."""

    def __init__(self, message: str, unknown: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.unknown = unknown


@dataclass(frozen=True)
class _Verb:
    """The defaults: a verb with no argument that leaves a running routine alone."""

    verb: ClassVar[str]
    needs: ClassVar[str] = ""  # the argument the control channel requires ("" takes none)
    metavar: ClassVar[str] = ""  # how the CLI's usage line shows that argument
    remote: ClassVar[bool] = True  # offered on the control channel and as a CLI command
    help: ClassVar[str] = ""  # the CLI's help line
    said: ClassVar[str] = N_("OK.")  # the CLI's confirmation, translated where printed
    in_routine: ClassVar[InRoutine] = InRoutine.LEAVES

    @classmethod
    def parse(cls, argument: str | None) -> Command:
        if argument is not None:
            raise CommandError(f"{cls.verb} takes no argument")
        return cls()  # type: ignore[return-value]

    def argument(self) -> str | None:
        return None


def _length(verb: str, argument: str) -> timedelta:
    try:
        length = parse_duration(argument)
    except (DurationError, OverflowError) as error:
        message = str(error) if isinstance(error, DurationError) else "that duration is too long"
        raise CommandError(f"{verb}: {message}") from None
    if length > MAX_LENGTH:
        raise CommandError(f"{verb}: at most 365 days, please")
    return length


# ----- the control channel's own ---------------------------------------------
@dataclass(frozen=True)
class Ping(_Verb):
    """Is the app there (answered without touching it)."""

    verb = "ping"


@dataclass(frozen=True)
class Status(_Verb):
    verb = "status"
    help = "what is next, what runs, paused or not (of the running app)"


@dataclass(frozen=True)
class Quit(_Verb):
    verb = "quit"
    help = "quit the running app"
    said = N_("movebreak is quitting.")


# ----- the timetable ----------------------------------------------------------
@dataclass(frozen=True)
class Start(_Verb):
    """Start ``routine`` (an id, or "reset" / "morning"); None: the prompt that is due."""

    routine: str | None = None
    verb = "start"
    needs = "a routine id (reset, morning, ...)"
    metavar = "ROUTINE"
    help = "start a routine now: reset, morning or any routine id"
    in_routine = InRoutine.SKIPS

    @classmethod
    def parse(cls, argument: str | None) -> Command:
        if argument is not None and (
            len(argument) > MAX_ROUTINE_ID_CHARS or not argument.isprintable()
        ):
            raise CommandError(f"not a routine id: {argument[:40]!r}")
        return cls(argument)

    def argument(self) -> str | None:
        return self.routine


@dataclass(frozen=True)
class Snooze(_Verb):
    """Offer the prompt again after ``length``; None: the config's ``[prompts] snooze``."""

    length: timedelta | None = None
    verb = "snooze"
    needs = 'a duration such as "10m"'
    metavar = "DURATION"
    help = "snooze the prompt that is due, e.g. `snooze 10m`"
    in_routine = InRoutine.ENDS

    @classmethod
    def parse(cls, argument: str | None) -> Command:
        return cls(None if argument is None else _length(cls.verb, argument))

    def argument(self) -> str | None:
        return None if self.length is None else format_duration(self.length)


@dataclass(frozen=True)
class Skip(_Verb):
    verb = "skip"
    help = "skip the prompt that is due"
    said = N_("Skipped.")
    in_routine = InRoutine.ENDS


@dataclass(frozen=True)
class Done(_Verb):
    verb = "done"
    help = "mark the prompt (or the running routine) done"
    said = N_("Marked done.")
    in_routine = InRoutine.ENDS


@dataclass(frozen=True)
class Pause(_Verb):
    """Hold every prompt for ``length``; None: until tomorrow."""

    length: timedelta | None = None
    verb = "pause"
    needs = f'a duration such as "1h", or "{UNTIL_TOMORROW}"'
    metavar = f"DURATION|{UNTIL_TOMORROW}"
    help = f"hold every prompt: `pause 1h` or `pause {UNTIL_TOMORROW}`"
    said = N_("Paused until tomorrow.")
    in_routine = InRoutine.DROPS

    @classmethod
    def parse(cls, argument: str | None) -> Command:
        if argument is None or argument == UNTIL_TOMORROW:
            return cls(None)
        return cls(_length(cls.verb, argument))

    def argument(self) -> str:
        return UNTIL_TOMORROW if self.length is None else format_duration(self.length)


@dataclass(frozen=True)
class Resume(_Verb):
    verb = "resume"
    help = "end a pause"
    said = N_("Resumed.")


# ----- a guided routine, the tray and the app ------------------------------------
@dataclass(frozen=True)
class Next(_Verb):
    """The running routine's next step."""

    verb = "next"
    remote = False
    in_routine = InRoutine.STEP


@dataclass(frozen=True)
class Hold(_Verb):
    """Pause or go on with the running routine's timer (the window's Pause button)."""

    verb = "hold"
    remote = False
    in_routine = InRoutine.STEP


@dataclass(frozen=True)
class Activate(_Verb):
    """A left click on the icon: start what is due, else say what is next."""

    verb = "activate"
    remote = False


@dataclass(frozen=True)
class OpenConfig(_Verb):
    verb = "open-config"
    remote = False


@dataclass(frozen=True)
class ToggleLogin(_Verb):
    """Start at login, or no longer."""

    verb = "toggle-login"
    remote = False


Command = (
    Ping | Status | Start | Snooze | Skip | Done | Pause | Resume | Quit
    | Next | Hold | Activate | OpenConfig | ToggleLogin
)

VERBS: dict[str, type[Command]] = {
    kind.verb: kind
    for kind in (
        Ping, Status, Start, Snooze, Skip, Done, Pause, Resume, Quit,
        Next, Hold, Activate, OpenConfig, ToggleLogin,
    )
}
"""Every command by its verb, in the order people are told them."""


def parse(verb: str, argument: str | None = None, *, remote: bool = False) -> Command:
    """The command ``verb`` with ``argument`` names; raises CommandError.

    ``remote``: as the control channel takes it, where only its verbs are known and
    an argument a verb ``needs`` must be given (a button's "snooze" means the default).
    """
    kind = VERBS.get(verb)
    if kind is None or (remote and not kind.remote):
        known = ", ".join(name for name, k in VERBS.items() if k.remote)
        raise CommandError(f"unknown command {verb!r}; known: {known}", unknown=True)
    if remote and kind.needs and (not isinstance(argument, str) or not argument.strip()):
        raise CommandError(f"{verb} needs {kind.needs}")
    return kind.parse(argument)


def spell(command: Command) -> tuple[str, str | None]:
    """``command`` as its verb and argument: what ``parse`` reads back."""
    return command.verb, command.argument()


@dataclass(frozen=True)
class Reply:
    """What came of a command: for ``Status`` the report, else nothing to say."""

    data: dict[str, Any] = field(default_factory=dict)


class Handler(Protocol):
    """Whatever takes the user's commands: the app, as the tray and the control
    channel see it. Calls should return quickly; ``Start`` of an unknown routine
    raises KeyError (``control.target.UnknownRoutine``, naming the known ones)."""

    def handle(self, command: Command) -> Reply: ...


_ENDINGS: dict[Outcome, Command] = {
    Outcome.COMPLETED: Done(),
    Outcome.SKIPPED: Skip(),
    Outcome.SNOOZED: Snooze(),
}


def ending(outcome: Outcome) -> Command:
    """The command a guided routine's end (one of ``SESSION_ENDINGS``) stands for, as
    the timetable hears it."""
    return _ENDINGS[outcome]
