"""The validated config's types; they live in the core (:mod:`movebreak.core.config`),
which reads them, and the shell imports them from here or from there alike."""

from movebreak.core.config import (
    WEEKDAYS,
    AwaySettings,
    Config,
    GuideSettings,
    MorningRule,
    PromptSettings,
    QuietSettings,
    ResetRule,
    StandingRule,
    WorkHours,
)

__all__ = [
    "WEEKDAYS",
    "AwaySettings",
    "Config",
    "GuideSettings",
    "MorningRule",
    "PromptSettings",
    "QuietSettings",
    "ResetRule",
    "StandingRule",
    "WorkHours",
]
