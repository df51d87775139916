"""Where the running notification server draws: its name, and for dunst and mako their config.

dunst and mako let the user move their notifications (``origin``, ``anchor``). Their
config is cheap to read: the file given with ``-config`` / ``-c`` on the server's
command line (found through its process id on the bus), else the XDG config folders.
dunst's ``dunstrc.d`` drop-ins and mako's per-output settings are not read: the
corner they set, if any, is the main file's or the default one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from movebreak.core.placement import Anchor, dunst_anchor, mako_anchor, server_anchor

_CONFIG: dict[str, tuple[tuple[str, ...], str, Callable[[str], Anchor | None]]] = {
    # server: (command-line options naming the config, XDG path, parser)
    "dunst": (("-config", "-conf"), "dunst/dunstrc", dunst_anchor),
    "mako": (("-c", "--config"), "mako/config", mako_anchor),
}


def _config_dirs(env: dict[str, str] | os._Environ[str]) -> list[Path]:
    home = Path(env.get("HOME", "~")).expanduser()
    first = env.get("XDG_CONFIG_HOME") or str(home / ".config")
    rest = (env.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(":")
    return [Path(p) for p in (first, *rest) if p]


def _named_config(argv: Sequence[str], options: tuple[str, ...]) -> Path | None:
    for i, arg in enumerate(argv):
        if arg in options and i + 1 < len(argv):
            return Path(argv[i + 1])
        for option in options:
            if option.startswith("--") and arg.startswith(option + "="):
                return Path(arg.split("=", 1)[1])
    return None


def _cmdline(pid: int | None) -> list[str]:
    if pid is None:
        return []
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode("utf-8", "replace") for part in raw.split(b"\0") if part]


def notification_anchor(
    name: str | None, pid: int | None = None, env: dict[str, str] | None = None
) -> Anchor:
    """Where the server called ``name`` (process ``pid``) puts its notifications."""
    default = server_anchor(name)
    key = (name or "").strip().lower()
    if key not in _CONFIG:
        return default
    options, relative, parse = _CONFIG[key]
    named = _named_config(_cmdline(pid), options)
    candidates = [named] if named else [d / relative for d in _config_dirs(env or os.environ)]
    for path in candidates:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        return parse(text) or default
    return default
