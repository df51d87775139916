"""Config problems that name the key, and later the file and line, of each mistake."""

from __future__ import annotations

from movebreak.core.problems import Problem
from movebreak.core.words import ENGLISH, Words

__all__ = ["ConfigError", "Problem"]


class ConfigError(Exception):
    """Raised when a config cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    def text(self, words: Words = ENGLISH) -> str:
        """Every problem on its line, the messages said in ``words``."""
        return "\n".join(p.text(words) for p in self.problems)
