"""Any text gives a valid config or clean ``FILE:LINE: KEY: message`` errors, never a traceback.

The loader and validator run on every save of the config file while the app runs,
and at its start: an exception other than ``ConfigError`` there would either crash
the app at login or hide a user's mistake behind a traceback in the log.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from movebreak.config.errors import ConfigError
from movebreak.config.loader import config_from_text
from movebreak.config.model import Config
from tests.faults.config_strategies import (
    PATH,
    TOMLISH,
    assert_clean_problems,
    near_valid_files,
)

FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(text: str) -> Config | None:
    """Load ``text``; a ConfigError must be clean, anything else fails the test."""
    try:
        return config_from_text(text, PATH)
    except ConfigError as error:
        assert_clean_problems(error, text)
        return None


@FUZZ
@given(st.text())
@example("a = ")  # a syntax error "at end of document"
@example('x = """\n')
@example("\x00")
def test_any_text_loads_or_fails_cleanly(text: str) -> None:
    check(text)


@FUZZ
@given(TOMLISH)
def test_toml_punctuation_in_any_order_loads_or_fails_cleanly(text: str) -> None:
    check(text)


@FUZZ
@given(near_valid_files())
@example('[reset]\nevery = "99999999999999999h"\n')  # a duration too long for timedelta
@example('[prompts]\nsnooze_choices = ["9999999999d"]\n')
@example('[reset]\nevery = "a\\nb"\n')  # a newline inside the value shown in the message
@example('[[routines.eyes.steps]]\nname = "n"\ninstruction = "i"\nduration = "20s"\n')
@example('"\\u0000" = 1\n')  # an escaped key: the message must still name a line
@example('[[calendar.rules]]\ncalendar = []\nmatch = "x"\nkind = "video"\n')  # unhashable
@example('timezone = "a\\nb"\n')
def test_near_valid_files_load_or_fail_cleanly(text: str) -> None:
    config = check(text)
    if config is not None:  # what was accepted must be usable by the timetable
        assert config.reset.every.total_seconds() > 0
        assert config.work.start < config.work.end
        assert config.reset.routine in config.routines


@settings(max_examples=150, deadline=None)
@given(near_valid_files(), st.integers(min_value=0, max_value=400))
def test_a_file_cut_off_anywhere_loads_or_fails_cleanly(text: str, cut: int) -> None:
    """An editor's half-written save: any prefix of a file."""
    check(text[:cut])


def test_every_problem_of_a_file_is_reported_not_just_the_first() -> None:
    text = '[reset]\nevery = "soon"\n\n[work]\nstart = "25:00"\ndays = ["funday"]\n'
    try:
        config_from_text(text, PATH)
    except ConfigError as error:
        assert_clean_problems(error, text)
        assert [p.line for p in error.problems] == [2, 5, 6]
    else:
        raise AssertionError("three mistakes were accepted")
