"""The conferencing services the classifier knows: one row a service, every fact of it.

A service is recognised three ways: by its links (``meeting_links``), by its name in
a location ("Microsoft Teams-Besprechung") and by its name in a title ("Sync on
Zoom", "Teams call") (``meeting_clues``). The lists for each used to be written
apart and drifted; here each service says all three at once, so adding one is one
row and a service missing from one list is visible in its row.

Names are regex alternatives, matched as whole words in any case. A row without
``names`` is one whose name is an everyday word ("Gather", "Around" in a title) or
says nothing of video (WhatsApp places voice calls too); without ``said``, its name
is not safe as a title word. Order matters for links: the first row whose host and
path match names the link, so the catch-all "meet.<domain>" row comes last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from movebreak.core.meeting_facts import MeetingKind

_ANY = r"^/[^/?#]"  # a non-empty path: the bare homepage is not a meeting


@dataclass(frozen=True)
class Link:
    """Link shapes of a service: a host pattern and a path pattern (None: any path)."""

    host: re.Pattern[str]
    path: re.Pattern[str] | None


@dataclass(frozen=True)
class Service:
    """One conferencing service: how its links, its app schemes and people name it."""

    name: str
    kind: MeetingKind
    links: tuple[Link, ...]
    schemes: tuple[str, ...]  # app schemes (``zoommtg:``) that open one of its meetings
    names: tuple[str, ...]  # how a location names it ("ms teams")
    said: tuple[str, ...]  # how a title names it ("on Zoom", "Zoom call")


def _service(
    name: str,
    *links: tuple[str, str | None],
    kind: MeetingKind = MeetingKind.VIDEO,
    schemes: tuple[str, ...] = (),
    names: tuple[str, ...] = (),
    said: tuple[str, ...] = (),
) -> Service:
    """One table row; case does not matter in hosts or meeting paths."""
    compiled = tuple(
        Link(re.compile(host, re.I), re.compile(path, re.I) if path else None)
        for host, path in links
    )
    return Service(name, kind, compiled, schemes, names, said)


SERVICES: tuple[Service, ...] = (
    _service(
        "Zoom",
        (r"(^|\.)(zoom\.us|zoom\.com|zoomgov\.com)$", r"^/(j|s|w|wc|my|meeting|webinar)(/|$)"),
        schemes=("zoommtg", "zoomus"), names=("zoom",), said=("zoom",),
    ),
    _service(
        "Google Meet", (r"^meet\.google\.com$", _ANY), (r"^g\.co$", r"^/meet/"),
        names=("google meet",), said=("google meet", "meet"),
    ),
    _service(
        "Google Hangouts", (r"^hangouts\.google\.com$", r"^/(call|hangouts)/"),
        names=("hangouts?",), said=("hangouts?",),
    ),
    _service(
        "Microsoft Teams",
        (
            r"^(teams\.microsoft\.com|teams\.live\.com|(gov|dod|gcc)\.teams\.microsoft\.us"
            r"|teams\.cloud\.microsoft)$",
            r"^/(l/meetup-join|meet/|l/meet|v2/|_#/l/meetup-join|dl/launcher)",
        ),
        schemes=("msteams",), names=("microsoft teams", "ms teams", "teams"), said=("teams",),
    ),
    _service(
        "Webex",
        (r"(^|\.)webex\.com(\.cn)?$", r"^/(?!(support|help|downloads?|pricing)\b)[^?#]"),
        schemes=("webex",), names=("webex",), said=("webex",),
    ),
    _service(
        "GoToMeeting",
        (r"(^|\.)gotomeeting\.com$", r"^/(join|meeting)"),
        (r"^(gotomeet\.me|meet\.goto\.com)$", _ANY),
        (r"^app\.goto\.com$", r"^/meeting"),
        names=("gotomeeting", "goto meeting"),
    ),
    _service("GoToWebinar", (r"(^|\.)gotowebinar\.com$", r"^/(join|register)")),
    _service("Amazon Chime", (r"(^|\.)chime\.aws$", _ANY), names=("chime",)),
    _service("BlueJeans", (r"(^|\.)bluejeans\.com$", _ANY), names=("bluejeans",)),
    _service(
        "Whereby", (r"(^|\.)(whereby\.com|appear\.in)$", _ANY),
        names=("whereby",), said=("whereby",),
    ),
    _service(
        "Jitsi", (r"^(meet\.jit\.si|8x8\.vc|jitsi\.[^.]+\..+|meet\.[^.]+\.jitsi\.net)$", _ANY),
        names=("jitsi", "8x8 meet"), said=("jitsi",),
    ),
    _service("Skype", (r"^join\.skype\.com$", _ANY), names=("skype",), said=("skype",)),
    _service("Skype for Business", (r"(^|\.)lync\.com$", r"^/(meet|.+/meet)")),
    _service(
        "Slack huddle", (r"(^|\.)slack\.com$", r"huddle"), names=("slack huddle", "huddle"),
    ),
    _service(
        "RingCentral", (r"^(meetings|v|video)\.ringcentral\.com$", _ANY), names=("ringcentral",),
    ),
    _service(
        "FaceTime", (r"^facetime\.apple\.com$", r"^/join"),
        schemes=("facetime",), names=("facetime",), said=("facetime",),
    ),
    _service("Around", (r"(^|\.)around\.co$", _ANY), names=("around",)),
    _service("Tuple", (r"(^|\.)tuple\.app$", r"^/c/"), names=("tuple",)),
    _service(
        "Discord",
        (r"^(discord\.gg|discord\.com)$", r"^/(channels/|invite/|[A-Za-z0-9]+$)"),
        names=("discord",),
    ),
    _service("Gather", (r"(^|\.)gather\.town$", r"^/app")),
    _service("Livestorm", (r"(^|\.)livestorm\.co$", _ANY), names=("livestorm",)),
    _service("Demio", (r"(^|\.)demio\.com$", r"^/(ref|join)")),
    _service("Cal Video", (r"^(app\.)?cal\.com$", r"^/video/")),
    _service(
        "Zoho Meeting", (r"^meeting\.zoho\.(com|eu|in|com\.au)$", _ANY), names=("zoho meeting",),
    ),
    _service(
        "Dialpad Meetings", (r"(^|\.)dialpad\.com$", r"^/(meetings|uv)/"),
        names=("dialpad meetings?",),
    ),
    _service("Lifesize", (r"(^|\.)lifesizecloud\.com$", _ANY), names=("lifesize",)),
    _service("Pexip", (r"(^|\.)pexip\.(me|com)$", r"^/(meet|webapp)"), names=("pexip",)),
    _service("Element Call", (r"^call\.element\.io$", _ANY)),
    _service(
        "BigBlueButton", (r"(bbb|bigbluebutton)", r"^/(b|rooms|html5client)/"),
        names=("bigbluebutton",),
    ),
    _service("Vowel", (r"(^|\.)vowel\.com$", r"^/#?/?[a-z]")),
    _service("WhatsApp video call", (r"^call\.whatsapp\.com$", r"^/video/")),
    _service("WhatsApp call", (r"^call\.whatsapp\.com$", r"^/voice/"), kind=MeetingKind.AUDIO),
    # Known by name only: no link shape of theirs is in the table yet.
    _service("Vidyo", names=("vidyo",)),
    _service("StarLeaf", names=("starleaf",)),
    _service("Adobe Connect", names=("adobe connect",)),
    _service("ClickMeeting", names=("clickmeeting",)),
    _service("Vonage", names=("vonage",)),
    # Pages that list dial-in numbers: phone evidence on their own.
    _service("Google Meet phone numbers", (r"^tel\.meet$", None), kind=MeetingKind.AUDIO),
    _service(
        "Teams dial-in", (r"^dialin\.teams\.microsoft\.com$", None), kind=MeetingKind.AUDIO,
    ),
    _service(
        "Zoom local numbers", (r"(^|\.)(zoom\.us|zoomgov\.com)$", r"^/u/"),
        kind=MeetingKind.AUDIO,
    ),
    # Self-hosted Jitsi and similar live on "meet.<domain>"; a weak but useful hint.
    _service("video meeting", (r"^meet\.[^.]+\.[^.]+", _ANY)),
)


def alternatives(names: list[str]) -> str:
    """Names as one regex alternation, longest first so the fuller name wins."""
    return "|".join(sorted(dict.fromkeys(names), key=len, reverse=True))


#: Every way a location names a service, and a title does: regex alternations.
LOCATION_NAMES = alternatives([n for s in SERVICES for n in s.names])
TITLE_NAMES = alternatives([n for s in SERVICES for n in s.said])
