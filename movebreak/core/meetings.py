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
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlsplit


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


# --------------------------------------------------------------------------- links

_URL_RE = re.compile(
    r"""(?:\b(?:https?|zoommtg|zoomus|msteams|webex|facetime)://|\bwww\.|\bmsteams:/)"""
    r"""[^\s<>"'`\\^|]+""",
    re.IGNORECASE,
)
_TEL_RE = re.compile(r"\b(?:tel|callto):[^\s<>\"']+", re.IGNORECASE)
_SIP_RE = re.compile(r"\bsips?:[^\s<>\"'@]+@[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}>*'\""

_SAFELINKS_HOST = re.compile(
    r"(^|\.)safelinks\.protection\.(outlook\.com|office365\.us|outlook\.de|partner\.outlook\.cn)$"
)


def _clean_url(raw: str) -> str:
    """Drop punctuation that ends a sentence rather than the URL, keeping balanced parens."""
    url = raw
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    if url.lower().startswith("www."):
        url = "https://" + url
    return url


def unwrap_url(url: str) -> str:
    """Undo link wrappers (Outlook SafeLinks, Proofpoint, Google redirects) to get the real URL.

    Mail gateways rewrite every link, so without this a Teams link hides behind
    ``eur01.safelinks.protection.outlook.com``; wrappers can nest, hence the loop.
    """
    for _ in range(5):
        try:
            parts = urlsplit(url)
        except ValueError:
            return url
        host = (parts.hostname or "").lower()
        query = parse_qs(parts.query)
        inner: str | None = None
        if _SAFELINKS_HOST.search(host) or (
            host == "statics.teams.cdn.office.net" and "safelinks" in parts.path
        ):
            inner = (query.get("url") or [None])[0]
        elif host == "urldefense.proofpoint.com":
            raw = (query.get("u") or [None])[0]
            if raw:
                inner = unquote(raw.replace("-", "%").replace("_", "/"))
        elif host == "urldefense.com" and parts.path.startswith("/v3/__"):
            inner = url.split("/v3/__", 1)[1].split("__;", 1)[0]
        elif host in {"www.google.com", "google.com"} and parts.path == "/url":
            inner = (query.get("q") or query.get("url") or [None])[0]
        if not inner or not re.match(r"(?i)[a-z][a-z0-9+.-]*:", inner):
            return url
        url = inner
    return url


def find_links(text: str) -> list[str]:
    """Every URL, tel: and sip: in ``text`` in order, unwrapped and de-duplicated."""
    if not text:
        return []
    found: list[tuple[int, str]] = []
    for regex in (_URL_RE, _TEL_RE, _SIP_RE):
        for match in regex.finditer(text):
            found.append((match.start(), _clean_url(match.group(0))))
    found.sort()
    seen: set[str] = set()
    links = []
    for _, raw in found:
        link = unwrap_url(raw)
        if link and link not in seen:
            seen.add(link)
            links.append(link)
    return links


class _HTMLText(HTMLParser):
    """Collects visible text and href targets; tolerant of the broken HTML mail clients write."""

    _BLOCK = frozenset({"br", "p", "div", "tr", "li", "table", "h1", "h2", "h3", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hrefs: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "head"}:
            self._skip += 1
        if tag in self._BLOCK:
            self.parts.append("\n")
        for name, value in attrs:
            if name == "href" and value:
                self.hrefs.append(html.unescape(value).strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "head"} and self._skip:
            self._skip -= 1
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, list[str]]:
    """Visible text of an HTML description plus the targets of its links."""
    parser = _HTMLText()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # HTMLParser is lenient, but never let one description break a load
        return re.sub(r"<[^>]*>", " ", markup), []
    return "".join(parser.parts), parser.hrefs


# --------------------------------------------------------------------------- services


@dataclass(frozen=True)
class _Service:
    name: str
    host: re.Pattern[str]
    path: re.Pattern[str] | None = None
    kind: MeetingKind = MeetingKind.VIDEO


def _svc(
    name: str, host: str, path: str | None = None, kind: MeetingKind = MeetingKind.VIDEO
) -> _Service:
    return _Service(name, re.compile(host, re.I), re.compile(path, re.I) if path else None, kind)


_ANY = r"^/[^/?#]"  # a non-empty path: the bare homepage is not a meeting
_SERVICES: tuple[_Service, ...] = (
    _svc(
        "Zoom",
        r"(^|\.)(zoom\.us|zoom\.com|zoomgov\.com)$",
        r"^/(j|s|w|wc|my|meeting|webinar)(/|$)",
    ),
    _svc("Google Meet", r"^meet\.google\.com$", _ANY),
    _svc("Google Meet", r"^g\.co$", r"^/meet/"),
    _svc("Google Hangouts", r"^hangouts\.google\.com$", r"^/(call|hangouts)/"),
    _svc(
        "Microsoft Teams",
        r"^(teams\.microsoft\.com|teams\.live\.com|(gov|dod|gcc)\.teams\.microsoft\.us|teams\.cloud\.microsoft)$",
        r"^/(l/meetup-join|meet/|l/meet|v2/|_#/l/meetup-join|dl/launcher)",
    ),
    _svc("Webex", r"(^|\.)webex\.com(\.cn)?$", r"^/(?!(support|help|downloads?|pricing)\b)[^?#]"),
    _svc("GoToMeeting", r"(^|\.)gotomeeting\.com$", r"^/(join|meeting)"),
    _svc("GoToMeeting", r"^(gotomeet\.me|meet\.goto\.com)$", _ANY),
    _svc("GoToMeeting", r"^app\.goto\.com$", r"^/meeting"),
    _svc("GoToWebinar", r"(^|\.)gotowebinar\.com$", r"^/(join|register)"),
    _svc("Amazon Chime", r"(^|\.)chime\.aws$", _ANY),
    _svc("BlueJeans", r"(^|\.)bluejeans\.com$", _ANY),
    _svc("Whereby", r"(^|\.)(whereby\.com|appear\.in)$", _ANY),
    _svc("Jitsi", r"^(meet\.jit\.si|8x8\.vc|jitsi\.[^.]+\..+|meet\.[^.]+\.jitsi\.net)$", _ANY),
    _svc("Skype", r"^join\.skype\.com$", _ANY),
    _svc("Skype for Business", r"(^|\.)lync\.com$", r"^/(meet|.+/meet)"),
    _svc("Slack huddle", r"(^|\.)slack\.com$", r"huddle"),
    _svc("RingCentral", r"^(meetings|v|video)\.ringcentral\.com$", _ANY),
    _svc("FaceTime", r"^facetime\.apple\.com$", r"^/join"),
    _svc("Around", r"(^|\.)around\.co$", _ANY),
    _svc("Tuple", r"(^|\.)tuple\.app$", r"^/c/"),
    _svc("Discord", r"^(discord\.gg|discord\.com)$", r"^/(channels/|invite/|[A-Za-z0-9]+$)"),
    _svc("Gather", r"(^|\.)gather\.town$", r"^/app"),
    _svc("Livestorm", r"(^|\.)livestorm\.co$", _ANY),
    _svc("Demio", r"(^|\.)demio\.com$", r"^/(ref|join)"),
    _svc("Cal Video", r"^(app\.)?cal\.com$", r"^/video/"),
    _svc("Zoho Meeting", r"^meeting\.zoho\.(com|eu|in|com\.au)$", _ANY),
    _svc("Dialpad Meetings", r"(^|\.)dialpad\.com$", r"^/(meetings|uv)/"),
    _svc("Lifesize", r"(^|\.)lifesizecloud\.com$", _ANY),
    _svc("Pexip", r"(^|\.)pexip\.(me|com)$", r"^/(meet|webapp)"),
    _svc("Element Call", r"^call\.element\.io$", _ANY),
    _svc("BigBlueButton", r"(bbb|bigbluebutton)", r"^/(b|rooms|html5client)/"),
    _svc("Vowel", r"(^|\.)vowel\.com$", r"^/#?/?[a-z]"),
    _svc("WhatsApp video call", r"^call\.whatsapp\.com$", r"^/video/"),
    _svc("WhatsApp call", r"^call\.whatsapp\.com$", r"^/voice/", MeetingKind.AUDIO),
    # Pages that list dial-in numbers: phone evidence on their own.
    _svc("Google Meet phone numbers", r"^tel\.meet$", None, MeetingKind.AUDIO),
    _svc("Teams dial-in", r"^dialin\.teams\.microsoft\.com$", None, MeetingKind.AUDIO),
    _svc("Zoom local numbers", r"(^|\.)(zoom\.us|zoomgov\.com)$", r"^/u/", MeetingKind.AUDIO),
    # Self-hosted Jitsi and similar live on "meet.<domain>"; a weak but useful hint.
    _svc("video meeting", r"^meet\.[^.]+\.[^.]+", _ANY),
)
_SCHEMES = {
    "zoommtg": "Zoom",
    "zoomus": "Zoom",
    "msteams": "Microsoft Teams",
    "webex": "Webex",
    "facetime": "FaceTime",
}


def service_of(link: str) -> tuple[str, MeetingKind] | None:
    """Which conferencing service a link belongs to, and whether it means video or audio."""
    lowered = link.lower()
    if lowered.startswith(("tel:", "callto:")):
        return ("phone", MeetingKind.AUDIO)
    if lowered.startswith(("sip:", "sips:")):
        return ("SIP", MeetingKind.AUDIO)
    scheme = lowered.split(":", 1)[0]
    if scheme in _SCHEMES:
        return (_SCHEMES[scheme], MeetingKind.VIDEO)
    if lowered.startswith("skype:") and "call" in lowered:
        return ("Skype", MeetingKind.VIDEO)
    try:
        parts = urlsplit(link)
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"}:
        return None
    host = (parts.hostname or "").lower().rstrip(".")
    path = parts.path or "/"
    if parts.fragment:
        path = f"{path}#{parts.fragment}"
    for svc in _SERVICES:
        if svc.host.search(host) and (svc.path is None or svc.path.search(path)):
            return (svc.name, svc.kind)
    return None


# --------------------------------------------------------------------------- text cues

_W = r"(?<![\w-])"  # word start that treats "-" as part of words ("walk-and-talk")
_STRONG_AUDIO = re.compile(
    _W + r"(audio[- ]?only|voice[- ]?only|phone[- ]?only|no[- ]video|cameras?[- ]off"
    r"|walk(?:ing)?[- ]?(?:and|&|n|'n'|'n)[- ]?talks?|walk ?& ?talk|walking (?:meeting|1[:-]1|"
    r"one[- ]on[- ]one|call|sync)|phone (?:call|screen|interview|chat|meeting|sync|catch[- ]?up)"
    r"|by phone|on the phone|over the phone|phone|telefon\w*|t[ée]l[ée]phon\w*|telef[oó]nic\w*)"
    r"(?![\w])",
    re.IGNORECASE,
)
_DESC_STRONG_AUDIO = re.compile(
    _W + r"(audio[- ]only|voice[- ]only|no[- ]video|cameras?[- ]off|walk(?:ing)?[- ]?(?:and|&)"
    r"[- ]?talks?|walking meeting|phone call only|(?:this is|this will be) an? (?:phone|audio)"
    r" call)(?![\w])",
    re.IGNORECASE,
)
# Lines vendors add to every invite; they say nothing about how *this* meeting is held.
_BOILERPLATE = re.compile(
    r"call[- ]?in \(audio only\)|\(audio only\)|join by phone|dial by your location|one tap mobile"
    r"|video conferencing device|join audio|phone conference id|audio conference|or dial"
    r"|more phone numbers|find (?:a|your) local number|dial[- ]in by phone|join (?:via|by) phone",
    re.IGNORECASE,
)
_WEAK_CALL = re.compile(
    _W + r"(call|calls|conference call|teleconference|telco|dial[- ]in|ring|anruf|appel"
    r"|llamada)(?![\w])",
    re.IGNORECASE,
)
_ONLINE_WORDS = re.compile(
    r"^(online|virtual|remote|web ?conference|video ?(call|conference|chat|meeting)?"
    r"|online meeting|virtual meeting|webinar)$",
    re.IGNORECASE,
)
_SERVICE_NAMES = re.compile(
    r"\b(microsoft teams|ms teams|teams meeting|teams|zoom|google meet|hangouts?|webex|skype"
    r"|skype meeting|gotomeeting|goto meeting|bluejeans|chime|whereby|jitsi|slack huddle"
    r"|facetime|ringcentral( video)?|discord)\b",
    re.IGNORECASE,
)
_SUMMARY_SERVICE = re.compile(
    r"\b(?:on|via|over|per) (?:zoom|teams|google meet|meet|webex|skype|hangouts?|facetime|jitsi)\b"
    r"|\b(?:zoom|teams|webex|skype|hangouts?|facetime|jitsi|video)[- ](?:call|meeting|chat|sync)\b",
    re.IGNORECASE,
)
_PHONE_WORDS = re.compile(
    r"^(phone|phone call|telephone|by phone|mobile|cell|cellphone|call me|i'?ll call( you)?"
    r"|telefon|téléphone|teléfono)$",
    re.IGNORECASE,
)
_IGNORED_LOCATION = re.compile(r"^(n/?a|none|tbd|tba|tbc|-+|\?+|\.)$", re.IGNORECASE)
_PHONE_NUMBER = re.compile(r"(?<![\w/=%#.+-])(\+?\(?\d[\d \t().\-\u2011\u2013/]{5,}\d)(?![\w/%@])")
_DIAL_CONTEXT = re.compile(
    r"dial|call[- ]?in|bridge|conference|toll|\bpin\b|access code|passcode|one tap|join by phone"
    r"|einwahl|phone number|numéro|numero",
    re.IGNORECASE,
)
_PHONE_CONTEXT = re.compile(r"phone|\btel\b|\bcall\b|mobile|telefon|t[ée]l[ée]phone", re.I)
_ID_LINE = re.compile(r"meeting id|webinar id|conference id|meeting number|\bid:", re.IGNORECASE)
_CANCELLED_TITLE = re.compile(r"^\s*(cancell?ed|canceled|abgesagt|annulé|cancelado)\s*:", re.I)
_OOO = re.compile(
    _W + r"(out of (?:the )?office|ooo|oof|vacation|pto|annual leave|sick leave"
    r"|sick day|on leave|day off|urlaub|congés?|vacaciones|abwesend)(?![\w])",
    re.IGNORECASE,
)
_FOCUS = re.compile(
    _W + r"(focus(?:ed)?(?: time| block| work)?|deep work|heads?[- ]down|do not (?:book|disturb)"
    r"|don'?t book|no meetings?|blocked|block|busy|hold|reserved|fokuszeit)(?![\w])",
    re.IGNORECASE,
)


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _phone_numbers(text: str) -> Iterator[tuple[str, bool]]:
    """Phone numbers in text, each with whether dial-in wording surrounds it (strong).

    A bare number is weak evidence: a contact number in an in-person invite is not a
    dial-in. Numbers on "Meeting ID:" lines are IDs, not phones.
    """
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if _ID_LINE.search(line) and not re.search(r"\+\d", line):
            continue
        # Invites put "Dial-in numbers:" or "Conference bridge" on a line of its own.
        context = "\n".join(lines[max(0, index - 2) : index + 1])
        for match in _PHONE_NUMBER.finditer(line):
            number = match.group(1).strip()
            digits = _digits(number)
            if not 7 <= digits <= 16 or re.fullmatch(r"\d{4}[-/.]\d{2}[-/.]\d{2}", number):
                continue
            strong = bool(_DIAL_CONTEXT.search(context))
            plus = number.startswith("+") and digits >= 8
            if strong or plus or _PHONE_CONTEXT.search(line):
                yield number, strong


def _tel_link(number: str) -> str:
    return "tel:" + re.sub(r"[^\d+]", "", number)


def _first_line(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- evidence


@dataclass(frozen=True)
class _Source:
    """One place in the event that text or links came from, in priority order."""

    name: str
    text: str
    links: tuple[str, ...]


def _sources(facts: EventFacts) -> list[_Source]:
    html_text, hrefs = html_to_text(facts.html_description) if facts.html_description else ("", [])
    html_links = find_links(html_text) + [unwrap_url(h) for h in hrefs if ":" in h]
    return [
        _Source("URL", facts.url, tuple(find_links(facts.url) or ([facts.url] * bool(facts.url)))),
        _Source("location", facts.location, tuple(find_links(facts.location))),
        _Source("description", facts.description, tuple(find_links(facts.description))),
        _Source("HTML description", html_text, tuple(dict.fromkeys(html_links))),
    ]


def _conference_evidence(facts: EventFacts) -> tuple[Classification | None, Classification | None]:
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


def _people(facts: EventFacts, me: frozenset[str]) -> int:
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
    return [
        a.name or a.address
        for a in facts.attendees
        if a.cutype.upper() in {"ROOM", "RESOURCE"}
        or a.address.endswith("resource.calendar.google.com")
    ]


def _rule_text(facts: EventFacts, names: Iterable[str]) -> Iterator[str]:
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
    for rule in rules:
        if rule.calendar is not None and rule.calendar != facts.calendar:
            continue
        label = rule.label or "your rule"
        if rule.pattern is None:
            return Classification(rule.kind, f"{label}: every event in '{facts.calendar}'")
        for text in _rule_text(facts, rule.fields):
            match = rule.pattern.search(text)
            if match:
                return Classification(rule.kind, f"{label} matched '{_first_line(match.group(0))}'")
    return None


def _location_parts(location: str) -> list[str]:
    without_links = location
    for regex in (_URL_RE, _TEL_RE, _SIP_RE):
        without_links = regex.sub(" ", without_links)
    parts = re.split(r"[;\n]|\s\|\s", without_links)
    return [" ".join(p.split()).strip(" ,") for p in parts if p.strip(" ,\t")]


# --------------------------------------------------------------------------- classify


def _not_a_meeting(facts: EventFacts, me: frozenset[str]) -> Classification | None:
    """Cancelled, declined, all-day: facts no rule should overturn."""
    none = MeetingKind.NONE
    if facts.status.upper() == "CANCELLED" or _CANCELLED_TITLE.search(facts.summary):
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
        _OOO.search(facts.summary) and _people(facts, me) == 0
    ):
        return Classification(none, "out of office")
    if _FOCUS.search(facts.summary) and _people(facts, me) == 0:
        return Classification(none, "focus block, no one else invited")
    return None


def _explicit_audio(facts: EventFacts, sources: list[_Source]) -> Classification | None:
    """The organizer said it is a phone / audio-only / walking call: that beats any link."""
    for name, text in (("title", facts.summary), ("categories", " ".join(facts.categories))):
        match = _STRONG_AUDIO.search(text)
        if match:
            return Classification(
                MeetingKind.AUDIO, f"'{match.group(0)}' in the {name}", _best_audio_link(sources)
            )
    for part in _location_parts(facts.location):
        if _PHONE_WORDS.match(part):
            return Classification(
                MeetingKind.AUDIO, f"location says '{part}'", _best_audio_link(sources)
            )
    for source in sources[2:]:
        kept = "\n".join(ln for ln in source.text.splitlines() if not _BOILERPLATE.search(ln))
        match = _DESC_STRONG_AUDIO.search(kept)
        if match:
            return Classification(
                MeetingKind.AUDIO,
                f"'{match.group(0)}' in the {source.name}",
                _best_audio_link(sources),
            )
    return None


def _best_audio_link(sources: list[_Source]) -> str | None:
    """The tel: link to dial, else a number in the text, else the conference link."""
    for source in sources:
        for link in source.links:
            svc = service_of(link)
            if svc and svc[1] is MeetingKind.AUDIO and link.lower().startswith(("tel:", "callto:")):
                return link
    for source in sources:
        for number, _ in _phone_numbers(source.text):
            return _tel_link(number)
    for source in sources:  # no number: the video link is how to join from a phone
        for link in source.links:
            if service_of(link):
                return link
    return None


def _video(facts: EventFacts, sources: list[_Source]) -> Classification | None:
    for source in sources:
        for link in source.links:
            svc = service_of(link)
            if svc and svc[1] is MeetingKind.VIDEO:
                reason = f"{svc[0]} link in the {source.name}"
                return Classification(MeetingKind.VIDEO, reason, link)
    for part in _location_parts(facts.location):
        if _ONLINE_WORDS.match(part):
            return Classification(MeetingKind.VIDEO, f"location says '{part}'")
        match = _SERVICE_NAMES.search(part)
        if match and len(part) <= 60:
            return Classification(MeetingKind.VIDEO, f"location names {match.group(0)}")
    match = _SUMMARY_SERVICE.search(facts.summary)
    if match:
        return Classification(MeetingKind.VIDEO, f"'{match.group(0)}' in the title")
    return None


def _phone(sources: list[_Source], *, strong: bool) -> Classification | None:
    for source in sources:
        for link in source.links:
            svc = service_of(link)
            if svc and svc[1] is MeetingKind.AUDIO:
                what = "tel: link" if svc[0] == "phone" else f"{svc[0]} link"
                return Classification(
                    MeetingKind.AUDIO, f"{what} in the {source.name}, no video link", link
                )
    for source in sources:
        for number, is_strong in _phone_numbers(source.text):
            if is_strong or not strong:
                what = "dial-in number" if is_strong else "phone number"
                return Classification(
                    MeetingKind.AUDIO,
                    f"{what} in the {source.name}, no video link",
                    _tel_link(number),
                )
    return None


def _location_is_number(facts: EventFacts) -> Classification | None:
    for part in _location_parts(facts.location):
        if re.fullmatch(r"[+\d][\d \t().\-/]*", part) and 7 <= _digits(part) <= 16:
            return Classification(MeetingKind.AUDIO, "location is a phone number", _tel_link(part))
    return None


def _place(facts: EventFacts) -> Classification | None:
    for part in _location_parts(facts.location):
        if _IGNORED_LOCATION.match(part) or not re.search(r"\w", part):
            continue
        if _ONLINE_WORDS.match(part) or _PHONE_WORDS.match(part):
            continue
        return Classification(MeetingKind.IN_PERSON, f"at {_first_line(part)}, no video link")
    rooms = _rooms(facts)
    if rooms:
        return Classification(MeetingKind.IN_PERSON, f"room booked: {_first_line(rooms[0])}")
    if facts.has_geo:
        return Classification(MeetingKind.IN_PERSON, "has a map position, no video link")
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
    sources = _sources(facts)
    conf_video, conf_audio = _conference_evidence(facts)
    decided = (
        _explicit_audio(facts, sources)
        or conf_video
        or _video(facts, sources)
        or conf_audio
        or _location_is_number(facts)
        or _phone(sources, strong=True)
    )
    if decided:
        return decided
    default = config.calendar_kinds.get(facts.calendar)
    if default is not None:
        return Classification(default, f"default kind of calendar '{facts.calendar}'")
    decided = _place(facts) or _phone(sources, strong=False)
    if decided:
        return decided
    match = _WEAK_CALL.search(facts.summary)
    if match:
        return Classification(MeetingKind.AUDIO, f"'{match.group(0)}' in the title, no video link")
    others = _people(facts, me)
    if others:
        who = "1 other person" if others == 1 else f"{others} other people"
        return Classification(MeetingKind.IN_PERSON, f"with {who}; no link or place given")
    return Classification(MeetingKind.NONE, "no link, place or other people")
