"""Each default is written once, and where it is written is what the app runs on.

The shipped ``data/config.toml`` holds the defaults of every setting it shows (see
``movebreak.core.config``); the ``[calendar]`` table's few tuning defaults live in
``movebreak.core.calendar_settings``. A second copy anywhere fails here.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import textwrap
import tomllib
from pathlib import Path

import movebreak.calendar.settings as calendar_settings
import movebreak.config.validate as validate
import movebreak.core.config as model
from movebreak.config.loader import builtin_text, default_config
from movebreak.core.calendar_settings import CalendarSettings

SHIPPED = tomllib.loads(builtin_text("config.toml"))


def _config_dataclasses() -> list[type]:
    return [
        cls for _, cls in inspect.getmembers(model, inspect.isclass)
        if dataclasses.is_dataclass(cls) and cls.__module__ == model.__name__
    ]


def test_the_config_dataclasses_have_no_defaults_of_their_own():
    written = [
        f"{cls.__name__}.{f.name}"
        for cls in _config_dataclasses()
        for f in dataclasses.fields(cls)
        if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
    ]
    assert len(_config_dataclasses()) >= 9
    assert written == []


def test_build_config_has_no_fallback_values():
    """``get(...) or timedelta(minutes=50)`` would be a second, silent default."""
    source = textwrap.dedent(inspect.getsource(validate.build_config))
    fallbacks = [
        ast.unparse(node) for node in ast.walk(ast.parse(source))
        if (isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or))
        or isinstance(node, ast.IfExp)
    ]
    assert fallbacks == ["base_dir or Path.cwd()"]


def test_the_shipped_file_gives_every_setting_a_value():
    """So the loader, laying the user's file over it, never meets a missing key."""
    shipped = {
        name: tuple(sorted(SHIPPED[name])) for name in validate.SECTION_KEYS if name in SHIPPED
    }
    assert shipped == {name: tuple(sorted(keys)) for name, keys in validate.SECTION_KEYS.items()}
    assert "timezone" in SHIPPED
    assert default_config().source == "built-in defaults"


def test_calendar_defaults_are_written_once_and_agree():
    assert "calendar" not in SHIPPED  # its defaults live in core.calendar_settings only
    assert calendar_settings.parse_calendar_settings({}, Path("/")) == CalendarSettings()
    assert default_config().calendar == CalendarSettings()


def test_the_calendar_docstring_example_shows_the_defaults():
    doc = calendar_settings.__doc__ or ""
    example = textwrap.dedent(doc.split("::", 1)[1].split("\n\n")[1])
    raw = tomllib.loads(example)["calendar"]
    written = calendar_settings.parse_calendar_settings(raw, Path("/"))
    default = CalendarSettings()
    assert (written.refresh, written.audio_reminder, written.timeout, written.max_feed_bytes) == (
        default.refresh, default.audio_reminder, default.timeout, default.max_feed_bytes
    )
