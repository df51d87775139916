"""What the history holds; the types live in the core (:mod:`movebreak.core.history`),
whose stats read them without a database."""

from movebreak.core.history import EventKind, HistoryEvent

__all__ = ["EventKind", "HistoryEvent"]
