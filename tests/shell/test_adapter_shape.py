"""Every adapter family has one shape: base.py with its Protocol and ``Unavailable``,
and a ``detect()`` chooser, so a new platform adapter is one module and one line."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

import movebreak
from movebreak.adapters import Unavailable

FAMILIES = {  # family: (its Unavailable, the module holding detect)
    "idle": ("IdleUnavailable", "movebreak.idle.detect"),
    "quiet": ("QuietUnavailable", "movebreak.quiet.detect"),
    "calls": ("CallsUnavailable", "movebreak.calls.detect"),
    "sound": ("SoundUnavailable", "movebreak.sound.detect"),
    "autostart": ("AutostartUnavailable", "movebreak.autostart.service"),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_each_family_says_unavailable_one_way_and_chooses_with_detect(family):
    unavailable, chooser = FAMILIES[family]
    base = importlib.import_module(f"movebreak.{family}.base")
    error = getattr(base, unavailable)
    assert issubclass(error, Unavailable)
    protocols = [c for _, c in inspect.getmembers(base, inspect.isclass)
                 if c.__module__ == base.__name__ and getattr(c, "_is_protocol", False)]
    assert protocols, f"movebreak/{family}/base.py holds no Protocol"
    assert callable(importlib.import_module(chooser).detect)


def test_no_other_exception_says_not_here():
    """A family's own 'cannot work here' error is its Unavailable, not a second name."""
    names = set()
    for path in sorted(Path(movebreak.__file__).parent.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        names |= {line.split("class ", 1)[1].split("(", 1)[0]
                  for line in text.splitlines()
                  if line.startswith("class ") and "Unavailable" in line}
    # XUnavailable: the X connection that the idle and quiet X11 adapters share
    assert names == {"Unavailable", "XUnavailable", *(name for name, _ in FAMILIES.values())}
