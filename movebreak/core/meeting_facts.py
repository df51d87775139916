"""The words the meeting classifier speaks: event facts in, a kind and its reason out.

These types sit in a module of their own so the classifier's parts (links,
clues, evidence) can share them without importing ``meetings``, which imports
them all. Import them from ``movebreak.core.meetings``; this module is where they
live, not the API.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class MeetingKind(StrEnum):
    """What an occurrence means for breaks; the value is what config and JSON use."""

    VIDEO = "video"
    AUDIO = "audio"
    IN_PERSON = "in_person"
    NONE = "none"


@dataclass(frozen=True)
class Attendee:
    """One ATTENDEE line: ``address`` is lower-case without ``mailto:``."""

    address: str
    partstat: str = ""
    cutype: str = ""
    name: str = ""


@dataclass(frozen=True)
class Conference:
    """Conference data given as data, not prose (RFC 7986 CONFERENCE or a vendor X- property).

    ``features`` holds RFC 7986 FEATURE values (``AUDIO``, ``VIDEO``, ``PHONE``,
    ``SCREEN``...); vendor properties that always mean a video meeting say ``VIDEO``.
    """

    uri: str
    features: tuple[str, ...] = ()
    source: str = "CONFERENCE"


@dataclass(frozen=True)
class EventFacts:
    """What the classifier may know about one event, already decoded to plain text.

    ``busy_status`` carries Outlook's X-MICROSOFT-CDO-BUSYSTATUS/INTENDEDSTATUS
    (FREE, TENTATIVE, BUSY, OOF, WORKINGELSEWHERE); ``has_geo`` is true when the event
    has a GEO or structured location, which only a physical place has.
    """

    summary: str = ""
    location: str = ""
    description: str = ""
    html_description: str = ""
    url: str = ""
    conferences: tuple[Conference, ...] = ()
    attendees: tuple[Attendee, ...] = ()
    organizer: str = ""
    status: str = ""
    transparency: str = ""
    busy_status: str = ""
    all_day: bool = False
    categories: tuple[str, ...] = ()
    calendar: str = ""
    has_geo: bool = False


@dataclass(frozen=True)
class KindRule:
    """A user rule: events matching ``pattern`` (or all, if None) in ``calendar`` get ``kind``.

    ``fields`` names the EventFacts texts searched; the default leaves out the
    description, whose vendor boilerplate ("Join by phone") would match too much.
    ``label`` names the rule in reasons, e.g. ``calendar.rules[0] "standup"``.
    """

    kind: MeetingKind
    pattern: re.Pattern[str] | None = None
    calendar: str | None = None
    fields: tuple[str, ...] = ("summary", "location", "categories")
    label: str = ""


@dataclass(frozen=True)
class ClassifierConfig:
    """The user's side of the decision: their addresses, rules and per-calendar defaults."""

    me: frozenset[str] = frozenset()
    rules: tuple[KindRule, ...] = ()
    calendar_kinds: Mapping[str, MeetingKind] = field(default_factory=dict)


@dataclass(frozen=True)
class Classification:
    """The answer: a kind, why (short, for people), and the URL or tel: that decided it."""

    kind: MeetingKind
    reason: str
    link: str | None = None


# Control characters (C0, DEL, C1) and the invisible marks that reorder text (bidi
# embeddings, overrides, isolates): an event title is written by anyone who can send an
# invitation, and must not move a terminal's cursor or disguise a notification.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                      r"\u2066-\u2069]")


def neutralise(text: str) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``), not obeyed."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", text)


def first_line(text: str, limit: int = 40) -> str:
    """Quote event text on one short, harmless line: reasons go in menus, notifications
    and terminals, so controls are neutralised and the length is bounded."""
    text = " ".join(neutralise(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
