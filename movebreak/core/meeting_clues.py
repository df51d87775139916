"""What an invitation's words say about a meeting: calls, video, places, phone numbers.

When no link decides, the wording does: "walk and talk" in a title, "Telefonkonferenz"
as the location, "Einwahl:" above a number, "OOO" on an event nobody else is in.
These are the patterns for those clues, kept apart from links (``meeting_links``)
because they are language; only the services' own names come from the table the
links share (``meeting_services``). Each pattern is a *kind* of wording, in at
least English, German, French, Spanish, Japanese, Portuguese, Italian and Dutch;
they only match text, and the ranking of clues against each other is in ``meetings``.

Japanese has no spaces between words, so CJK terms are matched without word bounds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from movebreak.core.meeting_services import LOCATION_NAMES, TITLE_NAMES

_W = r"(?<![\w-])"  # word start that treats "-" as part of words ("walk-and-talk")
_E = r"(?![\w])"


def _words(*alternatives: str, cjk: tuple[str, ...] = ()) -> re.Pattern[str]:
    """Whole words (any of ``alternatives``, regex syntax) or CJK terms anywhere."""
    latin = _W + "(?:" + "|".join(alternatives) + ")" + _E
    parts = [latin, *cjk]
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


# --------------------------------------------------------------------------- audio wording

#: The organizer says the meeting itself has no video: beats any link, wherever it is said.
NO_VIDEO = _words(
    r"audio[- ]?only|voice[- ]?only|phone[- ]?only|no[- ]video|without video|cameras?[- ]off",
    r"walk(?:ing)?[- ]?(?:and|&|n|'n'|'n)[- ]?talks?|walk ?& ?talk",
    r"walking (?:meeting|1[:-]1|one[- ]on[- ]one|call|sync)",
    r"nur[- ]audio|ohne video|kameras? aus|audio uniquement|sans vid[ée]o",
    r"cam[ée]ras? (?:coup|[ée]teint)\w*|s[oó]lo audio|sin v[ií]deo|c[aá]maras? apagadas?",
    r"somente [áa]udio|apenas [áa]udio|sem v[ií]deo",
    r"senza video|alleen audio|zonder video|camera'?s? uit",
    cjk=("音声のみ", "ビデオなし", "カメラオフ"),
)
#: A phone call named as such ("phone call", "Telefonat", "appel téléphonique"): in a
#: title it beats a link (the link is the fallback), in prose it is only a hint.
PHONE_CALL = _words(
    r"phone (?:call|screen|interview|chat|meeting|sync|catch[- ]?up)|(?:by|on the|over the) phone",
    r"telefon(?:at|konferenz|termin|isch\w*|gespräch|interview|ica|ico|iche|ata|ema|gesprek)",
    r"t[ée]l[ée]phoniques?|par t[ée]l[ée]phone|telef[óô]nic[ao]s?|por tel[ée]fono|por telefone",
    r"per telefono|telefoongesprek|belafspraak",
    cjk=("電話会議", "電話面談", "電話で", "電話にて", "音声通話"),
)
#: Weaker call words: a call of some kind, unless a video link says otherwise.
CALL_WORDS = _words(
    r"calls?|conference call|tele-?con(?:ference)?|telco|dial[- ]?in|ring|phone|telephone",
    r"anruf|r[üu]ckruf|telefon|einwahl|appel|t[ée]l[ée]phone|llamada|tel[ée]fono|chamada|liga[çc][ãa]o",
    r"telefone|chiamata|telefono|bellen|telefoon|inbellen|tele-?conf[ée]r\w*|audio-?conf\w*",
    cjk=("電話", "通話"),
)
#: A location part that names a call, not a place ("Conference call", "Telefon", "Call me"),
#: perhaps with the line's short id ("Bridge 3", "Dial-in #2", "Telco B"): an id has a
#: digit or is one letter, so "Phone booth" stays a place.
CALL_LOCATION = re.compile(
    r"^(?:(?:mobile|cell|cellphone|call me|i'?ll call(?: you)?|we'?ll call(?: you)?|bridge)"
    r"|(?:" + CALL_WORDS.pattern + r")(?:\s+(?:" + CALL_WORDS.pattern + r"))?"
    r"|" + PHONE_CALL.pattern + r")"
    r"(?:\s*(?:#|no\.?|nr\.?|n[°º])?\s*(?:\d[\w-]{0,5}|[a-z]))?$",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------- video wording

_ONLINE = (
    r"online|virtual|remote|web ?conference|webinar|online[- ]?(?:meeting|call|event|session)"
    r"|virtual meeting|en ligne|en l[ií]nea|em linha|in linea|virtuell|digital"
)
_VIDEO = (
    r"video(?:[- ]?(?:call|chat|meeting|conference|konferenz|call|gesprek|vergadering|"
    r"chamada|chiamata|llamada|conferencia|confer[êe]ncia|conferenza))?"
    r"|videocall|videokonferenz|visio(?:conf[ée]rence)?|videollamada|videoconferencia"
    r"|videochamada|videoconfer[êe]ncia|videochiamata|videoconferenza|beeldbellen"
    r"|videogesprek|videovergadering|facetime"
)
#: A location part that is an online or video meeting, not a place.
ONLINE_LOCATION = re.compile(
    rf"^(?:{_ONLINE}|{_VIDEO})$|^(?:ビデオ|オンライン|web|ウェブ)(?:会議|通話)?$", re.IGNORECASE
)
#: Video wording in a title ("Video call with Raj", "ビデオ会議", "on Zoom").
VIDEO_WORDS = _words(
    _VIDEO, rf"(?:on|via|over|per|auf|sur|por|em|su|op) (?:{TITLE_NAMES})",
    rf"(?:{TITLE_NAMES})[- ](?:call|meeting|chat|sync)",
    cjk=("ビデオ会議", "ビデオ通話", "オンライン会議", "オンライン打ち合わせ",
         "オンラインミーティング", "ウェブ会議", "Web会議", "WEB会議"),
)
#: Conferencing products named in a location ("Microsoft Teams-Besprechung", "Zoom").
SERVICE_NAMES = re.compile(rf"\b({LOCATION_NAMES})\b", re.IGNORECASE)
#: Words around a link that present it as the way to join a meeting.
JOIN_WORDS = re.compile(
    r"join|meeting|meet\b|online|video|webinar|room|click|link|stream|live|session|conference"
    r"|beitreten|teilnehmen|besprechung|konferenz|rejoindre|participer|r[ée]union|visio"
    r"|unirse|[úu]nete|reuni[oó]n|enlace|entrar|participar|partecipa|riunione|collegamento"
    r"|deelnemen|vergadering|参加|会議|ミーティング",
    re.IGNORECASE,
)
#: Words around a link that say it is not a way to join (documents, cancelling, numbers).
NOT_JOIN_WORDS = re.compile(
    r"agenda|document|docs?\b|slides?|notes|minutes|cancel|reschedul|local numbers?|numbers"
    r"|dial[- ]?in|find (?:a|your) local|map|directions|parking|menu|privacy|help|unsubscribe"
    r"|tagesordnung|protokoll|absagen|ordre du jour|annuler|orden del d[ií]a|cancelar"
    r"|annulla|ordine del giorno|annuleren|議題|資料",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------- other events

#: Lines vendors add to every invite; they say nothing about how *this* meeting is held.
BOILERPLATE = re.compile(
    r"call[- ]?in \(audio only\)|\([^()]*\baudio\b[^()]*\)|（[^（）]*音声[^（）]*）|\(音声のみ\)"
    r"|join by phone|dial by your location|one tap mobile|video conferencing device|join audio"
    r"|phone conference id|or dial|more phone numbers|find (?:a|your) local number"
    r"|dial[- ]in by phone|join (?:via|by) phone",
    re.IGNORECASE,
)
IGNORED_LOCATION = re.compile(r"^(n/?a|none|tbd|tba|tbc|-+|\?+|\.)$", re.IGNORECASE)
CANCELLED_TITLE = re.compile(
    r"^\s*(cancell?ed|canceled|abgesagt|annulé|cancelado|annullato|geannuleerd|キャンセル)\s*:",
    re.I,
)
OUT_OF_OFFICE = re.compile(
    _W + r"(out of (?:the )?office|ooo|oof|vacation|pto|annual leave|sick leave"
    r"|sick day|on leave|day off|urlaub|congés?|vacaciones|abwesend|f[ée]rias|ferie|vakantie"
    r")(?![\w])|休暇",
    re.IGNORECASE,
)
FOCUS_BLOCK = re.compile(
    _W + r"(focus(?:ed)?(?: time| block| work)?|deep work|heads?[- ]down|do not (?:book|disturb)"
    r"|don'?t book|no meetings?|blocked|block|busy|hold|reserved|fokuszeit)(?![\w])",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------- phone numbers

# The run between the first and last digit is bounded: a number has at most 15 digits,
# and an unbounded run backtracked quadratically on text like "(1/(1/(1/..." (120 KB of
# it took 98 s; bounded, 0.03 s).
_PHONE_NUMBER = re.compile(
    r"(?<![\w/=%#.+-])(\+?\(?\d[\d \t().\-\u2011\u2013/]{5,40}\d)(?![\w/%@])"
)
_DIAL_CONTEXT = re.compile(
    r"dial|call[- ]?in|bridge|conference|toll|\bpin\b|access code|passcode|one tap|join by phone"
    r"|phone number|einwahl|konferenz|numéro|num[eé]ro|n[úu]mero|acc[eè]s|acceso|acesso"
    r"|accesso|inbellen|bel in|c[oó]digo|codice|code|pincode|ligue|marque|marca|llame|appelez"
    r"|chiama|anrufen|rufen|電話番号|番号",
    re.IGNORECASE,
)
_PHONE_CONTEXT = re.compile(
    r"phone|\btel\b|\btel\.|\bcall\b|mobile|telefon|t[ée]l[ée]phone|tel[ée]fono|telefone|telefono"
    r"|telefoon|bellen|bel\b|ligar|llam|chiam|appel|ring|電話",
    re.I,
)
_ID_LINE = re.compile(r"meeting id|webinar id|conference id|meeting number|\bid:|会議ID", re.I)


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


def has_phone_number(text: str) -> bool:
    """Whether ``text`` holds something shaped like a phone number (7 to 16 digits)."""
    return any(7 <= digit_count(m.group(1)) <= 16 for m in _PHONE_NUMBER.finditer(text))


def tel_link(number: str) -> str:
    """A dialable ``tel:`` link for a number as written, so the user can tap it."""
    return "tel:" + re.sub(r"[^\d+]", "", number)
