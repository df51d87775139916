"""The tray menu as data: each entry's words, its command, and whether it can be chosen.

Pure, so the menu a person sees is tested without a desktop: ``tray/icon.py``
renders these entries with pystray, the desktop tests find their keyboard paths
through them, and a test holds the README's menu table to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from movebreak.core.commands import (
    Activate,
    Command,
    Done,
    OpenConfig,
    Pause,
    Quit,
    Resume,
    Skip,
    Snooze,
    Start,
    ToggleLogin,
)
from movebreak.core.state import Status
from movebreak.core.words import ENGLISH, N_, Words

if TYPE_CHECKING:
    from movebreak.core.config import Config
    from movebreak.core.view import TrayView

STARTING = N_("movebreak is starting…")
PAUSE_CHOICES: tuple[tuple[str, timedelta | None], ...] = (
    (N_("30 min"), timedelta(minutes=30)),
    (N_("1 hour"), timedelta(hours=1)),
    (N_("until tomorrow"), None),
)


@dataclass(frozen=True)
class MenuEntry:
    """One line of the menu; an empty label is a separator."""

    label: str
    command: Command | None = None  # None: a line of text, or a submenu's title
    enabled: bool = True
    checked: bool | None = None  # None: not a check item
    submenu: tuple[MenuEntry, ...] = ()
    default: bool = False  # what a left click on the icon does: not shown in the menu

    @property
    def separator(self) -> bool:
        return not self.label


SEPARATOR = MenuEntry("")


@dataclass(frozen=True)
class MenuChoices:
    """What the config puts in the menu: the two routines it names, the snooze lengths."""

    reset: str
    reset_title: str
    morning: str
    morning_title: str
    snooze: tuple[timedelta, ...]


def menu_choices(config: Config) -> MenuChoices:
    """What ``config`` puts in the menu."""
    reset, morning = config.reset.routine, config.morning.routine
    return MenuChoices(reset, config.routine(reset).title, morning,
                       config.routine(morning).title, config.prompts.snooze_choices)


def spoken(length: timedelta, words: Words = ENGLISH) -> str:
    """ "5 min", "1 h", "45 s" for menu items."""
    seconds = round(length.total_seconds())
    if seconds % 3600 == 0:
        return words.gettext("{hours} h").format(hours=seconds // 3600)
    if seconds % 60 == 0:
        return words.gettext("{minutes} min").format(minutes=seconds // 60)
    return words.gettext("{seconds} s").format(seconds=seconds)


def _lower_first(text: str) -> str:
    """ "2-minute reset" stays, "Morning routine" -> "morning routine", "HIIT" stays."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def _start(template: str, title: str, words: Words) -> str:
    """A "Start ... now" label: ``{routine}`` is the title lower-cased at its start, for
    inside a sentence (English, French, Spanish); ``{title}`` is it as written (German
    nouns keep their capital). A translation uses either."""
    return words.gettext(template).format(routine=_lower_first(title), title=title)


def starting_menu(words: Words = ENGLISH) -> tuple[MenuEntry, ...]:
    """Before the app behind the icon exists."""
    return (MenuEntry(words.gettext(STARTING), enabled=False), SEPARATOR,
            MenuEntry(words.gettext("Quit"), Quit()))


def tray_menu(
    view: TrayView,
    choices: MenuChoices,
    today: str = "",
    login: bool | None = None,
    words: Words = ENGLISH,
) -> tuple[MenuEntry, ...]:
    """The app's menu for ``view``; ``today`` is the day's tally line, ``login`` whether
    the app starts at login (None: that cannot be set up here, so no such item)."""
    say = words.gettext
    paused = view.status is Status.PAUSED
    snooze = tuple(MenuEntry(spoken(d, words), Snooze(d)) for d in choices.snooze)
    pause = tuple(MenuEntry(say(label), Pause(d)) for label, d in PAUSE_CHOICES)
    at_login = MenuEntry(words.gettext("Start at login"), ToggleLogin(), checked=login)
    login_item = () if login is None else (at_login,)
    return (
        MenuEntry(view.headline, enabled=False),
        *((MenuEntry(today, enabled=False),) if today else ()),
        MenuEntry("Left click", Activate(), default=True),  # never shown
        SEPARATOR,
        MenuEntry(_start(N_("Start a {routine} now"), choices.reset_title, words),
                  Start(choices.reset)),
        MenuEntry(_start(N_("Start the {routine} now"), choices.morning_title, words),
                  Start(choices.morning)),
        SEPARATOR,
        MenuEntry(words.gettext("Snooze"), submenu=snooze),
        MenuEntry(words.gettext("Skip this one"), Skip()),
        MenuEntry(words.gettext("Done"), Done()),
        SEPARATOR,
        MenuEntry(words.gettext("Pause"), submenu=pause, enabled=not paused),
        MenuEntry(words.gettext("Resume"), Resume(), enabled=paused),
        SEPARATOR,
        *login_item,
        MenuEntry(words.gettext("Open config file"), OpenConfig()),
        MenuEntry(words.gettext("Quit"), Quit()),
    )

