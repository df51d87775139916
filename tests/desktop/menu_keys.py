"""Keyboard paths through the tray menu, derived from the menu's own data (``core/menu.py``).

A GTK menu just opened has nothing selected: Down lands on the first item the
keyboard can reach (shown, enabled, not a separator), Up on the last; Right opens
a submenu with its first item selected. So a path is counted, not written down,
and a new tray item moves no test's keys.
"""

from __future__ import annotations

from movebreak.config.loader import config_from_text
from movebreak.core.menu import MenuEntry, menu_choices, tray_menu
from movebreak.core.state import Status
from movebreak.core.view import TrayView


def menu_for(config_text: str, status: Status = Status.WAITING) -> tuple[MenuEntry, ...]:
    """The app's menu under ``config_text`` while its icon shows ``status``."""
    config = config_from_text(config_text, "config.toml")
    return tray_menu(TrayView(status, "Next: ...", "movebreak"), menu_choices(config))


def reachable(entries: tuple[MenuEntry, ...]) -> list[MenuEntry]:
    return [e for e in entries if e.enabled and not e.separator and not e.default]


def keys_to(entries: tuple[MenuEntry, ...], *labels: str) -> tuple[str, ...]:
    """The presses that select the entry at ``labels`` (a submenu's title, then its item)."""
    keys: list[str] = []
    for depth, label in enumerate(labels):
        items = reachable(entries)
        found = [i for i, e in enumerate(items) if e.label == label]
        if not found:
            raise KeyError(f"{label!r} cannot be reached; reachable: {[e.label for e in items]}")
        index = found[0]
        if depth > 0:
            keys += ["Down"] * index  # Right selected the first item already
        elif index == len(items) - 1:
            keys.append("Up")
        else:
            keys += ["Down"] * (index + 1)
        if items[index].submenu:
            keys.append("Right")
            entries = items[index].submenu
    return tuple(keys)
