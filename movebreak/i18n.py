"""The user's language: the one place that reads the locale and opens the catalogues.

Messages follow the environment the way ``gettext`` does: the first of ``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set (``LANGUAGE`` may list several,
``de:fr``). Times of day follow ``LC_ALL``, ``LC_TIME`` and ``LANG``, as the C library
does: "13:30" in Germany, "1:30 PM" in the United States; the C locale keeps movebreak's
own 24-hour "13:30". A message with no translation is shown in English, never as a key.

The catalogues are ``movebreak/locale/LANG/LC_MESSAGES/movebreak.mo``, compiled from
``movebreak/locale/LANG/LC_MESSAGES/movebreak.po`` by ``assets/i18n.py`` and committed, so
a wheel, an sdist, the .deb and a frozen build carry them without a build step.

:func:`language` is cached by the environment's values (``functools.cache``), not held in
a module global that someone sets: the tray, the notifications, the timer window (its own
process) and the CLI each ask for it where they make text, and get the same object for
the same environment without threading a translator through every adapter; a test that
sets another ``LANG`` gets another object, with nothing to reset.
"""

from __future__ import annotations

import functools
import gettext
import os
from collections.abc import Mapping
from datetime import date, time
from pathlib import Path

from movebreak.core.words import Words

DOMAIN = "movebreak"
LOCALE_DIR = Path(__file__).parent / "locale"
_MESSAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
_TIME_VARIABLES = ("LC_ALL", "LC_TIME", "LANG")
_NO_LOCALE = ("", "C", "POSIX")


class Language:
    """Translated messages (``gettext``'s) and clock times in one locale (Babel's)."""

    def __init__(self, translations: gettext.NullTranslations, time_locale: str | None) -> None:
        self._translations = translations
        self.time_locale = time_locale  # "de_DE", "en_US"; None: the C locale's 24 hours

    def gettext(self, message: str, /) -> str:
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        return self._translations.ngettext(singular, plural, n)

    def clock(self, moment: time, /) -> str:
        if self.time_locale is None:
            return f"{moment:%H:%M}"
        from babel.dates import format_time  # only when a time is shown: Babel is large

        return format_time(moment, format="short", locale=self.time_locale)

    def weekday(self, day: date, /) -> str:
        if self.time_locale is None:
            return ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[day.weekday()]
        from babel.dates import format_date

        return format_date(day, format="EEE", locale=self.time_locale)


def message_languages(environ: Mapping[str, str]) -> tuple[str, ...]:
    """The languages ``gettext`` would try, in order, for this environment."""
    for variable in _MESSAGE_VARIABLES:
        if environ.get(variable):
            return tuple(environ[variable].split(":"))
    return ()


def time_locale(environ: Mapping[str, str]) -> str | None:
    """The locale that formats times ("de_DE"), None for C/POSIX or one Babel lacks."""
    for variable in _TIME_VARIABLES:
        value = environ.get(variable)
        if value:
            name = value.split(".")[0].split("@")[0]
            return None if name in _NO_LOCALE else _known_locale(name)
    return None


@functools.cache
def _known_locale(name: str) -> str | None:
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(name))
    except (ValueError, UnknownLocaleError):
        return None


def language(environ: Mapping[str, str] | None = None) -> Words:
    """The user's language for ``environ`` (default: this process's environment)."""
    env = os.environ if environ is None else environ
    return _language(message_languages(env), time_locale(env))


@functools.cache
def _language(languages: tuple[str, ...], clock_locale: str | None) -> Language:
    translations = gettext.translation(
        DOMAIN, LOCALE_DIR, languages=[*languages, "C"], fallback=True
    )
    return Language(translations, clock_locale)
