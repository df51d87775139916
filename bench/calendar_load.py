"""How long the calendar part takes on a big calendar, as the app uses it.

Generates a five-year calendar (5,000 one-off events with realistic invitation
bodies, 30 recurring series with exceptions), then measures:

- loading + classifying one week from a local file: the first call in this process
  (imports included) and warm calls (no result memo);
- the same week from a feed on a loopback HTTP server: the first fetch, a refresh
  answered 304 Not Modified, and a refresh answered 200 with an identical body (no
  validators), both of which should skip re-parsing via the content hash;
- for comparison, icalendar parsing the whole file, which the loader avoids.

Run: ``.venv/bin/python bench/calendar_load.py``. Target: a week in under 1 s.

``--hostile`` measures the hostile calendars of issue 14 instead (the files the tests
use, ``tests/calendar/hostile.py``), each loaded in a fresh child process so that its
time and peak memory are its own, plus the busy-time lookups over 170,000
back-to-back meetings (what a FREQ=SECONDLY series used to hand the app).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from movebreak.calendar.load import load_occurrences  # noqa: E402
from movebreak.calendar.settings import CalendarSettings, SourceSettings  # noqa: E402

TZ = ZoneInfo("Europe/Berlin")
FIRST_DAY = datetime(2022, 1, 3, tzinfo=TZ)
WEEK = (datetime(2024, 6, 10, tzinfo=TZ), datetime(2024, 6, 17, tzinfo=TZ))
BODIES = [
    ("LOCATION:Microsoft Teams Meeting", "Microsoft Teams meeting\\nClick here to join the meeting"
     "<https://teams.microsoft.com/l/meetup-join/19%3ameeting_{i}%40thread.v2/0>\\nOr call in "
     "(audio only)\\n+1 323-555-0100\\,\\,{i}#"),
    ("LOCATION:https://acme.zoom.us/j/9{i:09d}", "Join Zoom Meeting\\nhttps://acme.zoom.us/j/9{i:09d}"
     "\\nMeeting ID: 9{i:09d}\\nDial by your location\\n+1 646 558 8656 US (New York)"),
    ("LOCATION:", "Join with Google Meet: https://meet.google.com/abc-defg-{i:03d}\\nJoin by phone"
     "\\n(US) +1 650-555-0143 PIN: 318992417#"),
    ("LOCATION:Building 4\\, Room {i}", "Agenda in the wiki."),
    ("LOCATION:+1 415 555 0199", "I will call you."),
    ("LOCATION:", "Personal reminder"),
]


def event(uid: str, start: datetime, minutes: int, i: int, extra: list[str]) -> list[str]:
    location, body = BODIES[i % len(BODIES)]
    return [
        "BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20220101T000000Z",
        f"DTSTART;TZID=Europe/Berlin:{start:%Y%m%dT%H%M%S}",
        f"DTEND;TZID=Europe/Berlin:{start + timedelta(minutes=minutes):%Y%m%dT%H%M%S}",
        f"SUMMARY:Meeting {i}", location.format(i=i), f"DESCRIPTION:{body.format(i=i)}",
        "ORGANIZER:mailto:boss@example.com", "ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.com",
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:boss@example.com", *extra, "END:VEVENT",
    ]


def five_year_calendar() -> bytes:
    rng = random.Random(5)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//movebreak bench//EN",
             "BEGIN:VTIMEZONE", "TZID:Europe/Berlin", "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100",
             "TZOFFSETTO:+0200", "DTSTART:19700329T020000",
             "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
             "END:DAYLIGHT", "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100",
             "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
             "END:VTIMEZONE"]
    for i in range(5000):
        day = FIRST_DAY + timedelta(days=rng.randrange(5 * 365))
        start = day.replace(hour=rng.randrange(8, 18), minute=rng.choice((0, 15, 30, 45)))
        lines += event(f"single-{i}@bench", start, rng.choice((15, 30, 60)), i, [])
    for s in range(30):
        start = (FIRST_DAY + timedelta(days=s)).replace(hour=8 + s % 9)
        rule = "RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR" if s % 3 == 0 else "RRULE:FREQ=WEEKLY"
        exdates = [f"EXDATE;TZID=Europe/Berlin:{start + timedelta(weeks=w):%Y%m%dT%H%M%S}"
                   for w in range(5, 260, 17)]
        lines += event(f"series-{s}@bench", start, 30, s, [rule, *exdates])
        for w in range(3, 260, 23):  # moved instances
            original = start + timedelta(weeks=w)
            lines += event(f"series-{s}@bench", original + timedelta(hours=2), 30, s + 1,
                           [f"RECURRENCE-ID;TZID=Europe/Berlin:{original:%Y%m%dT%H%M%S}"])
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def serve(body: bytes, etag: bool) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if etag and self.headers.get("If-None-Match") == '"bench"':
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            if etag:
                self.send_header("ETag", '"bench"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/private-token/basic.ics"


def timed(call) -> tuple[float, object]:
    began = time.perf_counter()
    result = call()
    return time.perf_counter() - began, result


def main() -> None:
    rows: list[tuple[str, float, str]] = []
    data = five_year_calendar()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        path = folder / "five-years.ics"
        path.write_bytes(data)
        local = CalendarSettings(sources=(SourceSettings("bench", path=path),),
                                 me=("me@example.com",))
        first, result = timed(lambda: load_occurrences(local, None, *WEEK, TZ))
        count = len(result.occurrences)  # type: ignore[attr-defined]
        rows.append(("local file, one week, first call (imports included)", first,
                     f"{count} occurrences"))
        warm = [timed(lambda: load_occurrences(local, None, *WEEK, TZ))[0] for _ in range(5)]
        rows.append(("local file, one week, warm (median of 5)", statistics.median(warm), ""))
        month = (WEEK[0], WEEK[0] + timedelta(days=31))
        seconds, result = timed(lambda: load_occurrences(local, None, *month, TZ))
        rows.append(("local file, one month, warm", seconds,
                     f"{len(result.occurrences)} occurrences"))  # type: ignore[attr-defined]

        for etag in (True, False):
            server, url = serve(data, etag)
            cache = folder / f"cache-{etag}"
            feed = CalendarSettings(sources=(SourceSettings("feed", url=url),),
                                    refresh=timedelta(minutes=15))
            now = datetime(2024, 6, 10, 8, tzinfo=UTC)
            seconds, _ = timed(lambda: load_occurrences(feed, cache, *WEEK, TZ, now=now))  # noqa: B023
            label = "with ETag" if etag else "no validators"
            rows.append((f"feed {label}: first fetch + parse", seconds, f"{len(data) // 1024} KiB"))
            refreshes = []
            for n in range(1, 6):
                later = now + timedelta(minutes=20 * n)
                refreshes.append(timed(
                    lambda later=later: load_occurrences(feed, cache, *WEEK, TZ, now=later)  # noqa: B023
                )[0])
            what = "304 Not Modified" if etag else "200, same body (hash)"
            rows.append((f"feed refresh, unchanged: {what} (median of 5)",
                         statistics.median(refreshes), "memo hit, no parse"))
            server.shutdown()
            server.server_close()

        import icalendar

        seconds, _ = timed(lambda: icalendar.Calendar.from_ical(data))
        rows.append(("for comparison: icalendar parsing the whole file", seconds, "avoided"))

    width = max(len(r[0]) for r in rows)
    print(f"{'measurement':<{width}}  {'seconds':>8}  note")
    print(f"{'-' * width}  {'-' * 8}  ----")
    for name, seconds, note in rows:
        print(f"{name:<{width}}  {seconds:8.3f}  {note}")


def hostile_one(name: str) -> None:
    """Child: load one hostile file for today and print seconds, peak RSS, counts."""
    import json
    import resource

    from tests.calendar.hostile import calendar, huge_calendar

    day = datetime(2026, 3, 10, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as temp:
        path = Path(temp) / f"{name}.ics"
        path.write_bytes(huge_calendar(day.date()) if name == "66-MB-file" else
                         calendar(name, day.date()))
        settings = CalendarSettings(sources=(SourceSettings("h", path=path),))
        seconds, result = timed(
            lambda: load_occurrences(settings, None, day, day + timedelta(days=2), UTC))
    good = sum(1 for o in result.occurrences  # type: ignore[attr-defined]
               if o.uid.startswith(("video-", "audio-")))
    print(json.dumps({"seconds": seconds, "rss_mb": resource.getrusage(
        resource.RUSAGE_SELF).ru_maxrss / 1024, "occurrences": len(result.occurrences),  # type: ignore[attr-defined]
        "good": good, "warnings": len(result.warnings)}))  # type: ignore[attr-defined]


def hostile() -> None:
    import json
    import subprocess

    from tests.calendar.hostile import HOSTILE

    print(f"{'hostile file (2-day window)':<24} {'seconds':>8} {'peak MB':>8} "
          f"{'occurr.':>8} {'good/2':>6} warnings")
    for name in [*HOSTILE, "66-MB-file"]:
        began = time.monotonic()
        try:
            done = subprocess.run([sys.executable, __file__, "--one", name], capture_output=True,
                                  text=True, timeout=150, check=True)
            row = json.loads(done.stdout)
            print(f"{name:<24} {row['seconds']:8.2f} {row['rss_mb']:8.0f} "
                  f"{row['occurrences']:8d} {row['good']:6d} {row['warnings']}")
        except subprocess.TimeoutExpired:
            print(f"{name:<24} {time.monotonic() - began:8.0f}  killed at the 150 s limit")
        except subprocess.CalledProcessError as error:
            print(f"{name:<24} failed: {(error.stderr.strip().splitlines() or ['?'])[-1]}")

    from movebreak.core import agenda
    from movebreak.core.agenda import Meeting
    from movebreak.core.meeting_facts import MeetingKind

    start = datetime(2026, 3, 10, tzinfo=UTC)
    meetings = tuple(Meeting(start + timedelta(seconds=i), start + timedelta(seconds=i + 1),
                             MeetingKind.VIDEO) for i in range(170_000))
    seconds, _ = timed(lambda: agenda.after_busy(meetings, start))
    again, _ = timed(lambda: [agenda.after_busy(meetings, start + timedelta(seconds=i))
                              for i in range(1000)])
    print(f"after_busy over 170,000 back-to-back meetings: first {seconds:.3f} s (index "
          f"built), then {again / 1000 * 1e6:.1f} us per lookup")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        hostile_one(sys.argv[2])
    elif sys.argv[1:2] == ["--hostile"]:
        hostile()
    else:
        main()
