"""Shared fixtures: a fixed zone and configs built from TOML text, as users write them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.idle.xvfb import XServer, private_x_server

# The README's test command (`./dev test`) installs every program and library the tests
# use, so under it a test that skips for want of one is a broken setup: it fails instead.
# The tests' own helpers already fail under CI=true; this catches every other skip too.
STRICT = os.environ.get("MOVEBREAK_TESTS_STRICT") == "1" or os.environ.get("CI") == "true"
if STRICT:
    os.environ["CI"] = "true"  # the helpers' switch, in this process and its children

# Importing pystray needs a display unless a backend is named; unit tests have none.
os.environ.setdefault("PYSTRAY_BACKEND", "dummy")

BERLIN = ZoneInfo("Europe/Berlin")


def at(text: str, tz: ZoneInfo = BERLIN) -> datetime:
    """``at("2026-11-30 09:50")``: an aware local time, short to write in tests."""
    return datetime.fromisoformat(text).replace(tzinfo=tz)


@pytest.fixture
def tz() -> ZoneInfo:
    return BERLIN


@pytest.fixture(scope="module")
def x_server() -> Iterator[XServer]:
    """A private Xvfb for one test module: idle, fullscreen and tray probes talk to it."""
    with private_x_server() as running:
        yield running


def _skipped_by_mark(item: pytest.Item) -> bool:
    """Whether a ``skip``/``skipif`` mark (e.g. "not on Windows") skipped the item."""
    try:
        from _pytest.skipping import evaluate_skip_marks
    except ImportError:  # a pytest without it: any skip mark counts
        return any(item.iter_markers("skip")) or any(item.iter_markers("skipif"))
    return evaluate_skip_marks(item) is not None


def _strict_failure(report: pytest.CollectReport | pytest.TestReport) -> None:
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = (f"skipped, but under ./dev test (MOVEBREAK_TESTS_STRICT=1) or CI=true "
                       f"nothing the setup installs may be missing: {reason}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if (STRICT and report.skipped and not hasattr(report, "wasxfail")
            and not _skipped_by_mark(item)):
        _strict_failure(report)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped:
        _strict_failure(report)
