"""The user's language: complete catalogues, English fallback, the user's own words kept."""

from __future__ import annotations

import gettext
import importlib.util
import io
import re
from datetime import time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from movebreak.config.loader import config_from_text, default_config
from movebreak.core.durations import RepRange
from movebreak.i18n import LOCALE_DIR, language

REPO = Path(__file__).resolve().parents[2]
POS = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/movebreak.po"))
GERMAN = {"LANGUAGE": "de", "LANG": "de_DE.UTF-8"}
_PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%\([a-z_]+\)[sd]|%[sd]")


def _tool():
    spec = importlib.util.spec_from_file_location("i18n_tool", REPO / "assets" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _catalog(po: Path):
    with po.open("rb") as file:
        return read_po(file)


def _forms(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def test_german_french_and_spanish_are_shipped() -> None:
    assert [p.parts[-3] for p in POS] == ["de", "es", "fr"]


@pytest.mark.parametrize("po", POS, ids=lambda p: p.parts[-3])
def test_every_message_is_translated_with_the_same_placeholders(po: Path) -> None:
    catalog = _catalog(po)
    assert not catalog.fuzzy
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids, strings = _forms(message.id), _forms(message.string)
        wanted = sorted(_PLACEHOLDER.findall(ids[-1]))
        # "{title}" is "{routine}" as written: a menu label may use either (core/menu.py)
        strings = tuple(s.replace("{title}", "{routine}") for s in strings)
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated or fuzzy: {ids[0]!r}")
        for string in strings:  # every plural form too: French says "0 jour"
            if sorted(_PLACEHOLDER.findall(string)) != wanted:
                problems.append(f"placeholders differ: {ids[0]!r} -> {string!r}")
    assert problems == []
    assert len(list(catalog)) > 80  # the built-in routines are in it, not just the code's


@pytest.mark.parametrize("po", POS, ids=lambda p: p.parts[-3])
def test_each_catalogue_has_exactly_the_messages_the_code_and_routines_have(po: Path) -> None:
    wanted = {m.id for m in _tool().template() if m.id}
    assert {m.id for m in _catalog(po) if m.id} == wanted


@pytest.mark.parametrize("po", POS, ids=lambda p: p.parts[-3])
def test_the_committed_mo_is_what_compiling_the_po_gives_now(po: Path) -> None:
    fresh = gettext.GNUTranslations(io.BytesIO(_tool().compiled(po)))
    with po.with_suffix(".mo").open("rb") as file:
        shipped = gettext.GNUTranslations(file)
    assert shipped._catalog == fresh._catalog  # type: ignore[attr-defined]
    assert shipped.ngettext("{count} rep", "{count} reps", 1) != "{count} rep"


def test_german_is_chosen_from_the_environment_and_plurals_follow_the_count() -> None:
    words = language(GERMAN)
    assert words.gettext("Skip") == "Auslassen"
    assert RepRange(1, 1).spoken(words) == "1 Wiederholung"
    assert RepRange(12, 12).spoken(words) == "12 Wiederholungen"
    assert language({"LANG": "fr_FR.UTF-8"}).gettext("left side") == "côté gauche"
    assert language({"LANGUAGE": "es:de", "LANG": "de_DE.UTF-8"}).gettext("Skip") == "Omitir"


def test_a_missing_message_and_an_unknown_language_fall_back_to_english() -> None:
    words = language(GERMAN)
    assert words.gettext("A sentence no catalogue has") == "A sentence no catalogue has"
    assert words.ngettext("{count} thing", "{count} things", 2) == "{count} things"
    assert language({"LANG": "xx_YY.UTF-8"}).gettext("Skip") == "Skip"
    assert language({}).gettext("left side") == "left side"


@pytest.mark.parametrize(
    ("environ", "shown"),
    [
        ({"LANG": "en_US.UTF-8"}, "1:30 PM"),
        ({"LANG": "de_DE.UTF-8"}, "13:30"),
        ({"LANG": "en_GB.UTF-8"}, "13:30"),
        ({"LANG": "de_DE.UTF-8", "LC_TIME": "en_US.UTF-8"}, "1:30 PM"),
        ({"LC_ALL": "C.UTF-8", "LANG": "en_US.UTF-8"}, "13:30"),
        ({}, "13:30"),
    ],
)
def test_times_follow_the_locale(environ: dict[str, str], shown: str) -> None:
    # CLDR puts a narrow no-break space before "PM"; older CLDR a plain one.
    assert language(environ).clock(time(13, 30)).replace("\u202f", " ") == shown


def test_built_in_routines_are_translated_and_the_users_words_are_not(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LANGUAGE", "de")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert default_config().routine("morning").title == "Morgenroutine"
    user = """
[routines.reset]
title = "Morning routine"          # the user's title over a built-in routine

[routines.mine]
title = "Morning routine"
summary = "Stand up and undo the desk posture."

[[routines.mine.steps]]
name = "Lunges"
section = "Strength"
reps = "8-10"
instruction = "Keep your torso upright."
"""
    config = config_from_text(user, str(tmp_path / "config.toml"))
    reset, mine, morning = (config.routine(k) for k in ("reset", "mine", "morning"))
    assert reset.title == "Morning routine"  # theirs, though the catalogue has it
    assert reset.summary == "Steh auf und löse dich aus der Sitzhaltung."  # still ours
    assert reset.steps[0].name == "Band auseinanderziehen"
    assert (mine.title, mine.summary) == ("Morning routine", "Stand up and undo the desk posture.")
    assert (mine.steps[0].name, mine.steps[0].section) == ("Lunges", "Strength")
    assert morning.title == "Morgenroutine"
    assert morning.steps[4].name == "Ausfallschritte"


def test_the_config_in_english_when_the_environment_is(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert default_config().routine("morning").title == "Morning routine"


def test_config_problems_say_their_message_in_the_language_and_keep_keys_and_values(
    tmp_path: Path,
) -> None:
    from movebreak.config.errors import ConfigError

    path = str(tmp_path / "config.toml")
    with pytest.raises(ConfigError) as caught:
        config_from_text('[reset]\nevery = "soon"\n[work]\nstart = "9"\n', path)
    english = caught.value.text()
    german = caught.value.text(language(GERMAN))
    assert english == str(caught.value)  # English is the text itself
    assert f'{path}:2: reset.every: expected a duration such as "45m" or "1h30m", got "soon"' \
        in english
    assert f'{path}:2: reset.every: erwartet wird eine Dauer wie "45m" oder "1h30m", ' \
        'angegeben ist "soon"' in german
    assert f'{path}:4: work.start: erwartet wird eine Uhrzeit wie "09:00", angegeben ist "9"' \
        in german
