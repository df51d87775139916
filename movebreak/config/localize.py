"""Built-in routines in the user's language; what the user wrote stays as written.

The built-in routines (``data/routines.toml``) are English source text with a
translation in each catalogue (``assets/i18n.py`` extracts them). The user's config is
merged over them field by field, so which text is built-in is told by where it came
from, never by looking a string up: a title, summary or steps list the user's file sets
is theirs and is shown as they wrote it, even when it equals a built-in string.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from movebreak.config.model import Config
from movebreak.core.routines import Routine, Step
from movebreak.core.words import Words

#: The text fields of a built-in routine and of its steps that are translated.
ROUTINE_TEXT = ("title", "summary")
STEP_TEXT = ("name", "instruction", "section")


def localized(
    config: Config, builtin: Mapping[str, Any], user: Mapping[str, Any], words: Words
) -> Config:
    """``config`` with the built-in text of its routines in ``words``.

    ``builtin`` and ``user`` are the raw tables the config was merged from: a routine
    field counts as built-in when ``builtin`` has it and ``user`` does not.
    """
    ours = _table(builtin, "routines")
    theirs = _table(user, "routines")
    routines = {
        key: _routine(routine, _table(ours, key), _table(theirs, key), words)
        for key, routine in config.routines.items()
    }
    return replace(config, routines=routines)


def _routine(
    routine: Routine, ours: Mapping[str, Any], theirs: Mapping[str, Any], words: Words
) -> Routine:
    def builtin(field: str) -> bool:
        return field in ours and field not in theirs

    texts: dict[str, Any] = {  # field name: its text said in the user's words
        f: _say(getattr(routine, f), words) for f in ROUTINE_TEXT if builtin(f)
    }
    if builtin("steps"):
        texts["steps"] = tuple(_step(step, words) for step in routine.steps)
    return replace(routine, **texts) if texts else routine


def _step(step: Step, words: Words) -> Step:
    texts: dict[str, Any] = {f: _say(getattr(step, f), words) for f in STEP_TEXT}
    return replace(step, **texts)


def _say(text: str, words: Words) -> str:
    return words.gettext(text) if text else text  # "" is the catalogue's header


def _table(raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = raw.get(key)
    return value if isinstance(value, Mapping) else {}
