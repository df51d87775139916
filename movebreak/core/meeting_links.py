"""Find the meeting links in an invitation, and name the service behind each one.

A link is the strongest evidence of how a meeting is held, but invitations hide
them: in prose, in HTML link targets, behind mail-gateway wrappers (SafeLinks,
Proofpoint), as app schemes (``zoommtg:``, ``msteams:``) or as ``tel:``/``sip:``.
This module turns any of that into plain links and says which conferencing
service each belongs to and whether it means video or audio. It knows nothing
about events; ``meeting_evidence`` decides what the links mean for one.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlsplit

from movebreak.core.meeting_facts import MeetingKind

# --------------------------------------------------------------------------- links

_URL_RE = re.compile(
    r"""(?:\b[a-z][a-z0-9+.-]{1,30}://|\bwww\.|\bmsteams:/|\bskype:(?=[\w+.]))"""
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


def without_links(text: str) -> str:
    """``text`` with its URLs, tel: and sip: blanked out, so what is left reads as a place."""
    for regex in (_URL_RE, _TEL_RE, _SIP_RE):
        text = regex.sub(" ", text)
    return text


# --------------------------------------------------------------------------- services


@dataclass(frozen=True)
class _Service:
    """One conferencing service's links: host and path patterns, and the kind they mean."""

    name: str
    host: re.Pattern[str]
    path: re.Pattern[str] | None = None
    kind: MeetingKind = MeetingKind.VIDEO


def _svc(
    name: str, host: str, path: str | None = None, kind: MeetingKind = MeetingKind.VIDEO
) -> _Service:
    """Compile one table row; case does not matter in hosts or meeting paths."""
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
_SCHEMES = {  # clients that always open a video meeting
    "zoommtg": "Zoom",
    "zoomus": "Zoom",
    "msteams": "Microsoft Teams",
    "webex": "Webex",
    "facetime": "FaceTime",
}


_AUDIO_SCHEMES = {"tel": "phone", "callto": "phone", "facetime-audio": "FaceTime audio"}
# A page that lists dial-in numbers (any service): evidence of a phone bridge, not a way
# to join with video. Checked before the table, since it often sits on a video host.
_DIAL_IN_PAGE = re.compile(
    r"dial-?in|local-?numbers|phone-?numbers|/numbers\b|dialinnumbers", re.I
)
_VIDEO_FLAG = re.compile(r"(?:^|[?&;])video=(?:true|1|yes|on)\b", re.I)
_AUDIO_FLAG = re.compile(
    r"(?:^|[?&;])(?:call|audio|voice)(?:=(?:true|1|yes|on|only))?(?:$|[&;])", re.I
)


def service_of(link: str) -> tuple[str, MeetingKind] | None:
    """Which conferencing service a link belongs to, and whether it means video or audio.

    By shape first: a scheme that places a call (``tel:``, ``callto:``, ``facetime-audio:``,
    an app link flagged for a call without video) is audio; a SIP address or any other
    app link opens a client that can show video; a page listing dial-in numbers is
    audio. Then the table of known services. An unknown ``https`` link is None here:
    whether it is a way to join depends on the words around it (``meeting_evidence``).
    """
    lowered = link.lower()
    scheme = lowered.split(":", 1)[0]
    if scheme in _AUDIO_SCHEMES:
        return (_AUDIO_SCHEMES[scheme], MeetingKind.AUDIO)
    if scheme in {"sip", "sips"}:
        return ("SIP address", MeetingKind.VIDEO)
    if scheme not in {"http", "https"} and re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme):
        name = _SCHEMES.get(scheme, f"{scheme.capitalize()} app")
        query = lowered.split("?", 1)[1] if "?" in lowered else ""
        if _VIDEO_FLAG.search(query) or scheme in _SCHEMES:
            return (name, MeetingKind.VIDEO)
        if _AUDIO_FLAG.search(query):
            return (f"{name} call", MeetingKind.AUDIO)
        return (name, MeetingKind.VIDEO)
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
    if _DIAL_IN_PAGE.search(host.split(".")[0]) or _DIAL_IN_PAGE.search(path):
        return ("dial-in numbers page", MeetingKind.AUDIO)
    for svc in _SERVICES:
        if svc.host.search(host) and (svc.path is None or svc.path.search(path)):
            return (svc.name, svc.kind)
    return None
