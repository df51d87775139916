"""The ``[calendar]`` table of the config: which calendars to read and how to judge them.

Proposed TOML shape (every key optional; no sources means no calendar at all)::

    [calendar]
    me = ["ana@example.com", "ana.smith@corp.example"]  # your addresses: decide "declined"
    refresh = "15m"          # how often feeds are fetched (at least 1m)
    audio_reminder = "20m"   # during a long audio call, a walking nudge this often; "off"
    timeout = "15s"          # per feed request
    max_feed_size = "20MiB"  # a larger feed is refused and the last good copy kept

    [[calendar.sources]]
    name = "work"            # optional; defaults to the file name or the host
    url = "webcal://outlook.office365.com/owa/calendar/.../calendar.ics"  # https/http/webcal
    refresh = "5m"           # optional, overrides calendar.refresh for this feed

    [[calendar.sources]]
    name = "calls"
    path = "~/Calendars/calls"   # an .ics file or a folder of them; relative to the config
    kind = "audio"           # default for events that carry no evidence of their own

    [[calendar.rules]]        # first matching rule wins; forced kinds beat detection
    match = "standup"         # keyword: whole words, any case ...
    # regex = "(?i)walk.*1:1" # ... or a Python regular expression
    kind = "audio"            # video | audio | in_person | none
    calendar = "work"         # optional: only events from this source
    fields = ["summary"]      # optional: summary, location, description, categories, url

A rule with ``calendar`` and no ``match``/``regex`` forces every event of that calendar.
Cancelled, declined and all-day events stay ``none`` whatever the rules say.
Validation is pure (no file or network access): a path that does not exist yet is
reported when loading, since a mounted folder may come and go.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from movebreak.config.errors import ConfigError, Problem
from movebreak.config.reader import Reader, duration, optional_duration, show
from movebreak.core.calendar_settings import (
    DEFAULT_AUDIO_REMINDER,
    DEFAULT_MAX_FEED_BYTES,
    DEFAULT_REFRESH,
    DEFAULT_RULE_FIELDS,
    DEFAULT_TIMEOUT,
    CalendarSettings,
    RuleSettings,
    SourceSettings,
)
from movebreak.core.meeting_facts import MeetingKind
from movebreak.core.redact import redact_url

__all__ = [
    "CalendarSettings",
    "RuleSettings",
    "SourceSettings",
    "normalise_address",
    "normalise_feed_url",
    "parse_calendar_settings",
]

RULE_FIELDS = ("summary", "location", "description", "html_description", "categories", "url")
_TOP_KEYS = ("me", "refresh", "audio_reminder", "timeout", "max_feed_size", "sources", "rules")
_SOURCE_KEYS = ("name", "path", "url", "kind", "refresh")
_RULE_KEYS = ("match", "regex", "kind", "calendar", "fields")
_MINUTE = timedelta(minutes=1)  # the shortest refresh and audio reminder
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|kib|mib|gib)?\s*$", re.IGNORECASE)
_SIZE_UNITS = {"b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3,
               "kib": 1024, "mib": 1024**2, "gib": 1024**3}


def normalise_feed_url(url: str) -> str:
    """``webcal://`` is https in disguise (httpx does not know the scheme)."""
    lowered = url.lower()
    if lowered.startswith("webcals://"):
        return "https://" + url[len("webcals://"):]
    if lowered.startswith("webcal://"):
        return "https://" + url[len("webcal://"):]
    return url


def normalise_address(address: str) -> str:
    """``MAILTO:Ana@Example.com`` -> ``ana@example.com``, as attendees are compared."""
    text = address.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower()


def _refresh(value: object) -> timedelta:
    return duration(value, _MINUTE)


def _reminder(value: object) -> timedelta | None:
    return optional_duration(value, _MINUTE)


def _kind(value: object) -> MeetingKind:
    try:
        if not isinstance(value, str):
            raise ValueError
        return MeetingKind(value)
    except ValueError:
        choices = ", ".join(k.value for k in MeetingKind)
        raise ValueError(f"expected one of {choices}, got {show(value)}") from None


def _size(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = _SIZE.match(value) if isinstance(value, str) else None
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f'expected a size such as "20MB" or a number of bytes, got {show(value)}')
    return int(float(match.group(1)) * _SIZE_UNITS[(match.group(2) or "b").lower()])


def parse_calendar_settings(raw: dict[str, Any], base_dir: Path) -> CalendarSettings:
    """Validate the ``[calendar]`` table; every problem is reported at once with its key.

    Raises :class:`~movebreak.config.errors.ConfigError` whose problems carry dotted
    keys such as ``calendar.sources[0].url``, so the config loader can add file:line.
    Feed URLs never appear in messages in full.
    """
    r = Reader()
    if not isinstance(raw, dict):
        raise ConfigError([Problem("calendar", f"expected a table [calendar], got {show(raw)}")])
    r.known(raw, "calendar.", _TOP_KEYS)
    refresh = r.optional(raw, "refresh", "calendar.refresh", _refresh, DEFAULT_REFRESH)
    timeout = r.optional(raw, "timeout", "calendar.timeout", duration, DEFAULT_TIMEOUT)
    max_feed_bytes = r.optional(
        raw, "max_feed_size", "calendar.max_feed_size", _size, DEFAULT_MAX_FEED_BYTES
    )
    audio_reminder = r.optional(
        raw, "audio_reminder", "calendar.audio_reminder", _reminder, DEFAULT_AUDIO_REMINDER
    )
    me = _me(raw.get("me", []), r)
    sources = _sources(raw.get("sources", []), base_dir, r)
    names = {s.name for s in sources}
    rules = _rules(raw.get("rules", []), names, r)
    r.check()  # so none of the values is None
    return CalendarSettings(sources, me, refresh, rules, audio_reminder, timeout, max_feed_bytes)


def _me(value: object, r: Reader) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        r.fail("calendar.me", f'expected a list of addresses such as ["ana@example.com"], '
                                    f"got {show(value)}")
        return ()
    result = []
    for i, item in enumerate(items):
        if not isinstance(item, str) or "@" not in item or not item.strip():
            r.fail(f"calendar.me[{i}]", f"expected an e-mail address, got {show(item)}")
            continue
        result.append(normalise_address(item))
    return tuple(dict.fromkeys(result))


def _sources(value: object, base_dir: Path, r: Reader) -> tuple[SourceSettings, ...]:
    if not isinstance(value, list):
        r.fail("calendar.sources", "expected [[calendar.sources]] tables")
        return ()
    result: list[SourceSettings] = []
    seen: set[str] = set()
    for i, table in enumerate(value):
        key = f"calendar.sources[{i}]"
        if not isinstance(table, dict):
            r.fail(key, f"expected a table with path or url, got {show(table)}")
            continue
        before = len(r.problems)
        r.known(table, f"{key}.", _SOURCE_KEYS)
        path = url = None
        if ("path" in table) == ("url" in table):
            r.fail(key, "give exactly one of path (a file or folder) or url (a feed)")
        elif "path" in table:
            if isinstance(table["path"], str) and table["path"].strip():
                path = Path(table["path"].strip()).expanduser()
                path = path if path.is_absolute() else base_dir / path
            else:
                shown = show(table["path"])
                r.fail(f"{key}.path", f"expected a file or folder path, got {shown}")
        else:
            url = _url(table["url"], f"{key}.url", r)
        kind = r.optional(table, "kind", f"{key}.kind", _kind, None)
        refresh = r.optional(table, "refresh", f"{key}.refresh", _refresh, None)
        name = table.get("name")
        if name is None and path is None and url is None:
            continue  # already reported: no usable path or url to name it after
        if name is None:
            name = path.stem if path is not None else (urlsplit(url).hostname if url else "") or ""
        if not isinstance(name, str) or not name.strip():
            r.fail(f"{key}.name", f"expected a short name, got {show(name)}")
            continue
        name = name.strip()
        if name in seen:
            r.fail(f"{key}.name", f'"{name}" is used by another source; names must differ')
        seen.add(name)
        if len(r.problems) == before:
            result.append(SourceSettings(name, path, url, kind, refresh))
    return tuple(result)


def _url(value: object, key: str, r: Reader) -> str | None:
    if not isinstance(value, str) or not value.strip():
        shown = show(value) if not isinstance(value, str) else "an empty text"
        r.fail(key, f"expected a feed URL such as https://... or webcal://..., got {shown}")
        return None
    url = normalise_feed_url(value.strip())
    try:
        parts = urlsplit(url)
        ok = parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)
    except ValueError:
        ok = False
    if not ok:
        shown = redact_url(url)
        r.fail(key, f"expected an https://, http:// or webcal:// feed URL, got {shown}")
        return None
    return url


def _rules(value: object, names: set[str], r: Reader) -> tuple[RuleSettings, ...]:
    if not isinstance(value, list):
        r.fail("calendar.rules", "expected [[calendar.rules]] tables")
        return ()
    result = []
    for i, table in enumerate(value):
        key = f"calendar.rules[{i}]"
        if not isinstance(table, dict):
            r.fail(key, f"expected a table with match or regex and kind, got {show(table)}")
            continue
        before = len(r.problems)
        r.known(table, f"{key}.", _RULE_KEYS)
        kind = r.optional(table, "kind", f"{key}.kind", _kind, None)
        if "kind" not in table:
            r.fail(f"{key}.kind", "missing; say which kind the rule forces")
        match = table.get("match")
        regex = table.get("regex")
        calendar = table.get("calendar")
        if match is not None and regex is not None:
            r.fail(key, "give match or regex, not both")
        if match is not None and (not isinstance(match, str) or not match.strip()):
            r.fail(f"{key}.match", f"expected a keyword, got {show(match)}")
        if regex is not None:
            if not isinstance(regex, str) or not regex:
                r.fail(f"{key}.regex", f"expected a regular expression, got {show(regex)}")
            else:
                try:
                    re.compile(regex)
                except re.error as error:
                    r.fail(f"{key}.regex", f"not a valid regular expression: {error}")
        if calendar is not None and (not isinstance(calendar, str) or calendar not in names):
            r.fail(f"{key}.calendar", f"no source is named {show(calendar)}")
        if match is None and regex is None and calendar is None:
            r.fail(key, "give match, regex or calendar to say which events the rule is for")
        fields = table.get("fields", list(DEFAULT_RULE_FIELDS))
        if not isinstance(fields, list) or not fields or any(f not in RULE_FIELDS for f in fields):
            r.fail(f"{key}.fields", f"expected a list drawn from {', '.join(RULE_FIELDS)}")
        if len(r.problems) == before and kind is not None:
            result.append(RuleSettings(
                kind, match.strip() if isinstance(match, str) else None, regex, calendar,
                tuple(fields), i,
            ))
    return tuple(result)
