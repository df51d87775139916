"""Parse the chosen components with icalendar, expand recurrences, classify occurrences.

This is the only module that imports icalendar and recurring-ical-events, and it does
so lazily: a document with nothing near the window never loads them. Each component
is parsed on its own so that one broken event costs only itself, with a warning
that names the file (or redacted URL) and the event's UID.
"""

from __future__ import annotations

import itertools
import logging
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from movebreak.core.meetings import (
    Attendee,
    Classification,
    ClassifierConfig,
    Conference,
    EventFacts,
    classify,
)

from .models import CalendarWarning, Occurrence
from .settings import normalise_address
from .split import Block, SplitDocument, select_events

log = logging.getLogger(__name__)

# Vendor properties that carry a meeting link as data rather than prose.
_VIDEO_PROPERTIES = (
    "X-GOOGLE-CONFERENCE",
    "X-GOOGLE-HANGOUT",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK",
    "X-ZOOM-MEETING-URL",
)
_TZ_SUFFIX = re.compile(r"\s*(\d+|\(\d+\))$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Bounds that keep one hostile event from costing the whole load (issue 14, section 2).
#: Occurrences one series may give in a load's window; more are dropped with a warning.
MAX_PER_SERIES = 500
#: Occurrences one load may give across all its documents.
MAX_PER_LOAD = 5_000
#: A series repeating more often than this is rejected: no meeting repeats every second.
MIN_REPEAT_SECONDS = 60
#: Steps from a series' first occurrence to the window, beyond which it is rejected:
#: expanding ``FREQ=MINUTELY`` from 2015 walks millions of instants to reach today.
MAX_STEPS_TO_WINDOW = 200_000
#: A TZID longer than this is no zone name (the longest IANA name has 32 characters).
MAX_TZID = 200
#: Characters of each text the classifier reads: its regexes then cost a bounded time.
TEXT_LIMITS = {"SUMMARY": 500, "LOCATION": 1_000, "URL": 2_000, "DESCRIPTION": 8_000,
               "X-ALT-DESC": 16_000}
#: Lines of a plain description are cut at this length (a join URL is far shorter).
MAX_LINE = 2_000
MAX_ATTENDEES = 500
_FREQ_SECONDS = {"SECONDLY": 1, "MINUTELY": 60, "HOURLY": 3_600, "DAILY": 86_400,
                 "WEEKLY": 604_800, "MONTHLY": 28 * 86_400, "YEARLY": 365 * 86_400}


@dataclass(frozen=True)
class Document:
    """One ICS text to read: ``where`` names it in warnings, ``source`` is the calendar name."""

    where: str
    source: str
    split: SplitDocument


def expand_document(
    doc: Document,
    start: datetime,
    end: datetime,
    tz: tzinfo,
    config: ClassifierConfig,
    budget: int = MAX_PER_LOAD,
) -> tuple[list[Occurrence], list[CalendarWarning]]:
    """Occurrences of ``doc`` overlapping ``[start, end)``, classified, plus warnings.

    At most ``budget`` occurrences (and :data:`MAX_PER_SERIES` per series) come back;
    what is dropped is reported, naming the event.
    """
    notes = [CalendarWarning(doc.where, msg, uid) for msg, uid in doc.split.problems]
    lo = start.astimezone(UTC).replace(tzinfo=None)
    hi = end.astimezone(UTC).replace(tzinfo=None)
    blocks = select_events(doc.split, lo, hi)
    if not blocks:
        return [], notes
    with warnings.catch_warnings():
        # icalendar warns (GloballyUniqueTZIDGuessed, ...) for things we handle or report.
        warnings.simplefilter("ignore")
        return _expand(doc, blocks, start, end, tz, config, notes, budget)


def _expand(
    doc: Document,
    blocks: list[Block],
    start: datetime,
    end: datetime,
    tz: tzinfo,
    config: ClassifierConfig,
    notes: list[CalendarWarning],
    budget: int,
) -> tuple[list[Occurrence], list[CalendarWarning]]:
    import icalendar
    import recurring_ical_events

    def warn(message: str, uid: str | None = None) -> None:
        notes.append(CalendarWarning(doc.where, message, uid))
        log.info("%s", notes[-1])  # returned too: the caller decides what a person sees

    calendar = _header_calendar(icalendar, doc.split.header)
    owner = str(calendar.get("X-WR-CALNAME", "")).strip()
    if _EMAIL.match(owner) and normalise_address(owner) not in config.me:
        # Google names a person's own calendar after their address: a free "me".
        config = replace(config, me=config.me | {normalise_address(owner)})
    rejected = _rejected_series(blocks, start.astimezone(UTC).replace(tzinfo=None))
    for uid, why in rejected.items():
        warn(f"skipped a series: {why}", uid)
    blocks = [b for b in blocks if b.uid not in rejected]
    defined = _add_timezones(icalendar, calendar, doc.split.timezones, blocks, warn)
    rename, unknown = _resolve_tzids(icalendar, blocks, defined)
    for tzid in sorted(unknown):
        warn(f"unknown time zone {_short(repr(tzid), 80)}: its times are read as local time")
    parsed: dict[str, list[Any]] = {}
    for block in blocks:
        text = block.text
        for old, new in rename.items():
            if not new:  # no zone could have this name: drop it, the times become local
                text = text.replace(f';TZID="{old}"', "").replace(f";TZID={old}", "")
                continue
            text = text.replace(f'TZID="{old}"', f"TZID={new}")
            text = text.replace(f"TZID={old}", f"TZID={new}")
        try:
            component = icalendar.Event.from_ical(text)
        except Exception as error:  # icalendar raises many kinds; one event must not stop us
            warn(f"skipped a broken event: {_short(error)}", block.uid)
            continue
        if not _has_start(component):
            warn("skipped an event without a readable start (DTSTART)", block.uid)
            continue
        calendar.add_component(component)
        parsed.setdefault(block.uid, []).append(component)
    all_series = _collect_series(icalendar, recurring_ical_events, calendar, parsed, warn)
    series_uids = {str(s.uid) for s in all_series}
    for uid, components in parsed.items():
        if uid not in series_uids:
            errors = "; ".join(f"{n}: {m}" for c in components for n, m in c.errors) or "invalid"
            warn(f"skipped an event that cannot be scheduled ({_short(errors)})", uid)
    recurring = {uid for uid, blocks_ in _group(blocks).items() if _is_series(blocks_)}
    result: list[Occurrence] = []
    seen: set[tuple[str, str | None, datetime]] = set()
    verdicts: dict[EventFacts, Classification] = {}  # a series' occurrences share their text
    for series in all_series:
        uid = str(series.uid)
        if len(result) >= budget:
            warn(f"not read: this load already has {budget} occurrences", uid)
            continue
        found: list[Occurrence] = []
        try:
            span = series.between(start.astimezone(tz), end.astimezone(tz))
            for occurrence in itertools.islice(span, MAX_PER_SERIES + 1):
                item = _occurrence(occurrence.as_component(False), uid, uid in recurring,
                                   doc.source, tz, config, verdicts)
                key = (item.uid, item.recurrence_id, item.start)
                if item.end > start and item.start < end and key not in seen:
                    seen.add(key)
                    found.append(item)
        except Exception as error:
            warn(f"skipped an event that cannot be expanded: {_short(error)}", uid)
            continue
        limit = min(MAX_PER_SERIES, budget - len(result))
        if len(found) > limit:
            warn(f"repeats more than {limit} times in the window: only the first {limit} "
                 "are read", uid)
            found = found[:limit]
        result.extend(found)
    return result, notes


def _rule_parts(block: Block) -> list[dict[str, str]]:
    """The RRULEs of an event block as {PART: value}, upper-cased."""
    rules = []
    for line in block.text.split("\r\n"):
        if line[:6].upper() in ("RRULE:", "RRULE;"):
            value = line.split(":", 1)[1] if ":" in line else ""
            parts = (p.partition("=") for p in value.upper().split(";") if p)
            rules.append({k.strip(): v.strip() for k, _, v in parts})
    return rules


def _rule_problem(block: Block, lo: datetime) -> str | None:
    """Why an RRULE of ``block`` is rejected (None: it may be expanded).

    ``INTERVAL`` below 1 never advances; a repeat shorter than a minute is no meeting
    and floods the app; a rule whose first occurrence lies so far back that reaching
    ``lo`` takes more than :data:`MAX_STEPS_TO_WINDOW` steps costs minutes per load.
    """
    for rule in _rule_parts(block):
        freq = rule.get("FREQ", "")
        raw = rule.get("INTERVAL", "1") or "1"
        try:
            interval = int(raw)
        except ValueError:
            return f"RRULE has INTERVAL={_short(raw, 20)}, which is not a number"
        if interval < 1:
            return f"RRULE has INTERVAL={interval}; it must be 1 or more"
        step = _FREQ_SECONDS.get(freq)
        if step is None:
            continue  # icalendar reports an unknown FREQ for this event alone
        every = step * interval
        many_seconds = len([s for s in rule.get("BYSECOND", "").split(",") if s]) > 1
        if every < MIN_REPEAT_SECONDS or (freq in ("SECONDLY", "MINUTELY") and many_seconds):
            return (f"RRULE FREQ={freq};INTERVAL={interval} repeats more often than once a "
                    "minute")
        if block.start is not None and lo > block.start:
            steps = (lo - block.start).total_seconds() / every
            if steps > MAX_STEPS_TO_WINDOW:
                return (f"RRULE FREQ={freq} from {block.start:%Y-%m-%d} needs {steps:,.0f} "
                        f"steps to reach today (at most {MAX_STEPS_TO_WINDOW:,})")
    return None


def _rejected_series(blocks: list[Block], lo: datetime) -> dict[str, str]:
    """UID -> why, for every series with a rule that cannot be expanded safely."""
    rejected: dict[str, str] = {}
    for block in blocks:
        if block.rrule and block.uid not in rejected:
            why = _rule_problem(block, lo)
            if why is not None:
                rejected[block.uid] = why
    return rejected


def _has_start(component: Any) -> bool:
    """A usable DTSTART; reading a broken value raises in icalendar 7, hence the try."""
    try:
        return isinstance(component["DTSTART"].dt, date)
    except Exception:
        return False


def _collect_series(
    icalendar: Any, rie: Any, calendar: Any, parsed: dict[str, list[Any]], warn: Any
) -> list[Any]:
    """recurring-ical-events series for the whole calendar in one go; if that fails
    (a bad calendar-level property, or a component the library chokes on while
    collecting), again one UID at a time without the header, so damage stays local."""
    try:
        return list(rie.of(calendar, skip_bad_series=True).series)
    except Exception as error:
        warn(f"read event by event after an error: {_short(error)}")
    result: list[Any] = []
    for uid, components in parsed.items():
        single = icalendar.Calendar()
        for component in components:
            single.add_component(component)
        try:
            result.extend(rie.of(single, skip_bad_series=True).series)
        except Exception as error:
            warn(f"skipped an event that cannot be read: {_short(error)}", uid)
    return result


def _short(error: object, limit: int = 160) -> str:
    text = str(error) or type(error).__name__
    text = " ".join(text[: limit * 4].split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _group(blocks: Iterable[Block]) -> dict[str, list[Block]]:
    grouped: dict[str, list[Block]] = {}
    for block in blocks:
        grouped.setdefault(block.uid, []).append(block)
    return grouped


def _is_series(blocks: list[Block]) -> bool:
    return any(b.rrule or b.rdate or b.override for b in blocks)


def _header_calendar(icalendar: Any, header: tuple[str, ...]) -> Any:
    text = "\r\n".join(["BEGIN:VCALENDAR", *header, "END:VCALENDAR"])
    try:
        return icalendar.Calendar.from_ical(text)
    except Exception:
        return icalendar.Calendar()


def _add_timezones(
    icalendar: Any, calendar: Any, timezones: Iterable[Block], blocks: list[Block], warn: Any
) -> set[str]:
    """Parse the VTIMEZONEs the chosen events use; a broken one is reported and skipped."""
    used = {tzid for b in blocks for tzid in b.tzids}
    defined: set[str] = set()
    for block in timezones:
        if block.uid not in used or block.uid in defined:
            continue
        try:
            component = icalendar.Timezone.from_ical(block.text)
            component.to_tz()  # fails here, not later inside an unrelated event
        except Exception as error:
            warn(f"skipped a broken time zone definition {block.uid!r}: {_short(error)}")
            continue
        calendar.add_component(component)
        defined.add(block.uid)
    return defined


def _resolve_tzids(
    icalendar: Any, blocks: list[Block], defined: set[str]
) -> tuple[dict[str, str], set[str]]:
    """TZIDs with no definition: map Outlook's "Eastern Standard Time 1" style names to
    real zones; return the renames and the names that stay unknown (read as local)."""
    from icalendar.timezone import tzp

    rename: dict[str, str] = {}
    unknown: set[str] = set()
    def zone(name: str) -> Any:
        if len(name) > MAX_TZID:
            return None
        try:  # a 5,000-character name made the zone lookup raise "File name too long"
            return tzp.timezone(name)
        except Exception:
            return None

    for tzid in {t for b in blocks for t in b.tzids} - defined:
        if zone(tzid) is not None:
            continue
        stripped = _TZ_SUFFIX.sub("", tzid).strip()
        found = zone(stripped) if stripped and stripped != tzid else None
        if found is not None and getattr(found, "key", None):
            rename[tzid] = found.key
        else:
            unknown.add(tzid)
            if len(tzid) > MAX_TZID:
                rename[tzid] = ""
    return rename, unknown


def _as_local(value: date | datetime, tz: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
    return datetime.combine(value, time(), tz)


def _occurrence(
    component: Any, uid: str, in_series: bool, source: str, tz: tzinfo, config: ClassifierConfig,
    verdicts: dict[EventFacts, Classification] | None = None,
) -> Occurrence:
    start_value = component["DTSTART"].dt
    all_day = not isinstance(start_value, datetime)
    start = _as_local(start_value, tz)
    end_prop = component.get("DTEND")
    if end_prop is not None:
        end = _as_local(end_prop.dt, tz)
    else:
        end = start + (timedelta(days=1) if all_day else timedelta(0))
    end = max(end, start)
    recurrence_id = None
    if in_series and component.get("RECURRENCE-ID") is not None:
        rid = component["RECURRENCE-ID"].dt
        rid_all_day = not isinstance(rid, datetime)
        recurrence_id = rid.isoformat() if rid_all_day else _as_local(rid, tz).isoformat()
    facts = extract_facts(component, source, all_day)
    verdict = verdicts.get(facts) if verdicts is not None else None
    if verdict is None:
        verdict = classify(facts, config)
        if verdicts is not None:
            verdicts[facts] = verdict
    return Occurrence(
        uid=uid,
        recurrence_id=recurrence_id,
        start=start,
        end=end,
        all_day=all_day,
        summary=facts.summary,
        kind=verdict.kind,
        reason=verdict.reason,
        link=verdict.link,
        source=source,
    )


def _values(component: Any, name: str) -> list[Any]:
    value = component.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _text(component: Any, name: str) -> str:
    values = _values(component, name)
    return bound_text("\n".join(str(v) for v in values if v is not None).strip(), name)


def bound_text(text: str, name: str) -> str:
    """``text`` cut to what the classifier may read of property ``name``.

    The classifier runs regexes over these texts; bounded input bounds their time
    (a 120 KB description of nested parentheses took 90 s unbounded).
    """
    limit = TEXT_LIMITS.get(name)
    if limit is None:
        return text
    text = text[:limit]
    if name == "DESCRIPTION" and len(text) > MAX_LINE:
        text = "\n".join(line[:MAX_LINE] for line in text.split("\n"))
    return text


def _param(value: Any, name: str) -> str:
    params = getattr(value, "params", None) or {}
    raw = params.get(name, "")
    return ",".join(raw) if isinstance(raw, list) else str(raw)


def extract_facts(component: Any, source: str, all_day: bool) -> EventFacts:
    """The plain facts the classifier reads, pulled out of one icalendar VEVENT."""
    conferences = []
    for value in _values(component, "CONFERENCE"):
        features = tuple(f.strip().upper() for f in _param(value, "FEATURE").split(",") if f)
        conferences.append(Conference(str(value), features, "CONFERENCE"))
    for name in _VIDEO_PROPERTIES:
        for value in _values(component, name):
            if str(value).strip():
                conferences.append(Conference(str(value).strip(), ("VIDEO",), name))
    html = ""
    for value in _values(component, "X-ALT-DESC"):
        if "html" in _param(value, "FMTTYPE").lower():
            html = bound_text(str(value), "X-ALT-DESC")
    attendees = tuple(
        Attendee(
            address=normalise_address(str(value)),
            partstat=_param(value, "PARTSTAT").upper(),
            cutype=_param(value, "CUTYPE").upper(),
            name=_param(value, "CN"),
        )
        for value in _values(component, "ATTENDEE")[:MAX_ATTENDEES]
    )
    categories: list[str] = []
    for value in _values(component, "CATEGORIES"):
        cats = getattr(value, "cats", None)
        categories.extend(str(c) for c in (cats if cats is not None else [value]))
    busy = _text(component, "X-MICROSOFT-CDO-BUSYSTATUS") or _text(
        component, "X-MICROSOFT-CDO-INTENDEDSTATUS"
    )
    return EventFacts(
        summary=_text(component, "SUMMARY"),
        location=_text(component, "LOCATION"),
        description=_text(component, "DESCRIPTION"),
        html_description=html,
        url=_text(component, "URL"),
        conferences=tuple(conferences),
        attendees=attendees,
        organizer=normalise_address(_text(component, "ORGANIZER")),
        status=_text(component, "STATUS").upper(),
        transparency=_text(component, "TRANSP").upper(),
        busy_status=busy.upper(),
        all_day=all_day or _text(component, "X-MICROSOFT-CDO-ALLDAYEVENT").upper() == "TRUE",
        categories=tuple(categories),
        calendar=source,
        has_geo=bool(
            _values(component, "GEO") or _values(component, "X-APPLE-STRUCTURED-LOCATION")
        ),
    )
