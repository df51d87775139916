"""Hostile calendars cost only the bad event (issue 14, section 2), read in this process.

Each file of ``hostile.py`` holds one bad event between a video call and an audio-only
call: the two normal meetings must come out classified, the bad event must be
dropped or bounded with a warning naming it, and the load must stay small. The app
process itself is checked in ``tests/faults/test_hostile_calendars.py``; timings are
in ``bench/calendar_load.py``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from movebreak.calendar.expand import MAX_PER_LOAD, MAX_PER_SERIES
from movebreak.calendar.load import load_occurrences
from movebreak.calendar.settings import CalendarSettings, SourceSettings
from movebreak.core.meeting_facts import MeetingKind

from .hostile import HOSTILE, calendar, huge_calendar, write_all

DAY = date(2026, 3, 10)
START = datetime(2026, 3, 10, tzinfo=UTC)
END = START + timedelta(days=2)


def _load(*paths: Path, **kwargs: object):
    sources = tuple(SourceSettings(p.stem, path=p) for p in paths)
    return load_occurrences(CalendarSettings(sources=sources, **kwargs), None, START, END, UTC)


def _kinds(result, name: str) -> dict[str, MeetingKind]:
    return {o.uid.split("@")[0]: o.kind for o in result.occurrences
            if o.uid in (f"video-{name}@example.com", f"audio-{name}@example.com")}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_normal_meetings_beside_a_hostile_event_are_still_read(tmp_path, name):
    path = tmp_path / f"{name}.ics"
    path.write_bytes(calendar(name, DAY))
    result = _load(path)
    assert _kinds(result, name) == {f"video-{name}": MeetingKind.VIDEO,
                                    f"audio-{name}": MeetingKind.AUDIO}, result.warnings
    bad = [o for o in result.occurrences if o.uid == f"bad-{name}@example.com"]
    assert len(bad) <= MAX_PER_SERIES
    for warning in result.warnings:  # every warning names where, and is short enough to read
        assert warning.where == str(path) and len(warning.message) < 300, warning


@pytest.mark.parametrize(("name", "words"), [
    ("secondly", "more often than once a minute"),
    ("secondly-years-ago", "more often than once a minute"),
    ("interval-zero", "INTERVAL=0"),
    ("minutely", f"only the first {MAX_PER_SERIES}"),
])
def test_a_runaway_series_is_refused_or_cut_with_a_warning_naming_it(tmp_path, name, words):
    path = tmp_path / f"{name}.ics"
    path.write_bytes(calendar(name, DAY))
    result = _load(path)
    [warning] = [w for w in result.warnings if w.uid == f"bad-{name}@example.com"]
    assert words in warning.message, warning


def test_a_minutely_series_from_years_ago_is_refused_not_walked(tmp_path):
    text = calendar("minutely", DAY).replace(f"DTSTART:{DAY:%Y%m%d}T000000Z".encode(),
                                             b"DTSTART:20150101T000000Z")
    path = tmp_path / "old.ics"
    path.write_bytes(text.replace(f"DTEND:{DAY:%Y%m%d}T000100Z".encode(),
                                  b"DTEND:20150101T000100Z"))
    result = _load(path)
    [warning] = [w for w in result.warnings if w.uid == "bad-minutely@example.com"]
    assert "steps to reach today" in warning.message
    assert len(_kinds(result, "minutely")) == 2


def test_an_unreadable_time_zone_name_costs_only_its_own_zone(tmp_path):
    path = tmp_path / "long-tzid.ics"
    path.write_bytes(calendar("long-tzid", DAY))
    result = _load(path)
    [bad] = [o for o in result.occurrences if o.uid == "bad-long-tzid@example.com"]
    assert bad.start == datetime(2026, 3, 10, 13, tzinfo=UTC)  # read as local time (UTC here)
    [warning] = [w for w in result.warnings if "unknown time zone" in w.message]
    assert len(warning.message) < 200


def test_one_load_has_at_most_its_budget_of_occurrences(tmp_path):
    names = ["minutely"] * (MAX_PER_LOAD // MAX_PER_SERIES + 2)
    paths = []
    for i, name in enumerate(names):
        path = tmp_path / f"m{i}.ics"
        path.write_bytes(calendar(name, DAY).replace(b"bad-minutely", f"bad-{i}".encode()))
        paths.append(path)
    result = _load(*paths)
    assert len(result.occurrences) <= MAX_PER_LOAD
    assert any("already has" in w.message for w in result.warnings)


def test_a_local_file_over_the_size_limit_is_refused_by_name(tmp_path):
    big = tmp_path / "huge.ics"
    big.write_bytes(huge_calendar(DAY, megabytes=3))
    small = write_all(tmp_path / "ok", DAY, ["until-9999"])[0]
    result = _load(big, small, max_feed_bytes=2 * 2**20)
    [warning] = [w for w in result.warnings if w.where == str(big)]
    assert "not read" in warning.message and "MB" in warning.message
    assert _kinds(result, "until-9999")  # the other source is still read


def test_a_hostile_feed_costs_only_its_bad_event(feed_server, tmp_path):
    feed_server.body = calendar("secondly", DAY)
    source = SourceSettings("feed", url=feed_server.url)
    result = load_occurrences(CalendarSettings(sources=(source,)), tmp_path / "cache",
                              START, END, UTC)
    assert _kinds(result, "secondly") == {"video-secondly": MeetingKind.VIDEO,
                                          "audio-secondly": MeetingKind.AUDIO}
