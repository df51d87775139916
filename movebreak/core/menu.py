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

if TYPE_CHECKING:
    from movebreak.core.config import Config
    from movebreak.core.view import TrayView

STARTING = "movebreak is starting…"
PAUSE_CHOICES: tuple[tuple[str, timedelta | None], ...] = (
    ("30 min", timedelta(minutes=30)),
    ("1 hour", timedelta(hours=1)),
    ("until tomorrow", None),
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


def spoken(length: timedelta) -> str:
    """ "5 min", "1 h", "45 s" for menu items."""
    seconds = round(length.total_seconds())
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    return f"{seconds // 60} min" if seconds % 60 == 0 else f"{seconds} s"


def _lower_first(text: str) -> str:
    """ "2-minute reset" stays, "Morning routine" -> "morning routine", "HIIT" stays."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


STARTING_MENU = (MenuEntry(STARTING, enabled=False), SEPARATOR, MenuEntry("Quit", Quit()))
"""Before the app behind the icon exists."""


def tray_menu(
    view: TrayView, choices: MenuChoices, today: str = "", login: bool | None = None
) -> tuple[MenuEntry, ...]:
    """The app's menu for ``view``; ``today`` is the day's tally line, ``login`` whether
    the app starts at login (None: that cannot be set up here, so no such item)."""
    paused = view.status is Status.PAUSED
    snooze = tuple(MenuEntry(spoken(d), Snooze(d)) for d in choices.snooze)
    pause = tuple(MenuEntry(label, Pause(d)) for label, d in PAUSE_CHOICES)
    at_login = MenuEntry("Start at login", ToggleLogin(), checked=login)
    login_item = () if login is None else (at_login,)
    return (
        MenuEntry(view.headline, enabled=False),
        *((MenuEntry(today, enabled=False),) if today else ()),
        MenuEntry("Left click", Activate(), default=True),
        SEPARATOR,
        MenuEntry(f"Start a {_lower_first(choices.reset_title)} now", Start(choices.reset)),
        MenuEntry(f"Start the {_lower_first(choices.morning_title)} now", Start(choices.morning)),
        SEPARATOR,
        MenuEntry("Snooze", submenu=snooze),
        MenuEntry("Skip this one", Skip()),
        MenuEntry("Done", Done()),
        SEPARATOR,
        MenuEntry("Pause", submenu=pause, enabled=not paused),
        MenuEntry("Resume", Resume(), enabled=paused),
        SEPARATOR,
        *login_item,
        MenuEntry("Open config file", OpenConfig()),
        MenuEntry("Quit", Quit()),
    )

