"""Find the meeting links in an invitation, and name the service behind each one.

A link is the strongest evidence of how a meeting is held, but invitations hide
them: in prose, in HTML link targets, behind mail-gateway wrappers (SafeLinks,
Proofpoint), as app schemes (``zoommtg:``, ``msteams:``) or as ``tel:``/``sip:``.
This module turns any of that into plain links and says which conferencing
service each belongs to and whether it means video or audio (the services are
the table in ``meeting_services``). It knows nothing about events;
``meeting_evidence`` decides what the links mean for one.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlsplit

from movebreak.core.meeting_facts import MeetingKind
from movebreak.core.meeting_services import SERVICES, Link

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


def _first(query: dict[str, list[str]], *keys: str) -> str | None:
    """The first value of the first of ``keys`` the query has."""
    for key in keys:
        if query.get(key):
            return query[key][0]
    return None


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
            inner = _first(query, "url")
        elif host == "urldefense.proofpoint.com":
            raw = _first(query, "u")
            if raw:
                inner = unquote(raw.replace("-", "%").replace("_", "/"))
        elif host == "urldefense.com" and parts.path.startswith("/v3/__"):
            inner = url.split("/v3/__", 1)[1].split("__;", 1)[0]
        elif host in {"www.google.com", "google.com"} and parts.path == "/url":
            inner = _first(query, "q", "url")
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


#: Every link shape in table order, with the service it names (first match wins).
_LINKS: tuple[tuple[Link, str, MeetingKind], ...] = tuple(
    (link, svc.name, svc.kind) for svc in SERVICES for link in svc.links
)
_SCHEMES = {  # clients that always open a video meeting
    scheme: svc.name for svc in SERVICES for scheme in svc.schemes
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
    for shape, name, kind in _LINKS:
        if shape.host.search(host) and (shape.path is None or shape.path.search(path)):
            return (name, kind)
    return None
