"""Shared fixtures: a fixed zone and configs built from TOML text, as users write them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.idle.xvfb import XServer, private_x_server

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
