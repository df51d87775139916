"""The tray menu as data: its words and commands, the paused state, and the README's table."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from movebreak.config.loader import default_config
from movebreak.core.commands import (
    VERBS,
    Activate,
    Done,
    Hold,
    Next,
    OpenConfig,
    Pause,
    Quit,
    Resume,
    Skip,
    Snooze,
    Start,
    ToggleLogin,
    parse,
    spell,
)
from movebreak.core.menu import MenuEntry, menu_choices, tray_menu
from movebreak.core.state import Status
from movebreak.core.view import TrayView

README = Path(__file__).parents[2] / "README.md"
CHOICES = menu_choices(default_config())


def menu(status: Status = Status.WAITING, today: str = "", login: bool | None = None):
    return tray_menu(TrayView(status, "Next: 2-minute reset at 10:50", "tip"), CHOICES, today,
                     login)


def shown(entries: tuple[MenuEntry, ...]) -> list[MenuEntry]:
    return [e for e in entries if not e.separator and not e.default]


def test_every_item_carries_the_command_it_stands_for():
    entries = menu()
    by_label = {e.label: e for e in shown(entries)}
    assert [e.label for e in shown(entries)] == [
        "Next: 2-minute reset at 10:50", "Start a 2-minute reset now",
        "Start the morning routine now", "Snooze", "Skip this one", "Done", "Pause", "Resume",
        "Open config file", "Quit",
    ]
    assert by_label["Start a 2-minute reset now"].command == Start(CHOICES.reset)
    assert by_label["Start the morning routine now"].command == Start(CHOICES.morning)
    assert [(e.label, e.command) for e in by_label["Snooze"].submenu] == [
        ("5 min", Snooze(timedelta(minutes=5))), ("10 min", Snooze(timedelta(minutes=10))),
        ("30 min", Snooze(timedelta(minutes=30))),
    ]
    assert [(e.label, e.command) for e in by_label["Pause"].submenu] == [
        ("30 min", Pause(timedelta(minutes=30))), ("1 hour", Pause(timedelta(hours=1))),
        ("until tomorrow", Pause(None)),
    ]
    assert [by_label[k].command for k in ("Skip this one", "Done", "Resume", "Quit")] == [
        Skip(), Done(), Resume(), Quit()]
    assert by_label["Open config file"].command == OpenConfig()
    [default] = [e for e in entries if e.default]
    assert default.command == Activate()
    assert not entries[0].enabled and entries[0].command is None


def test_pause_and_resume_take_turns():
    def enabled(status: Status) -> dict[str, bool]:
        return {e.label: e.enabled for e in menu(status) if e.label in ("Pause", "Resume")}

    assert enabled(Status.WAITING) == {"Pause": True, "Resume": False}
    assert enabled(Status.PAUSED) == {"Pause": False, "Resume": True}


def test_the_days_tally_and_start_at_login_show_only_where_there_is_one():
    assert [e.label for e in menu(today="Today: 2 of 8 resets")[:2]] == [
        "Next: 2-minute reset at 10:50", "Today: 2 of 8 resets"]
    assert "Start at login" not in [e.label for e in menu()]
    [login] = [e for e in menu(login=True) if e.label == "Start at login"]
    assert login.command == ToggleLogin() and login.checked is True
    assert [e.checked for e in menu(login=False) if e.label == "Start at login"] == [False]


def test_every_command_spells_and_reads_back():
    samples = [Start("reset"), Start(), Snooze(timedelta(minutes=10)), Snooze(), Pause(None),
               Pause(timedelta(hours=1)), Next(), Hold()]
    for command in samples + [kind() for kind in VERBS.values()]:
        assert parse(*spell(command)) == command


def _readme_rows() -> list[str]:
    text = README.read_text(encoding="utf-8")
    table = text.split("## Using it", 1)[1].split("The tray menu:", 1)[1].strip()
    rows = []
    for line in table.splitlines():
        if not line.startswith("|"):
            break
        rows.append(line.split("|")[1].strip())
    return rows[2:]  # past the header and its rule


def _spelled_out(part: str) -> list[str]:
    """ "5 / 10 / 30 min" -> 5 min, 10 min, 30 min; "30 min / 1 hour" stays as it is."""
    items = part.split(" / ")
    unit = items[-1].split(" ", 1)[1] if " " in items[-1] else ""
    return [i if " " in i or not unit else f"{i} {unit}" for i in items]


def test_the_readmes_menu_table_is_the_menu():
    rows = _readme_rows()
    assert re.fullmatch(r"\*Next: .*\*", rows[0]), rows[0]  # the headline, a disabled line
    entries = shown(menu(login=True))
    assert not entries[0].enabled
    readme: list[tuple[str, list[str]]] = []
    for row in rows[1:]:
        for item in row.split(" · "):
            title, _, submenu = (part.strip() for part in item.partition("▸"))
            readme.append((title, _spelled_out(submenu) if submenu else []))
    assert readme == [(e.label, [s.label for s in e.submenu]) for e in entries[1:]]
