"""Cut an ICS document into its components before icalendar sees it.

Two reasons, both measured: parsing a five-year calendar of 5,000 events with
icalendar takes over a second on this machine, while the app only ever needs a day or
a week; and icalendar given a whole file with one damaged component may drop or
mangle its neighbours. So this module only *cuts* (no interpretation beyond reading
the few properties that say when an event can happen): each VEVENT and VTIMEZONE
becomes its own block, parsed later on its own, and events that certainly lie far
outside the window are never parsed. Anything this scan is unsure about is kept.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

_LINE_SPLIT = re.compile(r"\r\n|\n|\r")
_UNFOLD = re.compile(rb"\r?\n[ \t]")
_DT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?")
_DURATION = re.compile(
    r"^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$", re.IGNORECASE
)
_UNTIL = re.compile(r"(?:^|;)UNTIL=([0-9TZ]+)", re.IGNORECASE)
_HEADER = re.compile(r"^(X-WR-[A-Z-]+|CALSCALE|METHOD|VERSION|PRODID)[;:]", re.IGNORECASE)
_TZID_PARAM = re.compile(r';TZID=("[^"]*"|[^;:]*)', re.IGNORECASE)

#: How far outside the window a one-off event may appear to lie and still be parsed:
#: times are read here without their time zone (at most ±14 h) or with X-WR-TIMEZONE.
SLACK = timedelta(days=2)


@dataclass(frozen=True)
class Block:
    """One component's unfolded text and what a cheap scan could read from it.

    Times are naive and in whatever zone the file wrote them; None means unknown,
    and unknown always means "keep".
    """

    name: str
    text: str
    uid: str
    start: datetime | None = None
    end: datetime | None = None
    rrule: bool = False
    rdate: bool = False
    override: bool = False
    until: datetime | None = None
    tzids: tuple[str, ...] = ()


@dataclass(frozen=True)
class SplitDocument:
    """A document cut into parts; ``problems`` are structural damage found while cutting."""

    header: tuple[str, ...]
    timezones: tuple[Block, ...]
    events: tuple[Block, ...]
    problems: tuple[tuple[str, str | None], ...] = ()


def _name_value(line: str) -> tuple[str, str, str]:
    """(upper-case name, parameters, value) of a content line; value after the first
    colon that is not inside a quoted parameter."""
    in_quote = False
    for i, ch in enumerate(line):
        if ch == '"':
            in_quote = not in_quote
        elif ch == ":" and not in_quote:
            head, value = line[:i], line[i + 1 :]
            name, _, params = head.partition(";")
            return name.strip().upper(), params, value
    return line.strip().upper(), "", ""


def _parse_dt(value: str) -> datetime | None:
    match = _DT.match(value.strip().split(",")[0])
    if not match:
        return None
    try:
        year, month, day, hour, minute, second = (int(p) if p else 0 for p in match.groups()[:6])
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def _parse_duration(value: str) -> timedelta | None:
    match = _DURATION.match(value.strip())
    if not match or not any(match.groups()[1:]):
        return None
    weeks, days, hours, minutes, seconds = (int(g or 0) for g in match.groups()[1:])
    try:
        delta = timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:  # "P999999999D": not a length this scan can use; icalendar decides
        return None
    return -delta if match.group(1) == "-" else delta


def _scan_event(lines: list[str]) -> Block:
    """Read UID and timing from the event's own lines (not its VALARMs)."""
    uid = ""
    start = end = until = None
    duration: timedelta | None = None
    start_is_date = False
    rrule = rdate = override = False
    tzids: list[str] = []
    depth = 0
    for line in lines[1:-1]:
        upper = line[:6].upper()
        if upper.startswith("BEGIN:"):
            depth += 1
            continue
        if upper.startswith("END:"):
            depth -= 1
            continue
        if depth:
            continue
        name, params, value = _name_value(line)
        for tz in _TZID_PARAM.findall(";" + params):
            tzids.append(tz.strip('"'))
        if name == "UID":
            uid = value.strip()
        elif name == "DTSTART":
            start = _parse_dt(value)
            start_is_date = "VALUE=DATE" in params.upper() or len(value.strip()) == 8
        elif name == "DTEND":
            end = _parse_dt(value)
        elif name == "DURATION":
            duration = _parse_duration(value)
        elif name == "RRULE":
            rrule = True
            found = _UNTIL.search(value)
            until = _parse_dt(found.group(1)) if found else None
        elif name == "RDATE":
            rdate = True
        elif name == "RECURRENCE-ID":
            override = True
    if end is None and start is not None:
        if duration is not None:
            try:
                end = start + duration
            except OverflowError:
                end = None  # unknown means "keep": the expansion reports it, for this event only
        else:
            end = start + (timedelta(days=1) if start_is_date else timedelta(0))
    text = "\r\n".join(lines)
    if not uid:
        # icalendar-recurring needs a stable UID to tie overrides to series and to
        # report the event; derive one from the content so it survives reloads.
        uid = "movebreak-" + hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:16]
        text = "\r\n".join([lines[0], f"UID:{uid}", *lines[1:]])
    return Block("VEVENT", text, uid, start, end, rrule, rdate, override, until, tuple(tzids))


def split_ics(data: bytes) -> SplitDocument:
    """Cut ``data`` into header lines, VTIMEZONE blocks and VEVENT blocks.

    Folded lines are joined on bytes first, so a fold that splits a UTF-8 character
    (Outlook does this) still decodes. An event cut off by the next BEGIN:VEVENT or by
    the end of the file is closed and reported, not thrown away.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = _UNFOLD.sub(b"", data).decode("utf-8", errors="replace")
    header: list[str] = []
    timezones: list[Block] = []
    events: list[Block] = []
    problems: list[tuple[str, str | None]] = []
    in_calendar = False
    current: list[str] | None = None
    kind = ""
    nested: list[str] = []

    def close(lines: list[str], repaired: bool) -> None:
        if kind not in ("VEVENT", "VTIMEZONE"):
            return
        if kind == "VTIMEZONE":
            tzids = (_name_value(ln)[2].strip() for ln in lines if ln[:5].upper() == "TZID:")
            tzid = next(tzids, "")
            timezones.append(Block("VTIMEZONE", "\r\n".join(lines), tzid))
            return
        block = _scan_event(lines)
        events.append(block)
        if repaired:
            problems.append(("event was not closed (missing END:VEVENT); read as far as it went",
                             block.uid))

    for raw in _LINE_SPLIT.split(text):
        line = raw.rstrip()
        if not line:
            continue
        upper = line.upper()
        if current is not None:
            # VEVENT and VTIMEZONE are never nested, so their BEGIN ends whatever came before.
            if upper in ("BEGIN:VEVENT", "BEGIN:VTIMEZONE", "END:VCALENDAR"):
                ends = [f"END:{name}" for name in reversed(nested)]
                close([*current, *ends, f"END:{kind}"], repaired=True)
                current = None
                if upper == "END:VCALENDAR":
                    in_calendar = False
                    continue
            else:
                current.append(line)
                if upper.startswith("BEGIN:"):
                    nested.append(upper[6:])
                elif upper.startswith("END:"):
                    if upper == f"END:{kind}":  # closes any VALARM left open inside, too
                        ends = [f"END:{name}" for name in reversed(nested)]
                        close([*current[:-1], *ends, current[-1]], repaired=False)
                        current = None
                    elif nested and upper == f"END:{nested[-1]}":
                        nested.pop()
                    else:
                        current.pop()  # a stray END of something never begun
                continue
        if upper == "BEGIN:VCALENDAR":
            in_calendar = True
        elif upper == "END:VCALENDAR":
            in_calendar = False
        elif upper in ("BEGIN:VEVENT", "BEGIN:VTIMEZONE") or (
            upper.startswith("BEGIN:") and in_calendar
        ):
            kind, current, nested = upper[6:], [line], []  # VTODO etc.: cut out, then dropped
        elif in_calendar and _HEADER.match(line):
            header.append(line)
    if current is not None:
        ends = [f"END:{name}" for name in reversed(nested)]
        close([*current, *ends, f"END:{kind}"], repaired=True)
    return SplitDocument(tuple(header), tuple(timezones), tuple(events), tuple(problems))


def _overlaps(block: Block, lo: datetime, hi: datetime) -> bool:
    if block.start is None or block.end is None:
        return True
    end = max(block.end, block.start)
    return block.start <= hi and end >= lo


def select_events(doc: SplitDocument, lo: datetime, hi: datetime) -> list[Block]:
    """Events that may have an occurrence in ``[lo, hi]`` (naive, widened by SLACK here).

    All components of a UID are kept together: a moved or cancelled instance is
    meaningless without its series, and the series without its exceptions is wrong.
    """
    lo, hi = lo - SLACK, hi + SLACK
    by_uid: dict[str, list[Block]] = {}
    for block in doc.events:
        by_uid.setdefault(block.uid, []).append(block)
    keep: list[Block] = []
    for blocks in by_uid.values():
        if any(_may_occur(b, lo, hi) for b in blocks):
            keep.extend(blocks)
    return keep


def _may_occur(block: Block, lo: datetime, hi: datetime) -> bool:
    if block.rdate:
        return True
    if block.rrule:
        if block.start is not None and block.start > hi:
            return False
        if block.until is not None and block.start is not None and block.end is not None:
            length = max(block.end - block.start, timedelta(0))
            try:
                return block.until + length + timedelta(days=1) >= lo
            except OverflowError:  # UNTIL=9999-12-31: runs to the end of time, so it may occur
                return True
        return True
    return _overlaps(block, lo, hi)
