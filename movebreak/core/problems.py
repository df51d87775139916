"""Config problems that name the key, and later the file and line, of each mistake.

Plain data, so a validated config can carry the problems that did not stop it;
``movebreak.config.errors`` raises them as a ``ConfigError``.
"""

from __future__ import annotations

from dataclasses import dataclass

from movebreak.core.words import ENGLISH, Words, say


@dataclass(frozen=True)
class Problem:
    """One mistake in a config: ``key`` is the dotted path, e.g. ``reset.every``.

    Validators only know keys; the loader adds the file and line, so that a
    person reads ``config.toml:12: reset.every: expected a duration ...``.
    """

    key: str
    message: str
    path: str = ""
    line: int = 0

    def __str__(self) -> str:
        return self.text()

    def text(self, words: Words = ENGLISH) -> str:
        """``FILE:LINE: KEY: message``, the message said in ``words`` (keys stay English)."""
        where = f"{self.path}:{self.line}: " if self.path else ""
        message = say(self.message, words)
        return f"{where}{self.key}: {message}" if self.key else f"{where}{message}"
