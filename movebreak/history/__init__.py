"""The history of prompts and what became of them, kept in SQLite (see ``store``)."""

from movebreak.history.model import EventKind, HistoryEvent
from movebreak.history.store import HistoryError, HistoryStore

__all__ = ["EventKind", "HistoryError", "HistoryEvent", "HistoryStore"]
