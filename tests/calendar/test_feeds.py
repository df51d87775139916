"""Feeds over real loopback HTTP: conditional GET, failures keep the last good data."""

from __future__ import annotations

import logging
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from movebreak.calendar.feeds import FeedCache, refresh_feed
from movebreak.calendar.load import load_occurrences
from movebreak.calendar.redact import redact_text, redact_url
from movebreak.calendar.settings import CalendarSettings, SourceSettings
from movebreak.core.meetings import MeetingKind

from .conftest import FeedServer

BERLIN = ZoneInfo("Europe/Berlin")
T0 = datetime(2024, 3, 12, 7, 0, tzinfo=UTC)
WINDOW = (datetime(2024, 3, 12, tzinfo=BERLIN), datetime(2024, 3, 13, tzinfo=BERLIN))
TOKEN = "private-7f3c9a1e5b2d4c6f8a0b"


def settings_for(server: FeedServer) -> CalendarSettings:
    return CalendarSettings(
        sources=(SourceSettings("feed", url=server.url),),
        refresh=timedelta(minutes=15),
        timeout=timedelta(seconds=0.25),
        max_feed_bytes=1024 * 1024,
    )


def load(server: FeedServer, cache: Path, now: datetime):
    return load_occurrences(settings_for(server), cache, *WINDOW, BERLIN, now=now)


def first_good_load(server: FeedServer, cache: Path):
    result = load(server, cache, T0)
    assert [o.kind for o in result.occurrences] == [MeetingKind.VIDEO]
    assert not result.warnings
    return result


def test_200_then_304_with_etag_and_last_modified(feed_server, tmp_path):
    good = first_good_load(feed_server, tmp_path)
    again = load(feed_server, tmp_path, T0 + timedelta(minutes=20))
    assert again.occurrences == good.occurrences
    assert len(feed_server.requests) == 2
    second = feed_server.requests[1]
    assert second["if-none-match"] == '"v1"'
    assert second["if-modified-since"] == "Tue, 05 Mar 2024 08:00:00 GMT"


def test_no_request_before_the_refresh_interval(feed_server, tmp_path):
    first_good_load(feed_server, tmp_path)
    load(feed_server, tmp_path, T0 + timedelta(minutes=14))
    assert len(feed_server.requests) == 1


@pytest.mark.parametrize(("mode", "words"), [
    ("500", "HTTP 500"),
    ("slow", "no answer within"),
    ("garbage", "not an iCalendar feed"),
    ("truncated", "not an iCalendar feed"),
    ("loop", "redirect"),
    ("big-declared", "larger than"),
    ("big-streamed", "larger than"),
])
def test_failures_keep_the_last_good_data(feed_server, tmp_path, caplog, mode, words):
    good = first_good_load(feed_server, tmp_path)
    feed_server.mode = mode
    caplog.set_level(logging.DEBUG)
    later = T0 + timedelta(minutes=20)
    result = load(feed_server, tmp_path, later)
    assert result.occurrences == good.occurrences
    (warning,) = result.warnings
    assert words in warning.message
    assert "using the copy from 2024-03-12 07:00 UTC" in warning.message
    assert TOKEN not in str(warning) and TOKEN not in caplog.text
    assert "127.0.0.1" in warning.where
    # and the good copy is still there for the next run, even offline
    offline = load_occurrences(settings_for(feed_server), tmp_path, *WINDOW, BERLIN,
                               now=later, fetch=False)
    assert offline.occurrences == good.occurrences


def test_first_fetch_failing_gives_a_warning_and_no_events(feed_server, tmp_path):
    feed_server.mode = "500"
    result = load(feed_server, tmp_path, T0)
    assert result.occurrences == ()
    assert "no earlier copy" in result.warnings[0].message


def test_identical_200_without_validators_is_unchanged_and_answers_from_the_memo(
        feed_server, tmp_path):
    feed_server.etag = feed_server.last_modified = None
    good = first_good_load(feed_server, tmp_path)
    memo = tmp_path / "last-load.json"
    stamp = memo.stat().st_mtime_ns
    cache = FeedCache(tmp_path)
    outcome = refresh_feed(feed_server.url, cache, now=T0 + timedelta(minutes=20),
                           interval=timedelta(minutes=15), timeout=0.5)
    assert outcome.status == "unchanged"
    result = load(feed_server, tmp_path, T0 + timedelta(minutes=40))
    assert result.occurrences == good.occurrences
    assert memo.stat().st_mtime_ns == stamp  # nothing was re-parsed or re-written
    feed_server.body = feed_server.body.replace(b"Design review", b"Design sync")
    changed = load(feed_server, tmp_path, T0 + timedelta(minutes=60))
    assert changed.occurrences[0].summary == "Design sync: onboarding flow"


def test_cache_is_private_atomic_and_holds_no_url(feed_server, tmp_path):
    cache_dir = tmp_path / "cache"
    first_good_load(feed_server, cache_dir)
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    files = [p for p in cache_dir.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert TOKEN.encode() not in path.read_bytes()
        assert TOKEN not in path.name
        assert not path.name.endswith(".tmp")


def test_webcal_and_https_feed_urls_are_redacted_everywhere():
    url = "webcal://p52-caldav.icloud.com/published/2/MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3OA"
    shown = redact_url(url)
    assert shown.startswith("webcal://p52-caldav.icloud.com/…#")
    assert "MTIz" not in shown
    assert redact_url("https://user:pw@example.com:8443/x?token=abc").startswith(
        "https://example.com:8443/…")
    assert "pw" not in redact_url("https://user:pw@example.com/x")
    assert redact_url("https://a.example/one") != redact_url("https://a.example/two")
    text = redact_text("GET https://calendar.google.com/cal/ical/x/private-abc/basic.ics failed")
    assert "private-abc" not in text and "calendar.google.com" in text
