"""A private session bus per test, shared helper with tests/idle."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.idle.dbus_fakes import PrivateBus, private_bus


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[PrivateBus]:
    with private_bus(tmp_path) as running:
        yield running
