"""Load a config file over the built-in defaults, with ``FILE:LINE: KEY: message`` errors.

The built-in defaults (``data/config.toml`` and ``data/routines.toml``) are the base;
the user's file is merged over them table by table, so a file that sets one key
changes one key. A list (days, steps) replaces the default list whole.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

from movebreak.config.errors import ConfigError, Problem
from movebreak.config.locate import key_lines, line_of
from movebreak.config.model import Config
from movebreak.config.validate import build_config

_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")
_END_OF_DOCUMENT = re.compile(r"\(at end of document\)")


def builtin_text(name: str) -> str:
    """The text of a packaged data file: ``config.toml`` or ``routines.toml``."""
    return resources.files("movebreak.data").joinpath(name).read_text(encoding="utf-8")


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Overlay ``over`` on ``base``: tables merge key by key, anything else replaces."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def parse_toml(text: str, path: str) -> dict[str, Any]:
    """Parse TOML text; a syntax error becomes a Problem with the file and line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.search(message)
        line = int(match.group(1)) if match else max(1, len(text.splitlines()))
        clean = _END_OF_DOCUMENT.sub("", _TOML_POSITION.sub("", message)).strip()
        raise ConfigError([Problem("", f"not valid TOML: {clean}", path, line)]) from None


def builtin_raw() -> dict[str, Any]:
    """The built-in defaults as raw tables."""
    return merge(
        parse_toml(builtin_text("config.toml"), "<built-in config>"),
        parse_toml(builtin_text("routines.toml"), "<built-in routines>"),
    )


def config_from_text(text: str, path: str) -> Config:
    """Validate the text of a user config over the defaults; errors carry file and line."""
    user = parse_toml(text, path)
    try:
        config = build_config(merge(builtin_raw(), user), source=path, base_dir=Path(path).parent)
    except ConfigError as error:
        raise ConfigError(_located(error.problems, text, path)) from None
    return replace(config, notes=tuple(_located(config.notes, text, path)))


def _located(problems: Sequence[Problem], text: str, path: str) -> list[Problem]:
    """The problems with their file and line, in the order of the file."""
    lines = key_lines(text)
    located = [Problem(p.key, p.message, path, line_of(p.key, lines)) for p in problems]
    return sorted(located, key=lambda p: p.line)


def default_config() -> Config:
    """The built-in defaults, validated: the app runs on these with no file at all."""
    return build_config(builtin_raw(), source="built-in defaults")


def load_config(path: Path) -> Config:
    """The config at ``path``, or the defaults when there is no file there."""
    try:
        text = path.read_bytes().decode("utf-8")  # as written: no newline translation
    except FileNotFoundError:
        return default_config()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError([Problem("", f"cannot read the file: {error}", str(path), 0)]) from None
    return config_from_text(text, str(path))
