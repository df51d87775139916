"""Text fit for a notification: no control characters, no direction overrides, bounded.

A notice's title and body carry text the user did not type here: routine names from
the config, meeting titles from anyone who can send an invitation. On the way to the
notification server:

- control characters (C0 and C1, DEL) are dropped; the body keeps its newlines and
  tabs, the summary (one line on every server) turns them into spaces;
- bidi overrides, embeddings, isolates and marks (U+202A–U+202E, U+2066–U+2069,
  U+200E, U+200F) are dropped: they can make a title read backwards;
- lengths are bounded (:data:`SUMMARY_MAX`, :data:`BODY_MAX` characters), cut on a
  character boundary (never inside a combining sequence) with an ellipsis;
- where the server reads markup (``body-markup``, ``body-hyperlinks`` or
  ``body-images``: the latter two are markup too), ``&``, ``<`` and ``>`` are escaped,
  so ``<img src="file:///...">`` or ``<a href=...>`` in a title reach it as text.
  The summary is plain text by the specification and is never escaped.

Pure: strings in, strings out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection

SUMMARY_MAX = 120
BODY_MAX = 1000
ELLIPSIS = "…"
#: Capabilities with which a server interprets the body as markup.
MARKUP_CAPABILITIES = frozenset({"body-markup", "body-hyperlinks", "body-images"})

_DIRECTION = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_DIRECTION}]")  # keeps \t, \n
_LINE_BREAKS = re.compile(r"\r\n?|[\n\t\u2028\u2029\x85]")


def bounded(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, an ellipsis marking the cut."""
    if len(text) <= limit:
        return text
    import unicodedata  # only for a text that needs cutting: a C module the tray skips

    cut = limit - len(ELLIPSIS)
    while cut > 0 and unicodedata.combining(text[cut]):  # keep an accent with its letter
        cut -= 1
    return text[:cut].rstrip() + ELLIPSIS


def clean_summary(text: str, limit: int = SUMMARY_MAX) -> str:
    """One line of plain text: breaks become spaces, unsafe characters go, bounded."""
    line = _UNSAFE.sub("", _LINE_BREAKS.sub(" ", text))
    return bounded(line.strip(), limit)


def clean_body(text: str, capabilities: Collection[str] = (), limit: int = BODY_MAX) -> str:
    """The body as the server should get it: cleaned, bounded, escaped for markup."""
    body = _UNSAFE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    body = bounded(body.strip(), limit)  # before escaping: never cut inside an entity
    if MARKUP_CAPABILITIES.intersection(capabilities):
        return html.escape(body, quote=False)
    return body
