"""The hostile calendars of issue 14, section 2, written for a given day.

Each file holds one bad event between two normal meetings of the same day (a video
call at 09:00 and an audio-only call at 15:00, UTC): the bad event must cost only
itself. ``write_all`` writes them into a folder; the test suite and
``bench/calendar_load.py`` both use it, so the bench measures what the tests check.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

#: name -> the bad event's own lines (between BEGIN:VEVENT/UID and END:VEVENT)
HOSTILE: dict[str, list[str]] = {
    "secondly": ["DTSTART:{day}T000000Z", "DTEND:{day}T000001Z", "RRULE:FREQ=SECONDLY",
                 "SUMMARY:Every second", "LOCATION:https://acme.zoom.us/j/123456789"],
    "secondly-years-ago": ["DTSTART:20150101T000000Z", "DTEND:20150101T000001Z",
                           "RRULE:FREQ=SECONDLY", "SUMMARY:Every second since 2015",
                           "LOCATION:https://acme.zoom.us/j/123456789"],
    "interval-zero": ["DTSTART:{day}T100000Z", "DTEND:{day}T103000Z",
                      "RRULE:FREQ=DAILY;INTERVAL=0", "SUMMARY:Interval zero",
                      "LOCATION:https://meet.google.com/abc-defg-hij"],
    "minutely": ["DTSTART:{day}T000000Z", "DTEND:{day}T000100Z", "RRULE:FREQ=MINUTELY",
                 "SUMMARY:Every minute", "LOCATION:https://acme.zoom.us/j/123456789"],
    "until-9999": ["DTSTART:{day}T110000Z", "DTEND:{day}T113000Z",
                   "RRULE:FREQ=DAILY;UNTIL=99991231T235959Z", "SUMMARY:Until the year 9999",
                   "LOCATION:https://meet.google.com/abc-defg-hij"],
    "huge-duration": ["DTSTART:{day}T120000Z", "DURATION:P999999999D",
                      "SUMMARY:Huge duration", "LOCATION:https://meet.google.com/abc-defg-hij"],
    "huge-duration-seconds": ["DTSTART:{day}T120000Z", "DURATION:PT99999999999999999999S",
                              "SUMMARY:Huge duration in seconds"],
    "long-tzid": ["DTSTART;TZID={long_tzid}:{day}T130000", "DTEND;TZID={long_tzid}:{day}T133000",
                  "SUMMARY:Long time zone name", "LOCATION:https://acme.zoom.us/j/1"],
    "nested-parentheses": ["DTSTART:{day}T140000Z", "DTEND:{day}T143000Z",
                           "SUMMARY:Nested parentheses", "DESCRIPTION:{parentheses}"],
}
LONG_TZID = "Europe/" + "X" * 4993  # 5,000 characters
PARENTHESES = "(1/" * 30_000 + ")" * 30_000  # 120 KB of nested parentheses


def normal_events(day: date, tag: str) -> list[str]:
    """A video call at 09:00 and an audio-only call at 15:00 (UTC) on ``day``."""
    d = f"{day:%Y%m%d}"
    return [
        "BEGIN:VEVENT", f"UID:video-{tag}@example.com", "DTSTAMP:20240101T000000Z",
        f"DTSTART:{d}T090000Z", f"DTEND:{d}T093000Z", f"SUMMARY:Video standup {tag}",
        "LOCATION:https://acme.zoom.us/j/987654321", "END:VEVENT",
        "BEGIN:VEVENT", f"UID:audio-{tag}@example.com", "DTSTAMP:20240101T000000Z",
        f"DTSTART:{d}T150000Z", f"DTEND:{d}T153000Z", f"SUMMARY:Phone sync {tag}",
        "LOCATION:tel:+14155550199", "DESCRIPTION:Dial-in only: +1 415 555 0199",
        "CATEGORIES:Phone call", "END:VEVENT",
    ]


def calendar(name: str, day: date) -> bytes:
    """The hostile file ``name``: the bad event between the two normal ones."""
    bad = [line.format(day=f"{day:%Y%m%d}", long_tzid=LONG_TZID, parentheses=PARENTHESES)
           for line in HOSTILE[name]]
    normal = normal_events(day, name)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//movebreak hostile//EN",
             *normal[:8], "BEGIN:VEVENT", f"UID:bad-{name}@example.com",
             "DTSTAMP:20240101T000000Z", *bad, "END:VEVENT", *normal[8:], "END:VCALENDAR"]
    return ("\r\n".join(lines) + "\r\n").encode()


def huge_calendar(day: date, megabytes: int = 66) -> bytes:
    """A local file of ``megabytes`` MB: the normal events, then filler events."""
    head = calendar("until-9999", day).rsplit(b"END:VCALENDAR", 1)[0]
    filler = []
    for i in range(megabytes * 1024 * 1024 // 1100 + 1):
        filler.append(
            f"BEGIN:VEVENT\r\nUID:filler-{i}@example.com\r\nDTSTART:20190101T090000Z\r\n"
            f"DTEND:20190101T093000Z\r\nSUMMARY:Filler {i}\r\nDESCRIPTION:{'x' * 960}\r\n"
            "END:VEVENT\r\n")
    return head + "".join(filler).encode() + b"END:VCALENDAR\r\n"


def write_all(folder: Path, day: date, names: list[str] | None = None) -> list[Path]:
    """Write the hostile files for ``day`` into ``folder`` (made if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names or list(HOSTILE):
        path = folder / f"{name}.ics"
        path.write_bytes(calendar(name, day))
        paths.append(path)
    return paths


def window(day: date) -> tuple[date, date]:
    return day, day + timedelta(days=2)
