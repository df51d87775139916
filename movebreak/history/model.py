"""What the history holds; the types live in the core (:mod:`movebreak.core.history`),
whose stats read them without a database."""

from movebreak.core.history import HistoryEvent
from movebreak.core.outcome import Outcome

__all__ = ["HistoryEvent", "Outcome"]
