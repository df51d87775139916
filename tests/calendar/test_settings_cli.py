"""``[calendar]`` validation, ``movebreak meetings`` output, and the worker process."""

from __future__ import annotations

import argparse
import io
import json
import tomllib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from movebreak.calendar.cli import add_meetings_parser, run_meetings
from movebreak.calendar.load import load_occurrences
from movebreak.calendar.settings import (
    CalendarSettings,
    SourceSettings,
    parse_calendar_settings,
)
from movebreak.calendar.worker import load_in_subprocess
from movebreak.config.errors import ConfigError
from movebreak.core.meetings import MeetingKind

FIXTURES = Path(__file__).parent / "fixtures"
BERLIN = ZoneInfo("Europe/Berlin")
GOOD = """
[calendar]
me = ["Ana.Lopez@Example.com", "mailto:ana@corp.example"]
refresh = "10m"
audio_reminder = "off"
max_feed_size = "5MB"

[[calendar.sources]]
name = "work"
url = "webcal://outlook.office365.com/owa/calendar/abc/SECRETTOKEN/calendar.ics"

[[calendar.sources]]
path = "cals/calls.ics"
kind = "audio"

[[calendar.rules]]
match = "standup"
kind = "audio"
calendar = "work"

[[calendar.rules]]
regex = "(?i)lunch"
kind = "none"
fields = ["summary", "description"]
"""


def parse(text: str, base: Path = Path("/home/ana/.config/movebreak")) -> CalendarSettings:
    return parse_calendar_settings(tomllib.loads(text)["calendar"], base)


def test_valid_calendar_table():
    settings = parse(GOOD)
    assert settings.me == ("ana.lopez@example.com", "ana@corp.example")
    assert settings.refresh == timedelta(minutes=10)
    assert settings.audio_reminder is None
    assert settings.max_feed_bytes == 5_000_000
    work, calls = settings.sources
    assert work.url == "https://outlook.office365.com/owa/calendar/abc/SECRETTOKEN/calendar.ics"
    assert "SECRETTOKEN" not in work.where
    assert calls.name == "calls" and calls.kind is MeetingKind.AUDIO
    assert calls.path == Path("/home/ana/.config/movebreak/cals/calls.ics")
    config = settings.classifier_config()
    assert config.calendar_kinds == {"calls": MeetingKind.AUDIO}
    assert [r.calendar for r in config.rules] == ["work", None]
    assert parse_calendar_settings(settings.to_raw(), Path("/")) == settings


def test_every_problem_is_reported_with_its_dotted_key_and_no_secret():
    text = """
[calendar]
me = ["not-an-address"]
refresh = "soon"
colour = "blue"
[[calendar.sources]]
url = "ftp://example.com/SECRETTOKEN.ics"
[[calendar.sources]]
path = "a.ics"
url = "https://example.com/x.ics"
[[calendar.sources]]
path = "b.ics"
kind = "hologram"
[[calendar.rules]]
regex = "("
kind = "audio"
[[calendar.rules]]
match = "x"
calendar = "nowhere"
"""
    with pytest.raises(ConfigError) as caught:
        parse(text)
    keys = {p.key for p in caught.value.problems}
    assert keys == {
        "calendar.me[0]", "calendar.refresh", "calendar.colour", "calendar.sources[0].url",
        "calendar.sources[1]", "calendar.sources[2].kind", "calendar.rules[0].regex",
        "calendar.rules[1].kind", "calendar.rules[1].calendar",
    }
    assert "SECRETTOKEN" not in str(caught.value)


def test_duplicate_source_names_are_rejected():
    text = ('[calendar]\n[[calendar.sources]]\npath = "a/x.ics"\n'
            '[[calendar.sources]]\npath = "b/x.ics"\n')
    with pytest.raises(ConfigError) as caught:
        parse(text)
    assert [p.key for p in caught.value.problems] == ["calendar.sources[1].name"]


def run_cli(argv: list[str], settings: CalendarSettings | None = None) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="movebreak")
    add_meetings_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["meetings", *argv])
    out, err = io.StringIO(), io.StringIO()
    code = run_meetings(args, lambda: settings or CalendarSettings(), tz=BERLIN,
                        now=datetime(2024, 3, 12, 8, 0, tzinfo=BERLIN), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_meetings_json_default_window_is_today():
    code, out, err = run_cli(["--ics", str(FIXTURES / "google_export.ics"),
                              "--me", "ana.lopez@example.com", "--json"])
    assert code == 0 and err == ""
    items = json.loads(out)
    assert {i["kind"] for i in items} == {"video", "in_person"}
    sync = next(i for i in items if i["summary"] == "Hiring pipeline sync")
    assert sync == {
        "uid": "4m1hq0c2r5v6j8g9l0a1b2c3d4@google.com", "recurrence_id": None,
        "start": "2024-03-12T10:00:00+01:00", "end": "2024-03-12T10:30:00+01:00",
        "summary": "Hiring pipeline sync", "kind": "video",
        "reason": "Google Meet link in X-GOOGLE-CONFERENCE",
        "link": "https://meet.google.com/kqd-xvbn-pwe",
    }


def test_meetings_all_lists_none_with_reasons_and_all_day_dates():
    code, out, _ = run_cli(["--ics", str(FIXTURES / "google_export.ics"), "--all", "--json",
                            "--from", "2024-03-12", "--to", "2024-03-13"])
    items = {i["summary"]: i for i in json.loads(out)}
    assert items["Team offsite (Lisbon)"]["start"] == "2024-03-12"
    assert items["Team offsite (Lisbon)"]["end"] == "2024-03-13"
    assert items["Budget review"]["reason"] == "declined by you"  # me from X-WR-CALNAME
    assert items["Focus time"]["kind"] == "none"


def test_meetings_text_output_and_bad_window():
    code, out, _ = run_cli(["--ics", str(FIXTURES / "phone_calls.ics")])
    assert code == 0
    assert "audio" in out and "Supplier check-in" in out and "tel:+442079460000" in out
    code, _, err = run_cli(["--from", "2024-03-12T10:00", "--to", "2024-03-12T09:00"])
    assert code == 2 and "--to must be after --from" in err
    code, _, err = run_cli(["--from", "tomorrow"])
    assert code == 2 and "expected an ISO date" in err


def test_meetings_warnings_go_to_stderr():
    code, out, err = run_cli(["--ics", str(FIXTURES / "broken.ics"), "--json"])
    assert code == 0
    assert json.loads(out)  # still valid JSON with the good events
    assert "bad-dtstart" in err


def test_worker_subprocess_gives_the_same_result(tmp_path):
    settings = CalendarSettings(sources=(
        SourceSettings("google", path=FIXTURES / "google_export.ics"),
        SourceSettings("dst", path=FIXTURES / "recurring_dst.ics"),
    ), me=("ana.lopez@example.com",))
    start = datetime(2024, 3, 11, tzinfo=BERLIN)
    end = start + timedelta(days=3)
    here = load_occurrences(settings, None, start, end, BERLIN)
    there = load_in_subprocess(settings, tmp_path, start, end, BERLIN)
    assert there == here
    assert len(there.occurrences) > 5
