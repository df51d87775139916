"""The history of prompts and what became of them, kept in SQLite (see ``store``).

The store (and with it ``sqlite3``) loads on first use of ``HistoryStore`` or
``HistoryError``: importing the event types alone stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from movebreak.core.history import HistoryEvent
from movebreak.core.outcome import Outcome

if TYPE_CHECKING:
    from movebreak.history.store import HistoryError, HistoryStore

__all__ = ["HistoryError", "HistoryEvent", "HistoryStore", "Outcome"]


def __getattr__(name: str) -> Any:
    if name in ("HistoryError", "HistoryStore"):
        from movebreak.history import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
