"""Loading realistic .ics fixtures end to end: parse, recurrences, time zones, kinds."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from movebreak.calendar.load import load_occurrences
from movebreak.calendar.models import LoadResult, Occurrence
from movebreak.calendar.settings import CalendarSettings, SourceSettings
from movebreak.calendar.split import split_ics
from movebreak.core.meetings import MeetingKind

FIXTURES = Path(__file__).parent / "fixtures"
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
ME = ("ana.lopez@example.com",)


def load(name: str, start: datetime, end: datetime, tz: ZoneInfo = BERLIN,
         me: tuple[str, ...] = ME, **kw) -> LoadResult:
    path = FIXTURES / name if not isinstance(name, Path) else name
    settings = CalendarSettings(sources=(SourceSettings(path.stem, path=path),), me=me, **kw)
    return load_occurrences(settings, None, start, end, tz)


def day(y: int, m: int, d: int, tz: ZoneInfo = BERLIN) -> tuple[datetime, datetime]:
    start = datetime(y, m, d, tzinfo=tz)
    return start, start + timedelta(days=1)


def by_summary(result: LoadResult) -> dict[str, Occurrence]:
    return {o.summary: o for o in result.occurrences}


def test_google_export_kinds_times_and_me_from_calendar_name():
    # me=() on purpose: Google names the calendar after its owner, which decides "declined".
    result = load("google_export.ics", *day(2024, 3, 12), me=())
    found = by_summary(result)
    assert found["Hiring pipeline sync"].kind is MeetingKind.VIDEO
    assert found["Hiring pipeline sync"].link == "https://meet.google.com/kqd-xvbn-pwe"
    assert found["Hiring pipeline sync"].start == datetime(2024, 3, 12, 10, 0, tzinfo=BERLIN)
    assert found["Budget review"].kind is MeetingKind.NONE
    assert "declined" in found["Budget review"].reason
    assert found["Team offsite (Lisbon)"].all_day
    assert found["Team offsite (Lisbon)"].kind is MeetingKind.NONE
    assert found["Optional: lunch talk on observability"].kind is MeetingKind.NONE
    assert found["Focus time"].kind is MeetingKind.NONE
    # floating time: read in the calendar's X-WR-TIMEZONE
    assert found["Climbing gym"].start == datetime(2024, 3, 12, 18, 0, tzinfo=BERLIN)
    assert found["Climbing gym"].kind is MeetingKind.IN_PERSON
    standup = found["Daily standup"]
    assert standup.kind is MeetingKind.VIDEO
    assert standup.recurrence_id == "2024-03-12T09:45:00+01:00"
    assert not result.warnings


def test_google_daily_series_keeps_wall_time_across_european_dst():
    result = load("google_export.ics", datetime(2024, 3, 29, tzinfo=BERLIN),
                  datetime(2024, 4, 3, tzinfo=BERLIN))
    standups = [o for o in result.occurrences if o.summary == "Daily standup"]
    assert [o.start.date() for o in standups] == [date(2024, 3, 29), date(2024, 4, 1),
                                                  date(2024, 4, 2)]
    assert {(o.start.hour, o.start.minute) for o in standups} == {(9, 45)}
    assert [o.start.utcoffset() for o in standups] == [timedelta(hours=1), timedelta(hours=2),
                                                       timedelta(hours=2)]


def test_outlook_teams_invite_with_folded_safelinks_and_windows_zone():
    found = by_summary(load("outlook_teams.ics", *day(2024, 3, 12)))
    review = found["Q1-Zahlen: Überprüfung"]  # the "Ü" was folded mid-character
    assert review.kind is MeetingKind.VIDEO
    assert review.link is not None
    assert review.link.startswith("https://teams.microsoft.com/l/meetup-join/19%3ameeting_NmY3")
    assert review.start == datetime(2024, 3, 12, 15, 0, tzinfo=BERLIN)
    assert found["Architecture board"].kind is MeetingKind.VIDEO
    assert found["Dentist"].kind is MeetingKind.NONE
    assert found["Dentist"].reason == "out of office"


def test_zoom_invite_with_dial_ins_is_video_at_the_right_time():
    (occurrence,) = load("zoom_invite.ics", *day(2024, 3, 12)).occurrences
    assert occurrence.kind is MeetingKind.VIDEO
    assert occurrence.link == "https://us02web.zoom.us/j/85512345678?pwd=dGhpcyBpcyBub3QgYSByZWFsIHB3ZA.1"
    assert occurrence.start == datetime(2024, 3, 12, 11, 0, tzinfo=NEW_YORK)


def test_phone_calls_and_walk_and_talk_are_audio():
    found = by_summary(load("phone_calls.ics", *day(2024, 3, 12)))
    assert {o.kind for o in found.values()} == {MeetingKind.AUDIO}
    assert found["Intro with Dana Reyes (recruiter)"].link == "tel:+14155550199"
    assert found["Supplier check-in"].link == "tel:+442079460000"
    assert "walk & talk" in found["1:1 Ana / Marek (walk & talk)"].reason


def test_in_person_and_cancelled():
    found = by_summary(load("in_person.ics", *day(2024, 3, 12)))
    assert found["Quarterly planning"].kind is MeetingKind.IN_PERSON
    assert found["Coffee with Sam"].kind is MeetingKind.IN_PERSON
    assert found["Cancelled: Retro"].kind is MeetingKind.NONE


def test_recurring_series_with_exdate_rdate_moved_cancelled_declined_across_us_dst():
    result = load("recurring_dst.ics", datetime(2024, 2, 26, tzinfo=NEW_YORK),
                  datetime(2024, 3, 30, tzinfo=NEW_YORK), tz=NEW_YORK)
    got = [(o.start, o.kind, o.recurrence_id) for o in result.occurrences]
    ny = NEW_YORK
    assert got == [
        (datetime(2024, 2, 26, 9, 0, tzinfo=ny), MeetingKind.VIDEO, "2024-02-26T09:00:00-05:00"),
        # 4 March is an EXDATE; 11 March (after the DST change) moved to 14:00 and in a room
        (datetime(2024, 3, 11, 14, 0, tzinfo=ny), MeetingKind.IN_PERSON,
         "2024-03-11T09:00:00-04:00"),
        (datetime(2024, 3, 13, 16, 0, tzinfo=ny), MeetingKind.VIDEO, "2024-03-13T16:00:00-04:00"),
        (datetime(2024, 3, 18, 9, 0, tzinfo=ny), MeetingKind.NONE, "2024-03-18T09:00:00-04:00"),
        (datetime(2024, 3, 25, 9, 0, tzinfo=ny), MeetingKind.NONE, "2024-03-25T09:00:00-04:00"),
    ]
    assert [o.start.utcoffset() for o in result.occurrences][:2] == [
        timedelta(hours=-5), timedelta(hours=-4)]
    reasons = [o.reason for o in result.occurrences]
    assert reasons[3] == "cancelled" and "declined" in reasons[4]


def test_time_zone_edge_cases():
    result = load("timezones.ics", *day(2024, 3, 12))
    found = {o.uid: o.start for o in result.occurrences}
    assert found["tz-windows-no-vtimezone"] == datetime(2024, 3, 12, 10, 0, tzinfo=BERLIN)
    assert found["tz-suffixed"] == datetime(2024, 3, 12, 10, 0, tzinfo=NEW_YORK)
    # unknown zone and floating time: read as the local zone we were given
    assert found["tz-unknown"] == datetime(2024, 3, 12, 10, 0, tzinfo=BERLIN)
    assert found["tz-floating"] == datetime(2024, 3, 12, 10, 0, tzinfo=BERLIN)
    assert any("Customized Time Zone 7" in w.message for w in result.warnings)


def test_broken_events_are_skipped_with_warnings_naming_file_and_uid():
    result = load("broken.ics", *day(2024, 3, 12))
    uids = {o.uid for o in result.occurrences}
    assert {"good-1", "good-2", "unclosed"} <= uids
    assert not uids & {"bad-dtstart", "bad-rrule"}
    warned = {w.uid for w in result.warnings}
    assert {"bad-dtstart", "bad-rrule", "unclosed"} <= warned
    assert all(w.where.endswith("broken.ics") for w in result.warnings)


def test_folder_source_reads_every_ics_and_reports_missing_paths(tmp_path):
    folder = tmp_path / "cals"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(FIXTURES / "zoom_invite.ics", folder / "a.ics")
    shutil.copy(FIXTURES / "phone_calls.ics", folder / "sub" / "b.ICS")
    (folder / "notes.txt").write_text("not a calendar")
    settings = CalendarSettings(sources=(
        SourceSettings("folder", path=folder), SourceSettings("gone", path=tmp_path / "nope.ics")))
    result = load_occurrences(settings, None, *day(2024, 3, 12), BERLIN)
    assert len(result.occurrences) == 4
    assert {o.source for o in result.occurrences} == {"folder"}
    assert [w.message for w in result.warnings] == ["no such file or folder"]


def test_window_is_half_open_and_events_far_away_are_not_parsed():
    start, end = day(2024, 3, 12)
    result = load("in_person.ics", start + timedelta(hours=12), end)  # from 12:00
    assert [o.summary for o in result.occurrences] == ["Coffee with Sam", "Cancelled: Retro"]
    assert load("in_person.ics", *day(2030, 1, 1)).occurrences == ()


def test_json_round_trip_keeps_every_field():
    result = load("google_export.ics", *day(2024, 3, 12))
    again = LoadResult.from_json(result.to_json(), BERLIN)
    assert again == result
    offsite = next(o for o in result.occurrences if o.all_day).to_json_dict()
    assert (offsite["start"], offsite["end"]) == ("2024-03-12", "2024-03-13")


def test_split_keeps_events_cut_off_by_the_end_of_the_file():
    data = (FIXTURES / "in_person.ics").read_bytes()
    cut = data[: data.index(b"END:VEVENT")]
    split = split_ics(cut)
    assert [e.uid for e in split.events] == ["b6f1a8f2-2f71-4c3a-9d3e-5c1f2e0a9b11"]
    assert split.problems


@pytest.mark.parametrize("tz", [BERLIN, NEW_YORK, ZoneInfo("Asia/Kolkata")])
def test_same_instant_in_any_local_zone(tz):
    start = datetime(2024, 3, 12, tzinfo=ZoneInfo("UTC")) - timedelta(days=1)
    result = load("zoom_invite.ics", start, start + timedelta(days=3), tz=tz)
    (occurrence,) = result.occurrences
    assert occurrence.start == datetime(2024, 3, 12, 15, 0, tzinfo=ZoneInfo("UTC"))
    assert occurrence.start.tzinfo == tz
