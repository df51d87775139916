"""Stats from real rows written through the history API."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from stats_helpers import BERLIN, TODAY, Diary

from movebreak.core.outcome import Outcome
from movebreak.core.stats import DayStats, Fate, summarize, summarize_prompts, today_line
from movebreak.history import HistoryStore

MON, TUE, WED, THU, FRI = (date(2025, 3, 10) + timedelta(days=n) for n in range(5))
SAT_BEFORE, SUN_BEFORE = date(2025, 3, 8), date(2025, 3, 9)
LAST_WEEK = [date(2025, 3, 3) + timedelta(days=n) for n in range(5)]


@pytest.fixture
def diary(tmp_path: Path):
    diary = Diary(tmp_path / "history.sqlite3")
    yield diary
    diary.close()


def report(diary: Diary, days: int = 7, today: date = TODAY):
    return summarize(diary.store.events(), today, days=days)


def test_a_day_counts_each_outcome_minutes_and_the_morning(diary: Diary) -> None:
    diary.day(THU, "ddskmu", morning="done")
    thursday = report(diary).days[-2]
    assert thursday == DayStats(
        day=THU,
        prompted=6,
        done=2,
        snoozed=1,
        skipped=1,
        missed=1,
        unanswered=1,
        minutes_moved=19.0,  # 15 min morning + 2 x 2 min resets
        morning_prompted=True,
        morning_done=True,
    )


def test_the_window_has_one_entry_per_day_oldest_first(diary: Diary) -> None:
    diary.day(MON, "dd")
    summary = report(diary, days=10)
    assert [d.day for d in summary.days] == [TODAY - timedelta(days=n) for n in range(9, -1, -1)]
    assert summary.days[-5].prompted == 2
    assert summary.days[0] == DayStats(date(2025, 3, 5))
    with pytest.raises(ValueError):
        summarize([], TODAY, days=0)


def test_a_snoozed_prompt_that_comes_back_and_is_done_counts_once_as_done(
    diary: Diary,
) -> None:
    store = diary.store
    at = datetime.combine(TODAY, time(10), BERLIN)
    pid = store.record_prompt("reset", at, 2)
    store.record(pid, Outcome.SNOOZED, at + timedelta(minutes=1))
    store.record(pid, Outcome.PROMPTED, at + timedelta(minutes=11))
    store.record(pid, Outcome.STARTED, at + timedelta(minutes=12))
    store.record(
        pid, Outcome.COMPLETED, at + timedelta(minutes=14), steps_done=2, active_seconds=150
    )
    today = report(diary).today
    assert (today.prompted, today.done, today.snoozed) == (1, 1, 0)
    assert today.minutes_moved == 2.5


def test_a_prompt_answered_after_midnight_belongs_to_its_evening(diary: Diary) -> None:
    store = diary.store
    evening = datetime.combine(THU, time(23, 58), BERLIN)
    pid = store.record_prompt("reset", evening, 2)
    store.record(pid, Outcome.COMPLETED, evening + timedelta(minutes=5), active_seconds=120)
    summary = report(diary)
    assert (summary.days[-2].prompted, summary.days[-2].done) == (1, 1)
    assert summary.today.prompted == 0


def test_minutes_moved_count_sessions_left_early(diary: Diary) -> None:
    store = diary.store
    at = datetime.combine(TODAY, time(11), BERLIN)
    pid = store.record_prompt("reset", at, 2)
    store.record(pid, Outcome.STARTED, at)
    store.record(pid, Outcome.SKIPPED, at + timedelta(minutes=1), steps_done=1, active_seconds=60)
    today = report(diary).today
    assert (today.skipped, today.done, today.minutes_moved) == (1, 0, 1.0)


def test_summarize_prompts_reads_fates_in_write_order(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "h.sqlite3", tz=BERLIN) as store:
        at = datetime.combine(TODAY, time(10), BERLIN)
        pid = store.record_prompt("reset", at, 2)
        store.record(pid, Outcome.SNOOZED, at)
        # the clock stepped back between the two writes: write order still wins
        store.record(pid, Outcome.MISSED, at - timedelta(hours=1))
        (prompt,) = summarize_prompts(store.events())
    assert prompt.fate is Fate.MISSED and prompt.day == TODAY


# --- streak --------------------------------------------------------------------------


def test_streak_counts_workdays_and_weekends_neither_break_nor_need_it(diary: Diary) -> None:
    for day in LAST_WEEK:
        diary.day(day, "dd", morning="done")
    diary.day(SAT_BEFORE, "s")  # the app ran on Saturday: no morning, no break
    for day in (MON, TUE, WED, THU):
        diary.day(day, "ddd", morning="done")
    diary.day(TODAY, "d", morning=None)  # not done yet today: no break either
    assert report(diary).streak == 9

    diary.day(TODAY, morning="done")
    assert report(diary).streak == 10


def test_a_workday_with_prompts_but_no_morning_routine_breaks_the_streak(diary: Diary) -> None:
    diary.day(MON, "d", morning="done")
    diary.day(TUE, "dd", morning="skipped")
    diary.day(WED, "d", morning="done")
    diary.day(THU, "dd")  # the app ran, the morning routine never happened
    assert report(diary).streak == 0
    diary.day(TODAY, morning="done")
    assert report(diary).streak == 1


def test_a_day_without_the_app_does_not_break_the_streak(diary: Diary) -> None:
    diary.day(MON, "d", morning="done")
    # Tuesday: a holiday, the app did not run at all
    diary.day(WED, "d", morning="done")
    diary.day(THU, "d", morning="done")
    assert report(diary).streak == 3


def test_a_morning_routine_done_at_the_weekend_extends_the_streak(diary: Diary) -> None:
    diary.day(SUN_BEFORE, morning="done")
    diary.day(MON, "d", morning="done")
    assert report(diary, today=MON).streak == 2
    assert summarize([], TODAY).streak == 0


# --- the week and the tray line ------------------------------------------------------


def test_the_weeks_rate_runs_from_monday_to_today(diary: Diary) -> None:
    diary.day(LAST_WEEK[-1], "dddddddd")  # last Friday: not this week
    diary.day(MON, "ddss", morning="done")
    diary.day(WED, "dkmu", morning="done")
    summary = report(diary)
    assert (summary.week_done, summary.week_prompted) == (3, 8)
    assert summary.week_rate == pytest.approx(3 / 8)
    assert summarize([], TODAY).week_rate is None


def test_today_line_reads_like_the_issue_says(diary: Diary) -> None:
    assert today_line(report(diary).today) == "Today: no resets yet"
    diary.day(TODAY, "s", morning="skipped")
    assert today_line(report(diary).today) == "Today: 0 of 1 reset · morning not done"
    diary.day(TODAY, "dddddss", morning="done")
    assert today_line(report(diary).today) == "Today: 5 of 8 resets · morning done"
