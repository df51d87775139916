"""Linux (and other XDG desktops): a ``.desktop`` file in ``$XDG_CONFIG_HOME/autostart/``.

Every desktop that follows the XDG Autostart spec (GNOME, KDE, Xfce, Cinnamon, MATE,
LXQt, and ``dex`` on bare window managers) starts the files in that folder at login.
The desktop's own "Startup Applications" switch turns an entry off without deleting it
by writing ``Hidden=true`` or ``X-GNOME-Autostart-enabled=false`` into the same file;
we read both so that switch shows up as DISABLED_BY_SYSTEM.

The ``Exec`` line follows the Desktop Entry spec's two layers of escaping: arguments
with reserved characters are double-quoted (``"``, `` ` ``, ``$`` and ``\\`` escaped
inside), ``%`` becomes ``%%`` (it starts field codes), and then the value as a whole
gets the string escapes (``\\`` for a backslash, ``\\n`` for a newline).

A program whose path holds ``%`` cannot be the first word: GLib looks the program up
(and drops the whole entry when it is not found) *before* it turns ``%%`` back into
``%``. Such a program is started through ``/bin/sh -c 'exec "$0" "$@"'``, whose own
path is plain; the ``%%`` in its arguments is undone as for any argument. Not
``env``: it would take a path holding ``=`` for a variable.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path

from movebreak.autostart.base import APP_NAME, EntryState
from movebreak.storage.atomic import write_atomic

FILE_NAME = f"{APP_NAME}.desktop"
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_QUOTED_ESCAPES = {'"': '\\"', "`": "\\`", "$": "\\$", "\\": "\\\\"}
_STRING_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def quote_exec_argument(argument: str) -> str:
    """One argument as the Exec key wants it (before the value's string escapes)."""
    argument = argument.replace("%", "%%")
    if argument and not (_RESERVED & set(argument)):
        return argument
    return '"' + "".join(_QUOTED_ESCAPES.get(c, c) for c in argument) + '"'


SHELL_EXEC = ("/bin/sh", "-c", 'exec "$0" "$@"')


def exec_argv(argv: tuple[str, ...]) -> tuple[str, ...]:
    """The words to write: ``argv``, behind a plain-named shell when argv[0] holds ``%``."""
    if argv and "%" in argv[0]:
        return (*SHELL_EXEC, *argv)
    return argv


def exec_value(argv: tuple[str, ...]) -> str:
    """The full ``Exec=`` value: quoted arguments, then string-escaped as a whole."""
    argv = exec_argv(argv)
    line = " ".join(quote_exec_argument(a) for a in argv)
    return "".join(_STRING_ESCAPES.get(c, c) for c in line)


def desktop_entry(argv: tuple[str, ...]) -> str:
    """The autostart file's text. Valid under ``desktop-file-validate`` (tested)."""
    return "\n".join([
        "# Written by `movebreak autostart enable`; `movebreak autostart disable` removes it.",
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.0",
        f"Name={APP_NAME}",
        "GenericName=Movement reminders",
        "Comment=Prompts you to stand up and move while you work at the computer",
        f"Exec={exec_value(argv)}",
        "Terminal=false",
        "StartupNotify=false",
        "X-GNOME-Autostart-enabled=true",
        # KDE: start after the panel, so the tray exists when the icon asks for it.
        "X-KDE-autostart-phase=2",
        "",
    ])


def read_entry_keys(text: str) -> dict[str, str]:
    """The ``[Desktop Entry]`` group's plain keys (localized ``Key[xx]`` ones skipped)."""
    keys: dict[str, str] = {}
    in_group = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            in_group = line == "[Desktop Entry]"
            continue
        key, sep, value = line.partition("=")
        key = key.strip()
        if in_group and sep and "[" not in key:
            keys[key] = value.strip()
    return keys


def entry_state_of(text: str) -> EntryState:
    """ACTIVE unless the desktop's switch (``Hidden``, GNOME's ``...-enabled``) says off."""
    keys = read_entry_keys(text)
    if keys.get("Hidden", "").lower() == "true":
        return EntryState.SWITCHED_OFF
    if keys.get("X-GNOME-Autostart-enabled", "").lower() == "false":
        return EntryState.SWITCHED_OFF
    return EntryState.ACTIVE


def config_home(env: Mapping[str, str]) -> Path:
    """``$XDG_CONFIG_HOME``, or ``~/.config`` when unset or relative (as the spec says)."""
    value = env.get("XDG_CONFIG_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    home = env.get("HOME") or str(Path.home())
    return Path(home) / ".config"


class XdgAutostart:
    """``AutostartBackend`` writing ``<config home>/autostart/movebreak.desktop``."""

    name = "xdg"
    system_switch = "your desktop's Startup Applications settings"

    def __init__(self, autostart_dir: Path) -> None:
        self.path = autostart_dir / FILE_NAME

    @classmethod
    def for_env(cls, env: Mapping[str, str]) -> XdgAutostart:
        return cls(config_home(env) / "autostart")

    @property
    def location(self) -> str:
        return str(self.path)

    def entry(self) -> EntryState:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return EntryState.ABSENT
        return entry_state_of(text)

    def install(self, argv: tuple[str, ...]) -> None:
        write_atomic(self.path, desktop_entry(argv))

    def remove(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
