"""``movebreak stats``: table, JSON, CSV, and a chart whose bars match the data."""

from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from stats_helpers import NOW, TODAY, Diary

from movebreak.core.stats import summarize
from movebreak.history import HistoryStore
from movebreak.stats.chart import SEGMENTS, render_chart, segment_counts
from movebreak.stats.cli import add_stats_parser, run_stats

COLOUR = {key: colour for key, _label, colour in SEGMENTS}
# Friday 14 March 2025 is TODAY; the seven days shown run from Saturday the 8th.
WEEK = {
    "2025-03-09": ("ds", None),
    "2025-03-10": ("ddddss", "done"),
    "2025-03-11": ("dkkm", "done"),
    "2025-03-12": ("", "skipped"),
    "2025-03-13": ("ssdddu", "done"),
    "2025-03-14": ("dd", "done"),
}


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="movebreak")
    add_stats_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["stats", *argv])


def run(history: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run_stats(parse(*argv), history, now=NOW, out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def history(tmp_path: Path) -> Path:
    diary = Diary(tmp_path / "history.sqlite3")
    for day, (resets, morning) in WEEK.items():
        diary.day(date.fromisoformat(day), resets, morning=morning)
    diary.close()
    return diary.path


def test_the_table_shows_each_day_the_streak_the_week_and_today(history: Path) -> None:
    status, out, _err = run(history)
    assert status == 0
    assert "Mon 10 Mar      4 of 6" in out
    assert "Wed 12 Mar           –" in out and "not done" in out
    assert "Morning streak: 2 days" in out  # Wednesday's skipped morning broke it
    assert "This week: 10 of 18 resets done (56 %)" in out
    assert out.rstrip().endswith("Today: 2 of 2 resets · morning done")


def test_json_matches_what_was_written(history: Path) -> None:
    status, out, _err = run(history, "--json", "--days", "3")
    assert status == 0
    data = json.loads(out)
    assert data["today"] == "2025-03-14"
    assert [d["date"] for d in data["days"]] == ["2025-03-12", "2025-03-13", "2025-03-14"]
    thursday = data["days"][1]
    assert {k: thursday[k] for k in ("prompted", "done", "snoozed", "unanswered")} == {
        "prompted": 6,
        "done": 3,
        "snoozed": 2,
        "unanswered": 1,
    }
    assert thursday["minutes_moved"] == 21.0 and thursday["morning_done"] is True
    assert data["morning_streak_days"] == 2
    assert data["week"] == {
        "from": "2025-03-10",
        "to": "2025-03-14",
        "done": 10,
        "prompted": 18,
        "completion_rate": 0.556,
    }
    assert data["today_line"] == "Today: 2 of 2 resets · morning done"


def test_csv_has_a_row_per_day(history: Path, tmp_path: Path) -> None:
    target = tmp_path / "days.csv"
    status, _out, err = run(history, "--csv", str(target), "--days", "14")
    assert status == 0 and f"wrote {target}" in err
    rows = list(csv.DictReader(target.open()))
    assert len(rows) == 14
    assert rows[-4] == {
        "date": "2025-03-11",
        "prompted": "4",
        "done": "1",
        "snoozed": "0",
        "skipped": "2",
        "missed": "1",
        "unanswered": "0",
        "minutes_moved": "17.0",
        "morning_prompted": "True",
        "morning_done": "True",
    }


def test_no_history_yet_is_not_an_error_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "none" / "history.sqlite3"
    status, out, _err = run(missing, "--json")
    assert status == 0 and json.loads(out)["morning_streak_days"] == 0
    status, out, _err = run(missing)
    assert status == 0 and out.startswith("No history yet")
    assert not missing.parent.exists()


def test_bad_arguments_and_unwritable_outputs(history: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse("--days", "0")
    assert exit_info.value.code == 2
    status, _out, err = run(history, "--chart", str(tmp_path / "no" / "such" / "dir.png"))
    assert status == 1 and "cannot write" in err


# --- the chart -----------------------------------------------------------------------


def test_chart_png_has_the_size_and_the_bars_where_the_data_says(
    history: Path, tmp_path: Path
) -> None:
    target = tmp_path / "week.png"
    status, _out, _err = run(history, "--chart", str(target))
    assert status == 0
    image = Image.open(target).convert("RGB")
    assert image.size == (664, 460)  # 7 bars of 80 px and the margins

    with HistoryStore.open(history) as store:
        summary = summarize(store.events(), TODAY, days=7)
    _again, layout = render_chart(summary)
    assert len(layout.centers) == 7
    for day, x in zip(summary.days, layout.centers, strict=True):
        counts = segment_counts(day)
        level = 0
        for key, _label, colour in SEGMENTS:
            if counts[key]:
                middle = layout.bottom - (level + counts[key] / 2) * layout.unit
                assert image.getpixel((x, round(middle))) == colour, (day.day, key)
                level += counts[key]
        column = {image.getpixel((x, y)) for y in range(layout.top, layout.bottom)}
        for key, count in counts.items():
            if not count:
                assert COLOUR[key] not in column, (day.day, key)
        # the stack is as tall as the day's prompts, and no taller
        above = round(layout.bottom - (day.prompted + 0.5) * layout.unit)
        assert image.getpixel((x, above)) not in COLOUR.values()

    saturday_x = layout.centers[0]  # no prompts: no bar at all
    column = {image.getpixel((saturday_x, y)) for y in range(layout.top, layout.bottom)}
    assert not column & set(COLOUR.values())

    legend = {image.getpixel((x, y)) for x in range(image.width) for y in range(70, 100)}
    assert set(COLOUR.values()) <= legend


def test_chart_widens_for_a_month_and_keeps_its_bars(history: Path, tmp_path: Path) -> None:
    target = tmp_path / "month.png"
    assert run(history, "--chart", str(target), "--days", "60")[0] == 0
    image = Image.open(target)
    assert image.height == 460 and 640 < image.width <= 1800
    colours = {c for _n, c in image.convert("RGB").getcolors(1 << 16)}
    assert set(COLOUR.values()) <= colours
