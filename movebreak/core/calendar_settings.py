"""The validated ``[calendar]`` settings: which calendars to read and how to judge them.

Plain frozen data, so the config the core reads can hold them; the shell's
:mod:`movebreak.calendar.settings` reads them from TOML (its docstring shows the shape).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from movebreak.core.durations import format_duration
from movebreak.core.meeting_facts import ClassifierConfig, KindRule, MeetingKind
from movebreak.core.redact import redact_url

DEFAULT_REFRESH = timedelta(minutes=15)
DEFAULT_AUDIO_REMINDER: timedelta | None = timedelta(minutes=20)
DEFAULT_TIMEOUT = timedelta(seconds=15)
DEFAULT_MAX_FEED_BYTES = 20 * 1024 * 1024
DEFAULT_RULE_FIELDS = ("summary", "location", "categories")  # what a rule reads


@dataclass(frozen=True)
class SourceSettings:
    """One calendar: a local file/folder (``path``) or a feed (``url``, webcal already https)."""

    name: str
    path: Path | None = None
    url: str | None = field(default=None, repr=False)  # often carries a private token
    kind: MeetingKind | None = None
    refresh: timedelta | None = None

    @property
    def where(self) -> str:
        """How warnings name this source: the path, or the URL with its secrets hidden."""
        return str(self.path) if self.path is not None else redact_url(self.url or "")


@dataclass(frozen=True)
class RuleSettings:
    """A user rule as written; :meth:`kind_rule` compiles it for the classifier."""

    kind: MeetingKind
    match: str | None = None
    regex: str | None = None
    calendar: str | None = None
    fields: tuple[str, ...] = DEFAULT_RULE_FIELDS
    index: int = 0

    def kind_rule(self) -> KindRule:
        """The compiled form; a keyword matches whole words in any case."""
        pattern = None
        shown = ""
        if self.regex is not None:
            pattern, shown = re.compile(self.regex), self.regex
        elif self.match is not None:
            pattern = re.compile(rf"(?<!\w){re.escape(self.match)}(?!\w)", re.IGNORECASE)
            shown = self.match
        label = f'rule {self.index + 1} "{shown}"' if shown else f"rule {self.index + 1}"
        return KindRule(self.kind, pattern, self.calendar, self.fields, label)


@dataclass(frozen=True)
class CalendarSettings:
    """Validated ``[calendar]`` settings; the defaults mean "no calendars"."""

    sources: tuple[SourceSettings, ...] = ()
    me: tuple[str, ...] = ()
    refresh: timedelta = DEFAULT_REFRESH
    rules: tuple[RuleSettings, ...] = ()
    audio_reminder: timedelta | None = DEFAULT_AUDIO_REMINDER
    timeout: timedelta = DEFAULT_TIMEOUT
    max_feed_bytes: int = DEFAULT_MAX_FEED_BYTES

    def classifier_config(self) -> ClassifierConfig:
        """What the pure classifier needs: addresses, compiled rules, per-calendar defaults."""
        return ClassifierConfig(
            me=frozenset(self.me),
            rules=tuple(r.kind_rule() for r in self.rules),
            calendar_kinds={s.name: s.kind for s in self.sources if s.kind is not None},
        )

    def to_raw(self) -> dict[str, Any]:
        """Back to the TOML shape (paths absolute), e.g. to hand to a worker process."""
        raw: dict[str, Any] = {
            "me": list(self.me),
            "refresh": format_duration(self.refresh),
            "audio_reminder": (
                format_duration(self.audio_reminder) if self.audio_reminder else "off"
            ),
            "timeout": format_duration(self.timeout),
            "max_feed_size": self.max_feed_bytes,
            "sources": [],
            "rules": [],
        }
        for s in self.sources:
            item: dict[str, Any] = {"name": s.name}
            if s.path is not None:
                item["path"] = str(s.path)
            if s.url is not None:
                item["url"] = s.url
            if s.kind is not None:
                item["kind"] = s.kind.value
            if s.refresh is not None:
                item["refresh"] = format_duration(s.refresh)
            raw["sources"].append(item)
        for r in self.rules:
            rule: dict[str, Any] = {"kind": r.kind.value, "fields": list(r.fields)}
            for key in ("match", "regex", "calendar"):
                if getattr(r, key) is not None:
                    rule[key] = getattr(r, key)
            raw["rules"].append(rule)
        return raw


