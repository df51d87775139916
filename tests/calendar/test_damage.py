"""Property: damaged calendars never crash the loader and never cost the good events.

Good events are whole and untouched; the damage lives between them or in events of
their own (distinct UIDs): cut-off events, garbled values, stray BEGIN/END lines,
binary junk, bad calendar-level properties, bad time zone definitions.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from movebreak.calendar.load import load_occurrences
from movebreak.calendar.settings import CalendarSettings, SourceSettings

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2024, 3, 12, tzinfo=BERLIN)
END = START + timedelta(days=1)
VTIMEZONE = [
    "BEGIN:VTIMEZONE", "TZID:Europe/Berlin", "BEGIN:STANDARD", "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100",
    "END:STANDARD", "BEGIN:DAYLIGHT", "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200",
    "END:DAYLIGHT", "END:VTIMEZONE",
]


def good_event(i: int) -> list[str]:
    """A valid event on 12 March 2024, alternately in UTC and in Berlin time."""
    start = f"DTSTART:20240312T{8 + i:02d}0000Z" if i % 2 else \
        f"DTSTART;TZID=Europe/Berlin:20240312T{8 + i:02d}0000"
    return ["BEGIN:VEVENT", f"UID:good-{i}@example.com", "DTSTAMP:20240301T000000Z", start,
            "DURATION:PT30M", f"SUMMARY:Good {i}", f"LOCATION:Room {i}", "END:VEVENT"]


TEMPLATE = ["BEGIN:VEVENT", "UID:bad-{n}@example.com", "DTSTAMP:20240301T000000Z",
            "DTSTART:20240312T100000Z", "DTEND:20240312T110000Z", "RRULE:FREQ=DAILY;COUNT=3",
            "SUMMARY:Bad {n}", "BEGIN:VALARM", "TRIGGER:-PT5M", "ACTION:DISPLAY", "END:VALARM",
            "END:VEVENT"]
# Text that does not start with a space or tab: a continuation line would glue itself
# onto the line before it, which may be a good event's own BEGIN or END.
junk_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
    max_size=60,
).map(lambda s: s.lstrip(" \t"))
structural = st.sampled_from([
    "BEGIN:VEVENT", "END:VEVENT", "BEGIN:VALARM", "END:VALARM", "BEGIN:VTODO", "END:VCALENDAR",
    "BEGIN:VCALENDAR", "X-WR-TIMEZONE:Mars/Olympus", "CALSCALE:JULIAN", "BEGIN:VTIMEZONE",
    "TZID:Europe/Berlin", "RRULE:FREQ=WEEKLY;BYDAY=ZZ", "DTSTART:2024", "DTSTART;TZID=Nowhere:x",
    "RECURRENCE-ID:20240312T100000Z", "EXDATE:garbage", "DURATION:P-T", "END:VTIMEZONE",
])


@st.composite
def bad_event(draw: st.DrawFn, n: int) -> list[str]:
    lines = [line.format(n=n) for line in TEMPLATE]
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(["drop", "replace", "insert", "truncate", "garble"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if action == "drop":
            del lines[i]
        elif action == "replace":
            lines[i] = draw(st.one_of(structural, junk_text))
        elif action == "insert":
            lines.insert(i, draw(st.one_of(structural, junk_text)))
        elif action == "truncate":
            lines = lines[:i]
        else:
            name = lines[i].split(":", 1)[0]
            lines[i] = f"{name}:{draw(junk_text)}"
    return [line for line in lines if line.strip()]


@st.composite
def damaged_calendar(draw: st.DrawFn) -> tuple[bytes, set[str]]:
    good = draw(st.integers(1, 5))
    parts: list[list[str]] = [good_event(i) for i in range(good)]
    parts.insert(0, VTIMEZONE)
    for n in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(parts)))
        kind = draw(st.sampled_from(["event", "line", "bytes"]))
        if kind == "event":
            parts.insert(position, draw(bad_event(n)))
        elif kind == "line":
            parts.insert(position, [draw(st.one_of(structural, junk_text)) or "x"])
        else:
            junk = draw(st.binary(min_size=1, max_size=40)).replace(b"\n", b"").replace(b"\r", b"")
            parts.insert(position, [junk.decode("latin-1").lstrip(" \t") or "x"])
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//damage//EN"]
    for part in parts:
        lines.extend(part)
    lines.append("END:VCALENDAR")
    data = "\r\n".join(lines).encode("utf-8", "surrogateescape") + b"\r\n"
    return data, {f"good-{i}@example.com" for i in range(good)}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.function_scoped_fixture])
@given(damaged_calendar())
def test_damage_never_crashes_and_never_loses_good_events(tmp_path: Path, case) -> None:
    data, good_uids = case
    path = tmp_path / "damaged.ics"
    path.write_bytes(data)
    settings_ = CalendarSettings(sources=(SourceSettings("damaged", path=path),))
    result = load_occurrences(settings_, None, START, END, BERLIN)
    found = {o.uid: o for o in result.occurrences}
    assert good_uids <= set(found), (sorted(good_uids - set(found)), result.warnings)
    for uid in good_uids:
        i = int(uid.split("-")[1].split("@")[0])
        occurrence = found[uid]
        expected_hour = 8 + i + (1 if i % 2 else 0)  # UTC events are one hour later in CET
        assert (occurrence.start.hour, occurrence.summary) == (expected_hour, f"Good {i}")
        assert occurrence.end - occurrence.start == timedelta(minutes=30)
