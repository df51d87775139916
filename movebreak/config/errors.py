"""Config problems that name the key, and later the file and line, of each mistake."""

from __future__ import annotations

from movebreak.core.problems import Problem

__all__ = ["ConfigError", "Problem"]


class ConfigError(Exception):
    """Raised when a config cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
