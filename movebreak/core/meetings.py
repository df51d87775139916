"""Tell a video call from a phone call, a meeting in a room, or no meeting at all.

The app treats each kind differently: resets wait during ``video`` and ``in_person``
meetings, ``audio`` calls become walking time, and ``none`` changes nothing. This
module is the pure core of that decision: it sees the facts pulled out of one
calendar event (no icalendar objects, no I/O, no clock) and returns a kind, a short
reason a person can read, and the link that decided it.

Real invitations are noisy, so the evidence is ranked, strongest first:

1. hard "not a meeting" facts: cancelled, declined by the user, all-day;
2. the user's own rules (keyword or regex, optionally per calendar);
3. soft "not a meeting" facts: free/transparent, out-of-office, a focus block alone;
4. an explicit audio marker by the organizer ("walk and talk", "phone call",
   "audio only" outside vendor boilerplate) beats any link;
5. a video link or vendor conference data anywhere (Teams and Meet invites always
   carry dial-in numbers and "audio only" boilerplate too, so video wins over them);
6. dial-in numbers, ``tel:`` links, "phone" as the location;
7. the calendar's default kind, if the user set one;
8. a real place (location text, a booked room, a geo position);
9. weaker hints: a phone number with no dial-in wording, "call" in the title;
10. other people invited but nothing else known: assumed to meet in person;
    alone with nothing: a personal event, kind ``none``.

The parts live next door: ``meeting_facts`` (the types below), ``meeting_links``
(links and conferencing services), ``meeting_clues`` (wording and phone numbers)
and ``meeting_evidence`` (what one event's links, numbers and place say). This
module keeps the order of evidence and the public API.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from movebreak.core.meeting_clues import CANCELLED_TITLE, FOCUS_BLOCK, OUT_OF_OFFICE, WEAK_CALL
from movebreak.core.meeting_evidence import (
    conference_evidence,
    explicit_audio,
    location_is_number,
    other_people,
    phone_evidence,
    place_evidence,
    sources_of,
    video_evidence,
)
from movebreak.core.meeting_facts import (
    Attendee,
    Classification,
    ClassifierConfig,
    Conference,
    EventFacts,
    KindRule,
    MeetingKind,
    first_line,
)
from movebreak.core.meeting_links import find_links, html_to_text, service_of, unwrap_url

__all__ = [
    "Attendee",
    "Classification",
    "ClassifierConfig",
    "Conference",
    "EventFacts",
    "KindRule",
    "MeetingKind",
    "classify",
    "find_links",
    "html_to_text",
    "service_of",
    "unwrap_url",
]


def _rule_text(facts: EventFacts, names: Iterable[str]) -> Iterator[str]:
    """The texts a rule searches, named as in ``KindRule.fields``; HTML is searched as text."""
    for name in names:
        if name == "categories":
            yield from facts.categories
        elif name == "html_description":
            yield html_to_text(facts.html_description)[0]
        else:
            value = getattr(facts, name, "")
            if isinstance(value, str):
                yield value


def _apply_rules(facts: EventFacts, rules: Iterable[KindRule]) -> Classification | None:
    """The first of the user's rules that applies wins: the user knows their calendars best."""
    for rule in rules:
        if rule.calendar is not None and rule.calendar != facts.calendar:
            continue
        label = rule.label or "your rule"
        if rule.pattern is None:
            return Classification(rule.kind, f"{label}: every event in '{facts.calendar}'")
        for text in _rule_text(facts, rule.fields):
            match = rule.pattern.search(text)
            if match:
                return Classification(rule.kind, f"{label} matched '{first_line(match.group(0))}'")
    return None


def _not_a_meeting(facts: EventFacts, me: frozenset[str]) -> Classification | None:
    """Cancelled, declined, all-day: facts no rule should overturn."""
    none = MeetingKind.NONE
    if facts.status.upper() == "CANCELLED" or CANCELLED_TITLE.search(facts.summary):
        return Classification(none, "cancelled")
    for attendee in facts.attendees:
        if attendee.address in me and attendee.partstat.upper() == "DECLINED":
            return Classification(none, "declined by you")
    if facts.all_day:
        return Classification(none, "all-day event")
    return None


def _free_time(facts: EventFacts, me: frozenset[str]) -> Classification | None:
    """Free/transparent, out-of-office, a focus block alone: soft "not a meeting" facts."""
    none = MeetingKind.NONE
    if facts.transparency.upper() == "TRANSPARENT" or facts.busy_status.upper() == "FREE":
        return Classification(none, "marked free, not busy")
    if facts.busy_status.upper() == "OOF" or (
        OUT_OF_OFFICE.search(facts.summary) and other_people(facts, me) == 0
    ):
        return Classification(none, "out of office")
    if FOCUS_BLOCK.search(facts.summary) and other_people(facts, me) == 0:
        return Classification(none, "focus block, no one else invited")
    return None


def classify(facts: EventFacts, config: ClassifierConfig | None = None) -> Classification:
    """Decide the kind of one event occurrence; see the module docstring for the order."""
    config = config or ClassifierConfig()
    me = frozenset(a.lower() for a in config.me)
    decided = _not_a_meeting(facts, me) or _apply_rules(facts, config.rules)
    if decided:
        return decided
    decided = _free_time(facts, me)
    if decided:
        return decided
    sources = sources_of(facts)
    conf_video, conf_audio = conference_evidence(facts)
    decided = (
        explicit_audio(facts, sources)
        or conf_video
        or video_evidence(facts, sources)
        or conf_audio
        or location_is_number(facts)
        or phone_evidence(sources, strong=True)
    )
    if decided:
        return decided
    default = config.calendar_kinds.get(facts.calendar)
    if default is not None:
        return Classification(default, f"default kind of calendar '{facts.calendar}'")
    decided = place_evidence(facts) or phone_evidence(sources, strong=False)
    if decided:
        return decided
    match = WEAK_CALL.search(facts.summary)
    if match:
        return Classification(MeetingKind.AUDIO, f"'{match.group(0)}' in the title, no video link")
    others = other_people(facts, me)
    if others:
        who = "1 other person" if others == 1 else f"{others} other people"
        return Classification(MeetingKind.IN_PERSON, f"with {who}; no link or place given")
    return Classification(MeetingKind.NONE, "no link, place or other people")
