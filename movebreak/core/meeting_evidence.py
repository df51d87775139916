"""Gather the evidence in one event: its links, conference data, numbers, place and people.

Each function here answers one question about an event (is there a video link?
a dial-in? a real place? who else is invited?) and returns a ``Classification``
or None, so ``meetings.classify`` reads as the ranked list of those questions and
the ranking lives in one place. The same text is searched in a fixed order of
sources (URL, location, description, HTML description): the first source that
answers names itself in the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from movebreak.core.meeting_clues import (
    BOILERPLATE,
    DESC_STRONG_AUDIO,
    IGNORED_LOCATION,
    ONLINE_WORDS,
    PHONE_WORDS,
    SERVICE_NAMES,
    STRONG_AUDIO,
    SUMMARY_SERVICE,
    digit_count,
    phone_numbers,
    tel_link,
)
from movebreak.core.meeting_facts import Classification, EventFacts, MeetingKind, first_line
from movebreak.core.meeting_links import (
    find_links,
    html_to_text,
    service_of,
    unwrap_url,
    without_links,
)


@dataclass(frozen=True)
class Source:
    """One place in the event that text or links came from, in priority order."""

    name: str
    text: str
    links: tuple[str, ...]


def sources_of(facts: EventFacts) -> list[Source]:
    """The event's texts and their links, most deliberate first: a URL field beats prose."""
    html_text, hrefs = html_to_text(facts.html_description) if facts.html_description else ("", [])
    html_links = find_links(html_text) + [unwrap_url(h) for h in hrefs if ":" in h]
    return [
        Source("URL", facts.url, tuple(find_links(facts.url) or ([facts.url] * bool(facts.url)))),
        Source("location", facts.location, tuple(find_links(facts.location))),
        Source("description", facts.description, tuple(find_links(facts.description))),
        Source("HTML description", html_text, tuple(dict.fromkeys(html_links))),
    ]


def conference_evidence(facts: EventFacts) -> tuple[Classification | None, Classification | None]:
    """(video, audio) decided by structured conference data, if any."""
    video = audio = None
    for conf in facts.conferences:
        link = unwrap_url(conf.uri.strip())
        svc = service_of(link)
        features = {f.upper() for f in conf.features}
        name = svc[0] if svc else "conference"
        if features & {"VIDEO", "SCREEN"} or (svc and svc[1] is MeetingKind.VIDEO):
            video = video or Classification(
                MeetingKind.VIDEO, f"{name} link in {conf.source}", link
            )
        elif features & {"AUDIO", "PHONE"} or svc:
            audio = audio or Classification(
                MeetingKind.AUDIO, f"dial-in in {conf.source}, no video", link
            )
    return video, audio


def other_people(facts: EventFacts, me: frozenset[str]) -> int:
    """How many other people are in the event (rooms and resources do not count)."""
    humans = {
        a.address
        for a in facts.attendees
        if a.address
        and a.cutype.upper() not in {"ROOM", "RESOURCE"}
        and not a.address.endswith("resource.calendar.google.com")
    }
    if facts.organizer:
        humans.add(facts.organizer)
    if me:
        return len(humans - me)
    return max(len(humans) - 1, 0)  # without "me", assume one of them is the user


def _rooms(facts: EventFacts) -> list[str]:
    """Booked rooms and resources: a room booking means people meet there."""
    return [
        a.name or a.address
        for a in facts.attendees
        if a.cutype.upper() in {"ROOM", "RESOURCE"}
        or a.address.endswith("resource.calendar.google.com")
    ]


def _location_parts(location: str) -> list[str]:
    """The location's pieces without links: Outlook joins rooms and links with "; "."""
    parts = re.split(r"[;\n]|\s\|\s", without_links(location))
    return [" ".join(p.split()).strip(" ,") for p in parts if p.strip(" ,\t")]


def explicit_audio(facts: EventFacts, sources: list[Source]) -> Classification | None:
    """The organizer said it is a phone / audio-only / walking call: that beats any link."""
    for name, text in (("title", facts.summary), ("categories", " ".join(facts.categories))):
        match = STRONG_AUDIO.search(text)
        if match:
            return Classification(
                MeetingKind.AUDIO, f"'{match.group(0)}' in the {name}", _best_audio_link(sources)
            )
    for part in _location_parts(facts.location):
        if PHONE_WORDS.match(part):
            return Classification(
                MeetingKind.AUDIO, f"location says '{part}'", _best_audio_link(sources)
            )
    for source in sources[2:]:
        kept = "\n".join(ln for ln in source.text.splitlines() if not BOILERPLATE.search(ln))
        match = DESC_STRONG_AUDIO.search(kept)
        if match:
            return Classification(
                MeetingKind.AUDIO,
                f"'{match.group(0)}' in the {source.name}",
                _best_audio_link(sources),
            )
    return None


def _best_audio_link(sources: list[Source]) -> str | None:
    """The tel: link to dial, else a number in the text, else the conference link."""
    for source in sources:
        for link in source.links:
            svc = service_of(link)
            if svc and svc[1] is MeetingKind.AUDIO and link.lower().startswith(("tel:", "callto:")):
                return link
    for source in sources:
        for number, _ in phone_numbers(source.text):
            return tel_link(number)
    for source in sources:  # no number: the video link is how to join from a phone
        for link in source.links:
            if service_of(link):
                return link
    return None


def video_evidence(facts: EventFacts, sources: list[Source]) -> Classification | None:
    """A video link anywhere, else a location or title that names an online meeting."""
    for source in sources:
        for link in source.links:
            svc = service_of(link)
            if svc and svc[1] is MeetingKind.VIDEO:
                reason = f"{svc[0]} link in the {source.name}"
                return Classification(MeetingKind.VIDEO, reason, link)
    for part in _location_parts(facts.location):
        if ONLINE_WORDS.match(part):
            return Classification(MeetingKind.VIDEO, f"location says '{part}'")
        match = SERVICE_NAMES.search(part)
        if match and len(part) <= 60:
            return Classification(MeetingKind.VIDEO, f"location names {match.group(0)}")
    match = SUMMARY_SERVICE.search(facts.summary)
    if match:
        return Classification(MeetingKind.VIDEO, f"'{match.group(0)}' in the title")
    return None


def phone_evidence(sources: list[Source], *, strong: bool) -> Classification | None:
    """A tel:/dial-in link, else a number; ``strong`` wants dial-in wording around the number.

    Strong numbers rank above the calendar default and a place; a bare number (maybe
    a contact number in an in-person invite) only below them.
    """
    for source in sources:
        for link in source.links:
            svc = service_of(link)
            if svc and svc[1] is MeetingKind.AUDIO:
                what = "tel: link" if svc[0] == "phone" else f"{svc[0]} link"
                return Classification(
                    MeetingKind.AUDIO, f"{what} in the {source.name}, no video link", link
                )
    for source in sources:
        for number, is_strong in phone_numbers(source.text):
            if is_strong or not strong:
                what = "dial-in number" if is_strong else "phone number"
                return Classification(
                    MeetingKind.AUDIO,
                    f"{what} in the {source.name}, no video link",
                    tel_link(number),
                )
    return None


def location_is_number(facts: EventFacts) -> Classification | None:
    """A location that is only a phone number: the organizer means "call this"."""
    for part in _location_parts(facts.location):
        if re.fullmatch(r"[+\d][\d \t().\-/]*", part) and 7 <= digit_count(part) <= 16:
            return Classification(MeetingKind.AUDIO, "location is a phone number", tel_link(part))
    return None


def place_evidence(facts: EventFacts) -> Classification | None:
    """A real place: location text that is not "online"/"phone"/"TBD", a room, a map position."""
    for part in _location_parts(facts.location):
        if IGNORED_LOCATION.match(part) or not re.search(r"\w", part):
            continue
        if ONLINE_WORDS.match(part) or PHONE_WORDS.match(part):
            continue
        return Classification(MeetingKind.IN_PERSON, f"at {first_line(part)}, no video link")
    rooms = _rooms(facts)
    if rooms:
        return Classification(MeetingKind.IN_PERSON, f"room booked: {first_line(rooms[0])}")
    if facts.has_geo:
        return Classification(MeetingKind.IN_PERSON, "has a map position, no video link")
    return None

