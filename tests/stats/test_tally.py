"""The tray's running tally agrees with the stats read back from the whole history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from movebreak.core.outcome import Outcome
from movebreak.core.stats import DayStats, daily_stats, summarize_prompts, today_line
from movebreak.core.tally import DayTally
from movebreak.history.model import HistoryEvent

TODAY = date(2026, 11, 30)
ROUTINES = ("reset", "morning", "desk")

# A step of a day: a new prompt (routine, made today or the day before), or an event
# of an earlier prompt (which one, as an index into those made so far; what kind).
new_prompt = st.tuples(st.just("new"), st.sampled_from(ROUTINES), st.sampled_from((0, -1)))
later_event = st.tuples(
    st.just("event"), st.integers(min_value=0, max_value=40), st.sampled_from(list(Outcome))
)


def rows_of(steps) -> list[HistoryEvent]:
    """The history rows those steps write, ids in write order as the database gives them."""
    rows: list[HistoryEvent] = []
    prompts: list[tuple[int, str, date]] = []
    for step in steps:
        when = datetime(2026, 11, 30, 12, tzinfo=UTC)
        if step[0] == "new":
            _, routine, offset = step
            day = TODAY + timedelta(days=offset)
            prompts.append((len(prompts) + 1, routine, day))
            pid, kind = prompts[-1][0], Outcome.PROMPTED
        elif prompts:
            pid, routine, day = prompts[step[1] % len(prompts)]
            kind = step[2]
        else:
            continue
        rows.append(HistoryEvent(len(rows) + 1, pid, kind, when, day, routine, 2))
    return rows


def feed(tally: DayTally, rows: list[HistoryEvent], seen: set[int] | None = None) -> None:
    """What the recorder does as it writes each row (``seen``: prompts made before).

    A snoozed prompt shown again writes PROMPTED too, but it is no new prompt.
    """
    seen = set() if seen is None else seen
    for row in rows:
        if row.kind is Outcome.PROMPTED and row.prompt_id not in seen:
            tally.prompted(row.prompt_id, row.routine_id, row.local_date)
        else:
            tally.recorded(row.prompt_id, row.kind)
        seen.add(row.prompt_id)


def from_scratch(rows: list[HistoryEvent]) -> DayStats:
    """``movebreak stats``'s figures for TODAY, minutes aside (the tray does not show them)."""
    full = daily_stats(summarize_prompts(rows)).get(TODAY, DayStats(TODAY))
    return DayStats(**{**full.__dict__, "minutes_moved": 0.0})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(new_prompt, later_event), max_size=60), st.data())
def test_seeded_at_any_moment_then_fed_it_matches_the_whole_history(steps, data):
    rows = rows_of(steps)
    cut = data.draw(st.integers(min_value=0, max_value=len(rows)))
    tally = DayTally.from_history(TODAY, rows[:cut])
    feed(tally, rows[cut:], seen={r.prompt_id for r in rows[:cut]})
    assert tally.stats() == from_scratch(rows)
    assert today_line(tally.stats()) == today_line(from_scratch(rows))


def test_a_snoozed_prompt_done_later_counts_once_as_done():
    tally = DayTally(TODAY)
    tally.prompted(1, "reset", TODAY)
    tally.recorded(1, Outcome.SNOOZED)
    tally.recorded(1, Outcome.PROMPTED)
    assert today_line(tally.stats()) == "Today: 0 of 1 reset"
    tally.recorded(1, Outcome.STARTED)
    tally.recorded(1, Outcome.COMPLETED)
    tally.prompted(2, "morning", TODAY)
    assert today_line(tally.stats()) == "Today: 1 of 1 reset · morning not done"


def test_prompts_of_another_day_and_their_answers_do_not_count():
    tally = DayTally(TODAY)
    tally.prompted(7, "reset", TODAY - timedelta(days=1))  # answered after midnight
    tally.recorded(7, Outcome.COMPLETED)
    assert tally.stats() == DayStats(TODAY)


def test_feeding_every_row_gives_the_same_as_seeding_from_them():
    rows = rows_of([("new", "reset", 0), ("event", 0, Outcome.SKIPPED), ("new", "morning", 0),
                    ("event", 1, Outcome.COMPLETED), ("new", "reset", -1)])
    fed = DayTally(TODAY)
    feed(fed, rows)
    assert fed.stats() == DayTally.from_history(TODAY, rows).stats() == from_scratch(rows)
    assert today_line(fed.stats()) == "Today: 0 of 1 reset · morning done"
