"""Gather the evidence in one event: its links, conference data, words, numbers, place, people.

Each function here answers one question about an event (did the organizer say it has
no video? is there a way to join that can show video? is the location a call rather
than a place?) and returns a ``Classification`` or None, so ``meetings.classify``
reads as the ranked list of those questions and the ranking lives in one place. Each
rule is written once, here, by the *shape* of its evidence; its reason string is what
``movebreak meetings`` shows. The same text is searched in a fixed order of sources
(URL, location, description, HTML description): the first that answers names itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from movebreak.core.meeting_clues import (
    BOILERPLATE,
    CALL_LOCATION,
    CALL_WORDS,
    IGNORED_LOCATION,
    JOIN_WORDS,
    NO_VIDEO,
    NOT_JOIN_WORDS,
    ONLINE_LOCATION,
    PHONE_CALL,
    SERVICE_NAMES,
    VIDEO_WORDS,
    has_phone_number,
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

AUDIO, VIDEO, IN_PERSON = MeetingKind.AUDIO, MeetingKind.VIDEO, MeetingKind.IN_PERSON
_SIP_ALIAS = re.compile(r"^(?:sips?:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+$", re.IGNORECASE)
_NUMBER = re.compile(r"\+?\(?\d[\d \t().\-/]{5,}\d")
_CODE_WORDS = re.compile(
    r"pin|code|passcode|id|ext|access|participant|conference|meeting|dial|in|number|tel"
    r"|c[oó]digo|codice|zugang|kennung|num[eé]ro|n[uú]mero|nummer|pincode|toegangscode",
    re.IGNORECASE,
)
_OPTION = re.compile(r"audio|voice|phone|[áa]udio|音声", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?;。])\s+|\n")


@dataclass(frozen=True)
class Link:
    """One link, the words just before it, and whether its field is meant for links."""

    url: str
    context: str
    deliberate: bool


@dataclass(frozen=True)
class Source:
    """One place in the event that text or links came from, in priority order."""

    name: str
    text: str
    links: tuple[Link, ...]


def _links_in(text: str, deliberate: bool) -> list[Link]:
    """Each link with the words on its line (else the line above): what it is labelled as."""
    found: list[Link] = []
    previous = ""
    for line in text.splitlines():
        words = without_links(line)
        label = words if re.search(r"\w", words) else previous
        found.extend(Link(url, label, deliberate) for url in find_links(line))
        if re.search(r"\w", line):
            # A heading labels the link below it; a number's own line labels nothing.
            previous = "" if has_phone_number(line) else line
    return found


def sources_of(facts: EventFacts) -> list[Source]:
    """The event's texts and their links, most deliberate first: a URL field beats prose."""
    html_text, hrefs = html_to_text(facts.html_description) if facts.html_description else ("", [])
    html_links = _links_in(html_text, False) + [
        Link(unwrap_url(h), "", False) for h in hrefs if ":" in h
    ]
    url_links = _links_in(facts.url, True) or (
        [Link(facts.url.strip(), "", True)] if facts.url.strip() else []
    )
    return [
        Source("URL", facts.url, tuple(url_links)),
        Source("location", facts.location, tuple(_links_in(facts.location, True))),
        Source("description", facts.description, tuple(_links_in(facts.description, False))),
        Source("HTML description", html_text, tuple({lk.url: lk for lk in html_links}.values())),
    ]


def link_meaning(link: Link) -> tuple[str, MeetingKind] | None:
    """What a link is for: (name, VIDEO) a way to join that can show video, (name, AUDIO)
    a call or a dial-in page, None not a way to join (a document, a cancel page).

    Known services and schemes decide by themselves (``service_of``). Any other web
    link is a way to join an online meeting, hence video-capable, when its field is
    meant for it (URL, LOCATION, CONFERENCE) or its label or address reads like one
    ("Join:", "/meeting/", "Videokonferenz:"), unless they say it is something else.
    """
    known = service_of(link.url)
    if known is not None:
        return known
    if NOT_JOIN_WORDS.search(link.context):
        return None
    if JOIN_WORDS.search(link.context):
        return ("online meeting", VIDEO)
    address = link.url.split("://", 1)[-1]
    if NOT_JOIN_WORDS.search(address):
        return None
    if link.deliberate or JOIN_WORDS.search(address):
        return ("online meeting", VIDEO)
    return None


def _unexplained_links(sources: list[Source]) -> list[str]:
    """Web links that are neither a known kind nor labelled: maybe an online meeting."""
    return [
        lk.url
        for src in sources
        for lk in src.links
        if link_meaning(lk) is None
        and lk.url.lower().startswith(("http://", "https://"))
        and not NOT_JOIN_WORDS.search(lk.context + " " + lk.url.split("://", 1)[-1])
    ]


def conference_evidence(facts: EventFacts) -> tuple[Classification | None, Classification | None]:
    """(video, audio) decided by conference data: RFC 7986 FEATUREs, else the link's shape."""
    video = audio = None
    for conf in facts.conferences:
        url = unwrap_url(conf.uri.strip())
        features = {f.upper() for f in conf.features}
        meaning = link_meaning(Link(url, "", True))
        name = meaning[0] if meaning else "conference"
        if features & {"VIDEO", "SCREEN"}:
            kind: MeetingKind | None = VIDEO
        elif features & {"AUDIO", "PHONE"}:
            kind = AUDIO
        else:
            kind = meaning[1] if meaning else None
        if kind is VIDEO and video is None:
            video = Classification(VIDEO, f"{name} link in {conf.source}", url)
        elif kind is AUDIO and audio is None:
            audio = Classification(AUDIO, f"call in {conf.source}, no video", url)
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


def location_parts(location: str) -> list[str]:
    """The location's pieces without links: Outlook joins rooms and links with "; "."""
    parts = re.split(r"[;\n]|\s\|\s", without_links(location))
    return [" ".join(p.split()).strip(" ,–—-:") for p in parts if p.strip(" ,\t–—-:")]


def _said_no_video(text: str) -> re.Match[str] | None:
    """No-video wording in prose, outside what vendors say about their dial-in option:
    "audio only" in a parenthesis, a boilerplate line or a sentence with a phone number
    describes how to call in, not how this meeting is held."""
    for line in text.splitlines():
        if BOILERPLATE.search(line):
            continue
        for sentence in _SENTENCE.split(line):
            bare = re.sub(r"\([^()]*\)|（[^（）]*）", " ", sentence)
            for match in NO_VIDEO.finditer(bare):
                # "audio only" next to a number describes that number; "no video",
                # "cameras off", "walking" are said of the meeting itself.
                if not (has_phone_number(sentence) and _OPTION.search(match.group(0))):
                    return match
    return None


def explicit_audio(facts: EventFacts, sources: list[Source]) -> Classification | None:
    """The organizer said it is held without video: that beats any link.

    "Audio only", "walk and talk", "cameras off" (any language) anywhere they wrote;
    a phone call named as such ("phone call", "Telefonat", "電話会議") in the title.
    """
    for name, text in (("title", facts.summary), ("categories", " ".join(facts.categories))):
        # "Phone interview via Zoom" names both: the title does not settle it, links do.
        match = NO_VIDEO.search(text) or (
            None if VIDEO_WORDS.search(text) else PHONE_CALL.search(text)
        )
        if match:
            reason = f"'{match.group(0)}' in the {name}"
            return Classification(AUDIO, reason, best_audio_link(sources))
    for source in sources[1:]:
        match = _said_no_video(source.text)
        if match:
            reason = f"'{match.group(0)}' in the {source.name}"
            return Classification(AUDIO, reason, best_audio_link(sources))
    return None


def best_audio_link(sources: list[Source]) -> str | None:
    """The tel: link to dial, else a number in the text, else the conference link."""
    for source in sources:
        for link in source.links:
            meaning = service_of(link.url)
            if meaning and meaning[1] is AUDIO and not link.url.lower().startswith("http"):
                return link.url
    for source in sources:
        for number, _ in phone_numbers(source.text):
            return tel_link(number)
    for source in sources:  # no number: the video link is how to join from a phone
        for link in source.links:
            if link_meaning(link):
                return link.url
    return None


def video_link(sources: list[Source]) -> Classification | None:
    """A way to join that can show video, in any field (known service or not)."""
    for source in sources:
        for link in source.links:
            meaning = link_meaning(link)
            if meaning and meaning[1] is VIDEO:
                return Classification(VIDEO, f"{meaning[0]} link in the {source.name}", link.url)
    return None


def video_words(facts: EventFacts) -> Classification | None:
    """A location that is an online meeting or a video-room address; video in the title."""
    for part in location_parts(facts.location):
        if ONLINE_LOCATION.match(part):
            return Classification(VIDEO, f"location says '{first_line(part)}'")
        if _SIP_ALIAS.match(part):
            return Classification(VIDEO, "location is a video-room address")
        match = SERVICE_NAMES.search(part)
        if match and len(part) <= 60:
            return Classification(VIDEO, f"location names {match.group(0)}")
    match = VIDEO_WORDS.search(facts.summary)
    if match:
        return Classification(VIDEO, f"'{match.group(0)}' in the title")
    return None


def _is_a_number(part: str) -> bool:
    """A location that is a phone number, perhaps labelled ("Phone: ...", "Dialpad ...");
    a number inside an address is the reception's, and the place is the place."""
    if not has_phone_number(part):
        return False
    rest = re.sub(r"[^\w\s]|\d+", " ", _NUMBER.sub(" ", part)).split()
    other = [w for w in rest if not (CALL_WORDS.fullmatch(w) or _CODE_WORDS.fullmatch(w))]
    return len(other) <= 1


def _names_the_means(part: str, summary: str) -> bool:
    """The location is what the title calls *through* ("Signal" for "Signal call",
    "WhatsApp" for "call on WhatsApp"): an app, not a place."""
    name = re.escape(part)
    means = rf"(?:{CALL_WORDS.pattern}|{VIDEO_WORDS.pattern})"
    return bool(
        re.search(rf"(?<!\w){name}[- ]+{means}", summary, re.IGNORECASE)
        or re.search(rf"{means}\s+(?:\w+\s+)?(?:on|via|over|per|with|mit|sur|por|em|su|op)"
                     rf"\s+{name}(?!\w)", summary, re.IGNORECASE)
    )


def _names_a_call(part: str) -> bool:
    """A short location made of call words ("Conference call"), or naming a phone call."""
    return bool(CALL_LOCATION.match(part)) or (
        len(part.split()) <= 4 and PHONE_CALL.search(part) is not None
    )


def call_location(facts: EventFacts, sources: list[Source]) -> Classification | None:
    """A location that is a call, not a place: a call's name, a number, a dialer link."""
    for link in sources[1].links:
        meaning = service_of(link.url)
        if meaning and meaning[1] is AUDIO:
            return Classification(AUDIO, f"location is a {meaning[0]} link", link.url)
    for part in location_parts(facts.location):
        if _is_a_number(part):
            number = next(iter(phone_numbers(part + " tel")), (part, False))[0]
            return Classification(AUDIO, "location is a phone number", tel_link(number))
        if _names_a_call(part):
            reason = f"location says '{first_line(part)}'"
            return Classification(AUDIO, reason, best_audio_link(sources))
    return None


def phone_evidence(sources: list[Source], *, strong: bool) -> Classification | None:
    """A tel:/dial-in link, else a number; ``strong`` wants dial-in wording around the number.

    Strong numbers rank above the calendar default; a bare number (maybe a contact
    number) only below a place.
    """
    for source in sources:
        for link in source.links:
            meaning = service_of(link.url)
            if meaning and meaning[1] is AUDIO:
                what = "tel: link" if meaning[0] == "phone" else f"{meaning[0]} link"
                reason = f"{what} in the {source.name}, no video link"
                return Classification(AUDIO, reason, link.url)
    for source in sources:
        for number, is_strong in phone_numbers(source.text):
            if is_strong or not strong:
                what = "dial-in number" if is_strong else "phone number"
                reason = f"{what} in the {source.name}, no video link"
                return Classification(AUDIO, reason, tel_link(number))
    return None


def maybe_online(sources: list[Source]) -> Classification | None:
    """An unlabelled web link beside a call: it may be the online meeting, so not audio."""
    links = _unexplained_links(sources)
    if links:
        return Classification(VIDEO, "a link that may be an online meeting; not sure it is audio",
                              links[0])
    return None


def place_evidence(facts: EventFacts) -> Classification | None:
    """A real place: location text that is not a call, an online meeting or "TBD"; a room;
    a map position."""
    for part in location_parts(facts.location):
        if IGNORED_LOCATION.match(part) or not re.search(r"\w", part):
            continue
        if ONLINE_LOCATION.match(part) or _names_a_call(part) or _SIP_ALIAS.match(part):
            continue
        if _is_a_number(part) or _names_the_means(part, facts.summary):
            continue
        return Classification(IN_PERSON, f"at {first_line(part)}, no video link")
    rooms = _rooms(facts)
    if rooms:
        return Classification(IN_PERSON, f"room booked: {first_line(rooms[0])}")
    if facts.has_geo:
        return Classification(IN_PERSON, "has a map position, no video link")
    return None


def call_in_title(facts: EventFacts) -> Classification | None:
    """A call word in the title ("call", "llamada", "電話") with no video link anywhere."""
    match = CALL_WORDS.search(facts.summary)
    if match:
        return Classification(AUDIO, f"'{match.group(0)}' in the title, no video link")
    return None
