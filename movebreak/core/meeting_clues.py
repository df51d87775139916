"""What an invitation's words say about a meeting: audio markers, places, phone numbers.

When no link decides, the wording does: "walk and talk" in a title, "Phone" as
the location, "Dial-in numbers:" above a number, "OOO" or "Focus time" on an
event nobody else is invited to. These are the patterns for those clues, kept
apart from links (``meeting_links``) because they are language, tuned against
vendor boilerplate, and change for different reasons. They only match text; the
ranking of clues against each other is in ``meetings`` and ``meeting_evidence``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# --------------------------------------------------------------------------- wording

_W = r"(?<![\w-])"  # word start that treats "-" as part of words ("walk-and-talk")
STRONG_AUDIO = re.compile(
    _W + r"(audio[- ]?only|voice[- ]?only|phone[- ]?only|no[- ]video|cameras?[- ]off"
    r"|walk(?:ing)?[- ]?(?:and|&|n|'n'|'n)[- ]?talks?|walk ?& ?talk|walking (?:meeting|1[:-]1|"
    r"one[- ]on[- ]one|call|sync)|phone (?:call|screen|interview|chat|meeting|sync|catch[- ]?up)"
    r"|by phone|on the phone|over the phone|phone|telefon\w*|t[ée]l[ée]phon\w*|telef[oó]nic\w*)"
    r"(?![\w])",
    re.IGNORECASE,
)
DESC_STRONG_AUDIO = re.compile(
    _W + r"(audio[- ]only|voice[- ]only|no[- ]video|cameras?[- ]off|walk(?:ing)?[- ]?(?:and|&)"
    r"[- ]?talks?|walking meeting|phone call only|(?:this is|this will be) an? (?:phone|audio)"
    r" call)(?![\w])",
    re.IGNORECASE,
)
# Lines vendors add to every invite; they say nothing about how *this* meeting is held.
BOILERPLATE = re.compile(
    r"call[- ]?in \(audio only\)|\(audio only\)|join by phone|dial by your location|one tap mobile"
    r"|video conferencing device|join audio|phone conference id|audio conference|or dial"
    r"|more phone numbers|find (?:a|your) local number|dial[- ]in by phone|join (?:via|by) phone",
    re.IGNORECASE,
)
WEAK_CALL = re.compile(
    _W + r"(call|calls|conference call|teleconference|telco|dial[- ]in|ring|anruf|appel"
    r"|llamada)(?![\w])",
    re.IGNORECASE,
)
ONLINE_WORDS = re.compile(
    r"^(online|virtual|remote|web ?conference|video ?(call|conference|chat|meeting)?"
    r"|online meeting|virtual meeting|webinar)$",
    re.IGNORECASE,
)
SERVICE_NAMES = re.compile(
    r"\b(microsoft teams|ms teams|teams meeting|teams|zoom|google meet|hangouts?|webex|skype"
    r"|skype meeting|gotomeeting|goto meeting|bluejeans|chime|whereby|jitsi|slack huddle"
    r"|facetime|ringcentral( video)?|discord)\b",
    re.IGNORECASE,
)
SUMMARY_SERVICE = re.compile(
    r"\b(?:on|via|over|per) (?:zoom|teams|google meet|meet|webex|skype|hangouts?|facetime|jitsi)\b"
    r"|\b(?:zoom|teams|webex|skype|hangouts?|facetime|jitsi|video)[- ](?:call|meeting|chat|sync)\b",
    re.IGNORECASE,
)
PHONE_WORDS = re.compile(
    r"^(phone|phone call|telephone|by phone|mobile|cell|cellphone|call me|i'?ll call( you)?"
    r"|telefon|téléphone|teléfono)$",
    re.IGNORECASE,
)
IGNORED_LOCATION = re.compile(r"^(n/?a|none|tbd|tba|tbc|-+|\?+|\.)$", re.IGNORECASE)
CANCELLED_TITLE = re.compile(r"^\s*(cancell?ed|canceled|abgesagt|annulé|cancelado)\s*:", re.I)
OUT_OF_OFFICE = re.compile(
    _W + r"(out of (?:the )?office|ooo|oof|vacation|pto|annual leave|sick leave"
    r"|sick day|on leave|day off|urlaub|congés?|vacaciones|abwesend)(?![\w])",
    re.IGNORECASE,
)
FOCUS_BLOCK = re.compile(
    _W + r"(focus(?:ed)?(?: time| block| work)?|deep work|heads?[- ]down|do not (?:book|disturb)"
    r"|don'?t book|no meetings?|blocked|block|busy|hold|reserved|fokuszeit)(?![\w])",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------- phone numbers

_PHONE_NUMBER = re.compile(r"(?<![\w/=%#.+-])(\+?\(?\d[\d \t().\-\u2011\u2013/]{5,}\d)(?![\w/%@])")
_DIAL_CONTEXT = re.compile(
    r"dial|call[- ]?in|bridge|conference|toll|\bpin\b|access code|passcode|one tap|join by phone"
    r"|einwahl|phone number|numéro|numero",
    re.IGNORECASE,
)
_PHONE_CONTEXT = re.compile(r"phone|\btel\b|\bcall\b|mobile|telefon|t[ée]l[ée]phone", re.I)
_ID_LINE = re.compile(r"meeting id|webinar id|conference id|meeting number|\bid:", re.IGNORECASE)


def digit_count(text: str) -> int:
    """Digits only, whatever the separators: the length test for a phone number."""
    return sum(ch.isdigit() for ch in text)


def phone_numbers(text: str) -> Iterator[tuple[str, bool]]:
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
            digits = digit_count(number)
            if not 7 <= digits <= 16 or re.fullmatch(r"\d{4}[-/.]\d{2}[-/.]\d{2}", number):
                continue
            strong = bool(_DIAL_CONTEXT.search(context))
            plus = number.startswith("+") and digits >= 8
            if strong or plus or _PHONE_CONTEXT.search(line):
                yield number, strong


def tel_link(number: str) -> str:
    """A dialable ``tel:`` link for a number as written, so the user can tap it."""
    return "tel:" + re.sub(r"[^\d+]", "", number)
