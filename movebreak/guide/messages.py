"""The line protocol between the app and the timer window: one JSON object per line.

App to window: ``place`` (first: where notifications are drawn, and the file that
remembers where the user put the window), ``show`` (what to display, with the
countdown as seconds left; the window counts down on its own between messages),
``end`` (a short "done" state, then the window closes itself) and ``close``.
Window to app: ``{"action": ...}`` for each button or shortcut. Pure functions,
shared by both sides and tested alone.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Any

from movebreak.core.placement import Anchor
from movebreak.core.session_events import SessionView
from movebreak.core.words import ENGLISH, Words
from movebreak.guide.pictures import picture_path


class WindowAction(Enum):
    """What a button (or its shortcut) in the timer window asks for."""

    PAUSE = "pause"  # toggles pause / resume
    NEXT = "next"
    SNOOZE = "snooze"
    SKIP = "skip"
    DONE = "done"


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


def decode_action(line: bytes | str) -> WindowAction | None:
    """The action a window line asks for; None for anything malformed."""
    try:
        raw = json.loads(line)
        return WindowAction(raw["action"]) if isinstance(raw, dict) else None
    except (ValueError, KeyError, TypeError):
        return None


def clock_text(seconds: float) -> str:
    """ "m:ss" for time left, "+m:ss" for overtime (negative seconds)."""
    whole = int(-(-seconds // 1)) if seconds >= 0 else int(seconds)
    minutes, secs = divmod(abs(whole), 60)
    return f"{'+' if whole < 0 else ''}{minutes}:{secs:02d}"
