"""Load a config file over the built-in defaults, with ``FILE:LINE: KEY: message`` errors.

The built-in defaults (``data/config.toml`` and ``data/routines.toml``) are the base;
the user's file is merged over them table by table, so a file that sets one key
changes one key. A list (days, steps) replaces the default list whole.

What can sit at the config's path is not always a config: a FIFO (opening it waited
for a writer forever, deaf to SIGTERM), a folder, a device, a file of gigabytes, a
file saved with a UTF-8 byte-order mark, arrays nested 500 deep (``tomllib`` recurses
until ``RecursionError``). :func:`read_config_text` and :func:`parse_toml` turn each
into a :class:`ConfigError` naming the file and line, or accept it (the BOM), so the
app starts on its defaults or keeps its last good config.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

from movebreak.config.errors import ConfigError, Problem
from movebreak.config.localize import localized
from movebreak.config.locate import key_lines, line_of
from movebreak.config.model import Config
from movebreak.config.validate import build_config
from movebreak.core.words import Message
from movebreak.i18n import language

_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")
_END_OF_DOCUMENT = re.compile(r"\(at end of document\)")
#: A config is a page or two of text; anything larger is not one.
MAX_CONFIG_BYTES = 1024 * 1024
#: Nesting deeper than this is reported at its line (tomllib itself fails near 500).
MAX_DEPTH = 100
_BOM = "\ufeff"


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
    except RecursionError:
        line = _too_deep_line(text)
        raise ConfigError([Problem("", Message(
            "nested too deeply (arrays or tables more than {depth} levels inside each other)",
            depth=MAX_DEPTH), path, line)]) from None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.search(message)
        line = int(match.group(1)) if match else max(1, len(text.splitlines()))
        clean = _END_OF_DOCUMENT.sub("", _TOML_POSITION.sub("", message)).strip()
        raise ConfigError([Problem("", Message("not valid TOML: {reason}", reason=clean), path,
                                   line)]) from None


def _too_deep_line(text: str) -> int:
    """The line where brackets first nest deeper than :data:`MAX_DEPTH` (strings and
    comments are not skipped: a rough place to look, which is all a person needs)."""
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            if char in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return number
            elif char in "]}":
                depth = max(0, depth - 1)
    return 1


def read_config_text(path: Path) -> str | None:
    """The text of the config file at ``path``; None when there is none.

    Only a regular file is read (opened without waiting, so a FIFO cannot hang us),
    at most :data:`MAX_CONFIG_BYTES`, as UTF-8; anything else is a ConfigError that
    names the file.
    """
    where = str(path)

    def problem(message: Message, line: int = 1) -> ConfigError:
        return ConfigError([Problem("", message, where, line)])

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise problem(Message("cannot read the file: {reason}",
                              reason=error.strerror or str(error))) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise problem(Message("not a regular file (a FIFO, a device or a folder?); "
                              "the config must be a plain text file"))
    with os.fdopen(fd, "rb") as file:
        try:
            data = file.read(MAX_CONFIG_BYTES + 1)
        except OSError as error:
            raise problem(Message("cannot read the file: {reason}",
                                  reason=error.strerror or str(error))) from None
    if len(data) > MAX_CONFIG_BYTES:
        raise problem(Message("larger than {size} MiB, the limit for a config file; "
                              "is this the right file?", size=MAX_CONFIG_BYTES // 1024 // 1024))
    try:
        return data.decode("utf-8")  # as written: no newline translation
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise problem(Message("not UTF-8 text; save it as UTF-8"), line) from None


def builtin_raw() -> dict[str, Any]:
    """The built-in defaults as raw tables."""
    return merge(
        parse_toml(builtin_text("config.toml"), "<built-in config>"),
        parse_toml(builtin_text("routines.toml"), "<built-in routines>"),
    )


def config_from_text(text: str, path: str) -> Config:
    """Validate the text of a user config over the defaults; errors carry file and line."""
    text = text.removeprefix(_BOM)  # Notepad's UTF-8 signature: not part of the TOML
    user = parse_toml(text, path)
    builtin = builtin_raw()
    try:
        config = build_config(merge(builtin, user), source=path, base_dir=Path(path).parent)
    except RecursionError:
        raise ConfigError([Problem("", Message(
            "nested too deeply (tables more than {depth} levels inside each other)",
            depth=MAX_DEPTH), path, _too_deep_line(text))]) from None
    except ConfigError as error:
        raise ConfigError(_located(error.problems, text, path)) from None
    config = localized(config, builtin, user, language())
    return replace(config, notes=tuple(_located(config.notes, text, path)))


def _located(problems: Sequence[Problem], text: str, path: str) -> list[Problem]:
    """The problems with their file and line, in the order of the file."""
    lines = key_lines(text)
    located = [Problem(p.key, p.message, path, line_of(p.key, lines)) for p in problems]
    return sorted(located, key=lambda p: p.line)


def default_config() -> Config:
    """The built-in defaults, validated: the app runs on these with no file at all."""
    builtin = builtin_raw()
    return localized(build_config(builtin, source="built-in defaults"), builtin, {}, language())


def load_config(path: Path) -> Config:
    """The config at ``path``, or the defaults when there is no file there."""
    text = read_config_text(path)
    if text is None:
        return default_config()
    return config_from_text(text, str(path))
