"""Our child processes never import modules from the folder the app was started in.

``python -m`` puts the current folder first on ``sys.path``: a ``calendar.py`` there
(a download, a project of the user's) shadowed the standard library's ``calendar``,
which ``http.cookiejar`` (httpx) imports, and ran in the calendar worker.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from movebreak.calendar.load import load_occurrences
from movebreak.calendar.settings import CalendarSettings, SourceSettings
from movebreak.calendar.worker import load_in_subprocess

FIXTURES = Path(__file__).parent / "fixtures"
BERLIN = ZoneInfo("Europe/Berlin")


def plant(folder: Path, marker: Path) -> None:
    """A ``calendar.py`` that leaves a marker when imported (and then works as the real one)."""
    folder.mkdir()
    (folder / "calendar.py").write_text(
        "import pathlib, sys\n"
        f"pathlib.Path({str(marker)!r}).write_text('imported')\n"
        "del sys.modules['calendar']\n"
        "sys.path[:] = [p for p in sys.path if p not in ('', '.', "
        f"{str(folder)!r})]\n"
        "import calendar as _real\n"
        "globals().update(vars(_real))\n"
    )


def test_the_calendar_worker_ignores_a_calendar_py_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "imported"
    planted = tmp_path / "downloads"
    plant(planted, marker)
    monkeypatch.chdir(planted)
    settings = CalendarSettings(sources=(
        SourceSettings("dst", path=FIXTURES / "recurring_dst.ics"),
    ))
    start = datetime(2024, 3, 11, tzinfo=BERLIN)
    end = start + timedelta(days=3)
    there = load_in_subprocess(settings, tmp_path / "cache", start, end, BERLIN)
    assert not marker.exists(), "the worker imported the planted calendar.py"
    assert there == load_occurrences(settings, None, start, end, BERLIN)
    assert there.occurrences
