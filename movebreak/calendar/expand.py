"""Parse the chosen components with icalendar, expand recurrences, classify occurrences.

This is the only module that imports icalendar and recurring-ical-events, and it does
so lazily: a document with nothing near the window never loads them. Each component
is parsed on its own so that one broken event costs only itself, with a warning
that names the file (or redacted URL) and the event's UID.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from movebreak.core.meetings import (
    Attendee,
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
) -> tuple[list[Occurrence], list[CalendarWarning]]:
    """Occurrences of ``doc`` overlapping ``[start, end)``, classified, plus warnings."""
    notes = [CalendarWarning(doc.where, msg, uid) for msg, uid in doc.split.problems]
    lo = start.astimezone(UTC).replace(tzinfo=None)
    hi = end.astimezone(UTC).replace(tzinfo=None)
    blocks = select_events(doc.split, lo, hi)
    if not blocks:
        return [], notes
    with warnings.catch_warnings():
        # icalendar warns (GloballyUniqueTZIDGuessed, ...) for things we handle or report.
        warnings.simplefilter("ignore")
        return _expand(doc, blocks, start, end, tz, config, notes)


def _expand(
    doc: Document,
    blocks: list[Block],
    start: datetime,
    end: datetime,
    tz: tzinfo,
    config: ClassifierConfig,
    notes: list[CalendarWarning],
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
    defined = _add_timezones(icalendar, calendar, doc.split.timezones, blocks, warn)
    rename, unknown = _resolve_tzids(icalendar, blocks, defined)
    for tzid in sorted(unknown):
        warn(f"unknown time zone {tzid!r}: its times are read as local time")
    parsed: dict[str, list[Any]] = {}
    for block in blocks:
        text = block.text
        for old, new in rename.items():
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
    for series in all_series:
        uid = str(series.uid)
        try:
            occurrences = list(series.between(start.astimezone(tz), end.astimezone(tz)))
            for occurrence in occurrences:
                item = _occurrence(occurrence.as_component(False), uid, uid in recurring,
                                   doc.source, tz, config)
                key = (item.uid, item.recurrence_id, item.start)
                if item.end > start and item.start < end and key not in seen:
                    seen.add(key)
                    result.append(item)
        except Exception as error:
            warn(f"skipped an event that cannot be expanded: {_short(error)}", uid)
    return result, notes


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


def _short(error: object) -> str:
    text = str(error) or type(error).__name__
    text = " ".join(text.split())
    return text if len(text) <= 160 else text[:157] + "..."


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
    for tzid in {t for b in blocks for t in b.tzids} - defined:
        if tzp.timezone(tzid) is not None:
            continue
        stripped = _TZ_SUFFIX.sub("", tzid).strip()
        found = tzp.timezone(stripped) if stripped and stripped != tzid else None
        if found is not None and getattr(found, "key", None):
            rename[tzid] = found.key
        else:
            unknown.add(tzid)
    return rename, unknown


def _as_local(value: date | datetime, tz: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
    return datetime.combine(value, time(), tz)


def _occurrence(
    component: Any, uid: str, in_series: bool, source: str, tz: tzinfo, config: ClassifierConfig
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
    verdict = classify(facts, config)
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
    return "\n".join(str(v) for v in values if v is not None).strip()


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
            html = str(value)
    attendees = tuple(
        Attendee(
            address=normalise_address(str(value)),
            partstat=_param(value, "PARTSTAT").upper(),
            cutype=_param(value, "CUTYPE").upper(),
            name=_param(value, "CN"),
        )
        for value in _values(component, "ATTENDEE")
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
