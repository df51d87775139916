"""The words the core speaks in: a port the shell fills with the user's language.

The core builds sentences ("10–15 reps each side", "Next: Reset at 13:30") but holds
no translator and reads no locale: every function that makes text for a person takes a
:class:`Words` (the shell passes ``movebreak.i18n.language()``) and defaults to
:data:`ENGLISH`, the source language, so the core's own tests and callers that do not
care about language keep working unchanged.

Messages are English source strings with named ``{placeholders}``, filled with
``str.format`` after translation, so a translation may move them around. ``N_`` marks a
string for extraction where it is written, for translating later where it is shown.
"""

from __future__ import annotations

from datetime import date, time
from typing import Protocol


class Words(Protocol):
    """Translated messages and locale-aware clock times (``gettext``'s own method names)."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...

    def clock(self, moment: time, /) -> str:
        """A time of day as the locale writes it: "13:30" or "1:30 PM"."""
        ...

    def weekday(self, day: date, /) -> str:
        """The day's short weekday name: "Mon", "Mo.", "lun."."""
        ...


class English:
    """The source language: messages as written, a 24-hour clock (the C locale's)."""

    def gettext(self, message: str, /) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        return singular if n == 1 else plural

    def clock(self, moment: time, /) -> str:
        return f"{moment:%H:%M}"

    def weekday(self, day: date, /) -> str:
        return ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[day.weekday()]


ENGLISH: Words = English()


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it (done where it is shown)."""
    return message


class Message(str):
    """An English sentence that keeps its template and values, to be said in another language.

    It is the English text itself (a ``str``), so tests, logs and callers that want
    English need nothing else; the shell calls :meth:`say` where a person reads it. A
    value that is a ``Message`` itself is said in the same language. The template is
    the catalogue's message id (``Message`` is an extraction keyword, like ``N_``).
    """

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, /, **values: object) -> Message:
        text = super().__new__(cls, template.format(**values))
        text.template = template
        text.values = values
        return text

    def say(self, words: Words) -> str:
        values = {key: say(value, words) for key, value in self.values.items()}
        return words.gettext(self.template).format(**values)


def say(text: object, words: Words) -> str:
    """``text`` in ``words`` when it is a :class:`Message`, else as it is."""
    return text.say(words) if isinstance(text, Message) else str(text)


def message_of(error: BaseException) -> str:
    """The exception's message, a :class:`Message` still when it was raised with one."""
    first = error.args[0] if len(error.args) == 1 else None
    return first if isinstance(first, Message) else str(error)
