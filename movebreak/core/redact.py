"""Feed URLs are credentials: show a person where a feed lives, never its secret parts.

Google's "secret address", published Outlook calendars and most CalDAV exports put the
token in the path or the query, so only scheme, host and port survive; a short hash
of the whole URL tells two feeds on one host apart without revealing anything.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_URL_IN_TEXT = re.compile(r"\b(?:https?|webcals?)://[^\s'\"<>]+", re.IGNORECASE)


def redact_url(url: str) -> str:
    """``https://calendar.google.com/calendar/ical/x/private-abc/basic.ics`` -> ``https://calendar.google.com/…#1a2b3c``."""
    import hashlib  # here, not above: the tray process imports this module but has no URL

    digest = hashlib.sha256(url.encode("utf-8", "replace")).hexdigest()[:6]
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return f"<feed URL #{digest}>"
    if not parts.scheme or not host:
        return f"<feed URL #{digest}>"
    return f"{parts.scheme.lower()}://{host.lower()}{port}/…#{digest}"


def redact_text(text: str) -> str:
    """Redact every URL inside a message, e.g. one an exception built from a request."""
    return _URL_IN_TEXT.sub(lambda m: redact_url(m.group(0)), text)
