"""A source that cannot be read keeps its last good meetings; the others still refresh."""

from __future__ import annotations

from datetime import UTC, date, datetime

from movebreak.app.calendar_feed import CalendarFeed
from movebreak.calendar.load import load_occurrences
from movebreak.calendar.settings import CalendarSettings, SourceSettings

from .hostile import calendar, huge_calendar

DAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 8, tzinfo=UTC)


def _in_process(settings, cache_dir, start, end, tz, on_start):
    return load_occurrences(settings, cache_dir, start, end, tz, now=NOW)


def test_a_source_that_fails_to_read_keeps_its_last_good_meetings(tmp_path):
    work, calls = tmp_path / "work.ics", tmp_path / "calls.ics"
    work.write_bytes(calendar("until-9999", DAY))
    calls.write_bytes(calendar("interval-zero", DAY))
    settings = CalendarSettings(sources=(SourceSettings("work", path=work),
                                         SourceSettings("calls", path=calls)),
                                max_feed_bytes=2 * 2**20)
    seen = []
    feed = CalendarFeed(tmp_path / "cache", seen.append, loader=_in_process)
    feed.refresh(settings, UTC, NOW)
    first = {m.title for m in feed.last}
    assert {"Video standup until-9999", "Video standup interval-zero"} <= first

    work.write_bytes(huge_calendar(DAY, megabytes=3))  # now over the size limit
    calls.write_bytes(calendar("interval-zero", DAY).replace(b"Phone sync", b"Phone call"))
    feed.refresh(settings, UTC, NOW)
    titles = {m.title for m in feed.last}
    assert "Video standup until-9999" in titles  # kept from the last good read
    assert "Phone call interval-zero" in titles and "Phone sync interval-zero" not in titles

    work.unlink()  # a missing file is a failure too; nothing is forgotten
    feed.refresh(settings, UTC, NOW)
    assert "Video standup until-9999" in {m.title for m in feed.last}


def test_the_worker_limits_apply_to_the_process_that_sets_them():
    """Run in a child: lowering limits is one-way, so this test process keeps its own."""
    import subprocess
    import sys

    code = ("import resource; from movebreak.calendar.worker import limit_resources as l; l(); "
            "print(resource.getrlimit(resource.RLIMIT_AS)[0], "
            "resource.getrlimit(resource.RLIMIT_CPU)[0])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout.split()
    assert int(out[0]) <= 768 * 2**20 and int(out[1]) <= 30

