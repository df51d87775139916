"""The line protocol between the app and the timer window: one JSON object per line.

App to window: ``place`` (first: where notifications are drawn, and the file that
remembers where the user put the window), ``show`` (what to display, with the
countdown as seconds left; the window counts down on its own between messages),
``end`` (a short "done" state, then the window closes itself) and ``close``.
Window to app: ``{"action": ...}`` for each button or shortcut: the verb of its
command (``core/commands.py``). Pure functions, shared by both sides and tested alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from movebreak.core.commands import Command, Done, Hold, Next, Skip, Snooze, parse
from movebreak.core.placement import Anchor
from movebreak.core.session_events import SessionView
from movebreak.core.words import ENGLISH, N_, Words
from movebreak.guide.pictures import picture_path

# The window's buttons: what each sends, its label, and its keyboard shortcuts.
BUTTONS: tuple[tuple[Command, str, tuple[str, ...]], ...] = (
    (Hold(), N_("Pause"), ("<space>",)),
    (Next(), N_("Next"), ("n", "<Right>")),
    (Snooze(), N_("Snooze"), ("s",)),
    (Skip(), N_("Skip"), ("k",)),
    (Done(), N_("Done"), ("d", "<Return>")),
)


def show_message(
    view: SessionView, cue: str | None = None, words: Words = ENGLISH
) -> dict[str, Any]:
    """The ``show`` message for ``view``; ``cue`` is a transient banner (e.g. switch sides).

    Its text is said in ``words`` (the view's dose already is: see ``Session.view``).
    """
    return {
        "kind": "show",
        "routine": view.routine_title,
        "step": view.step_name,
        "dose": view.dose,
        "instruction": view.instruction,
        "picture": str(picture_path(view.image) or ""),
        "position": view.position(words),
        "side": view.side.label(words),
        "remaining": view.remaining_seconds - view.overtime_seconds,
        "reps": view.awaiting_user,
        "paused": view.paused,
        "last": view.is_last,
        "cue": cue or "",
    }


def place_message(notifications: Anchor, memory: Path | None) -> dict[str, Any]:
    """The first message to a new window: where notifications are drawn (to keep clear
    of), and the file that remembers where the user dragged the window."""
    return {"kind": "place", "notifications": notifications.value,
            "memory": str(memory) if memory is not None else ""}


def end_message(text: str) -> dict[str, Any]:
    return {"kind": "end", "text": text}


def encode(message: dict[str, Any]) -> bytes:
    return (json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8")


def action_message(command: Command) -> dict[str, Any]:
    """What the window sends for a button."""
    return {"action": command.verb}


def decode_action(line: bytes | str) -> Command | None:
    """The command a window line asks for; None for anything malformed or not a button's."""
    try:
        raw = json.loads(line)
        command = parse(raw["action"]) if isinstance(raw, dict) else None
    except (ValueError, KeyError, TypeError):  # CommandError is a ValueError
        return None
    return command if any(command == c for c, _label, _keys in BUTTONS) else None


def clock_text(seconds: float) -> str:
    """ "m:ss" for time left, "+m:ss" for overtime (negative seconds)."""
    whole = int(-(-seconds // 1)) if seconds >= 0 else int(seconds)
    minutes, secs = divmod(abs(whole), 60)
    return f"{'+' if whole < 0 else ''}{minutes}:{secs:02d}"
