"""Config problems that name the key, and later the file and line, of each mistake."""

from __future__ import annotations

from dataclasses import dataclass


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
        where = f"{self.path}:{self.line}: " if self.path else ""
        return f"{where}{self.key}: {self.message}" if self.key else f"{where}{self.message}"


class ConfigError(Exception):
    """Raised when a config cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
