"""Tell a video call from a phone call, a meeting in a room, or no meeting at all.

The app treats each kind differently: resets wait during ``video`` and ``in_person``
meetings, ``audio`` calls become walking time, and ``none`` changes nothing. This
module is the pure core of that decision: it sees the facts pulled out of one
calendar event (no icalendar objects, no I/O, no clock) and returns a kind, a short
reason a person can read, and the link that decided it.

Real invitations are noisy, so the evidence is ranked, strongest first, and each
rule goes by the *shape* of its evidence, not a list of known strings. ``audio`` needs
positive evidence of a call without video: a false "audio" sends someone walking in
front of their camera, the worst error this module can make.

1. hard "not a meeting" facts: cancelled, declined by the user, all-day;
2. the user's own rules (keyword or regex, optionally per calendar);
3. soft "not a meeting" facts: free/transparent, out-of-office, a focus block alone;
4. the organizer says there is no video ("audio only", "cameras off", "walk and talk",
   in any language and anywhere they wrote, but not the vendor's "(audio only)" about
   its dial-in), or the title names a phone call ("phone call", "Telefonat", "電話会議");
5. a way to join that can show video: RFC 7986 ``CONFERENCE`` with ``FEATURE=VIDEO`` or
   ``SCREEN``, vendor properties, a known service, a SIP address or app link, or any
   web link offered as the way to join (its field, label or address says so). Dial-in
   numbers beside it are only the phone option;
6. a location or title that is an online or video meeting ("Online", "Visio", a
   service's name, a video-room address, "Videollamada");
7. ``CONFERENCE`` with only ``AUDIO``/``PHONE``; a location that is a call, not a
   place: a call's name ("Telecon", "Telefonkonferenz"), a phone number, a dialer link;
8. with no place: an unlabelled web link (maybe the meeting: not audio), then
   dial-in numbers and ``tel:`` links;
9. the calendar's default kind, if the user set one;
10. a real place (location text, a booked room, a geo position), even with a dial-in;
11. weaker hints: a phone number with no dial-in wording, a call word in the title;
12. other people but no link, place or call: a meeting of unknown medium, reported as
    ``in_person`` ("a meeting"): it holds resets and never sends anyone walking.
    Alone with nothing: a personal event, kind ``none``.

The parts live next door: ``meeting_facts`` (the types below), ``meeting_links``
(links and conferencing services), ``meeting_clues`` (wording and phone numbers)
and ``meeting_evidence`` (what one event's links, numbers and place say). This
module keeps the order of evidence and the public API.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from movebreak.core.meeting_clues import CANCELLED_TITLE, FOCUS_BLOCK, OUT_OF_OFFICE
from movebreak.core.meeting_evidence import (
    call_in_title,
    call_location,
    conference_evidence,
    explicit_audio,
    maybe_online,
    other_people,
    phone_evidence,
    place_evidence,
    sources_of,
    video_link,
    video_words,
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
        or video_link(sources)
        or video_words(facts)
        or conf_audio
        or call_location(facts, sources)
    )
    if decided:
        return decided
    place = place_evidence(facts)
    if place is None:
        decided = maybe_online(sources) or phone_evidence(sources, strong=True)
        if decided:
            return decided
    default = config.calendar_kinds.get(facts.calendar)
    if default is not None:
        return Classification(default, f"default kind of calendar '{facts.calendar}'")
    decided = place or phone_evidence(sources, strong=False) or call_in_title(facts)
    if decided:
        return decided
    others = other_people(facts, me)
    if others:
        who = "1 other person" if others == 1 else f"{others} other people"
        return Classification(
            MeetingKind.IN_PERSON, f"a meeting with {who}, no link, place or call given"
        )
    return Classification(MeetingKind.NONE, "no link, place or other people")
