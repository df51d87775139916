"""Fetch ICS feeds with conditional GET, and keep the last good copy on disk.

A feed is fetched at most once per refresh interval (the clock is passed in). The
server's ETag / Last-Modified come back as If-None-Match / If-Modified-Since, so an
unchanged feed costs one small 304; a 200 whose body hashes the same as the cached
copy is "unchanged" too, which lets the loader skip re-parsing. Anything that goes
wrong — an error status, a timeout, a redirect loop, a body too large, a body that
is not a calendar — leaves the cached copy in place and yields a warning.

Feed URLs are secrets: they appear only through :func:`redact_url`, and on disk only
as a hash (the file names) — the URL itself is not stored.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from movebreak import __version__

from .cache import private_dir, read_bytes, read_json, write_json, write_private
from .redact import redact_text, redact_url

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5


class FeedError(Exception):
    """A fetch failed; the message is safe to show (no full URL)."""


@dataclass(frozen=True)
class FeedOutcome:
    """What a refresh did and the body to use (the last good one after a failure).

    ``status`` is one of: ``cached`` (fetched recently, no request made),
    ``not-modified`` (304), ``unchanged`` (200 with the same content), ``updated``,
    ``failed``. ``body`` is None only if no good copy was ever fetched.
    """

    status: str
    body: bytes | None
    sha256: str | None
    warning: str | None = None
    fetched_at: datetime | None = None


def looks_like_calendar(body: bytes) -> bool:
    """A whole iCalendar document, not an HTML login page or a cut-off transfer."""
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").upper()
    return head.startswith(b"BEGIN:VCALENDAR") and b"END:VCALENDAR" in body[-4096:].upper()


class FeedCache:
    """Per-feed body and metadata files under ``<cache_dir>/feeds``, named by a URL hash."""

    def __init__(self, cache_dir: Path) -> None:
        self.folder = cache_dir / "feeds"

    def _key(self, url: str) -> str:
        return hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]

    def meta(self, url: str) -> dict[str, object]:
        """Validators and times of the last fetch (empty if none)."""
        return read_json(self.folder / f"{self._key(url)}.json") or {}

    def body(self, url: str) -> bytes | None:
        """The last good body, if any."""
        return read_bytes(self.folder / f"{self._key(url)}.ics")

    def save_meta(self, url: str, meta: dict[str, object]) -> None:
        """Write the metadata privately and atomically."""
        private_dir(self.folder)
        write_json(self.folder / f"{self._key(url)}.json", meta)

    def save_body(self, url: str, body: bytes) -> None:
        """Write a new good body privately and atomically."""
        write_private(self.folder / f"{self._key(url)}.ics", body)


class _RedactingFilter(logging.Filter):
    """httpx logs every request with its full URL at INFO and httpcore its headers at
    DEBUG; a feed's token must not reach the log either way."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot format is left to logging's own handling
            return True
        if record.name.startswith("httpcore"):
            # its traces print raw headers (a redirect's Location holds the token path)
            message = message.split(" ", 1)[0]
        record.msg, record.args = redact_text(message), ()
        return True


def hide_urls_in_http_logs() -> None:
    """Attach the redacting filter to the HTTP libraries' loggers (idempotent)."""
    for name in ("httpx", *(f"httpcore.{n}" for n in ("connection", "http11", "http2", "proxy",
                                                       "socks"))):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _RedactingFilter) for f in logger.filters):
            logger.addFilter(_RedactingFilter())


def _client(timeout: float) -> httpx.Client:
    import httpx

    return httpx.Client(
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers={"User-Agent": f"movebreak/{__version__} (calendar feed reader)"},
    )


def _download(
    client: httpx.Client, url: str, headers: dict[str, str], max_bytes: int, timeout: float
) -> tuple[int, bytes, dict[str, str]]:
    """GET with a size cap and an overall deadline (a slow drip must not hang a refresh)."""
    import httpx

    deadline = time.monotonic() + max(timeout * 4, timeout + 1)
    try:
        with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                return 304, b"", dict(response.headers)
            if response.status_code != 200:
                raise FeedError(f"the server answered HTTP {response.status_code}")
            too_big = f"the feed is larger than the {_size(max_bytes)} limit"
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FeedError(too_big)
            chunks, total = [], 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > max_bytes:
                    raise FeedError(too_big)
                if time.monotonic() > deadline:
                    raise FeedError("the server is sending too slowly")
                chunks.append(chunk)
            return 200, b"".join(chunks), dict(response.headers)
    except httpx.TooManyRedirects:
        raise FeedError(f"more than {MAX_REDIRECTS} redirects (a redirect loop?)") from None
    except httpx.TimeoutException:
        raise FeedError(f"no answer within {timeout:g} s") from None
    except httpx.ConnectError:
        raise FeedError("cannot connect to the server") from None
    except httpx.UnsupportedProtocol:
        raise FeedError("the server redirected to an address that is not http(s)") from None
    except httpx.HTTPError as error:
        raise FeedError(f"the download failed ({type(error).__name__})") from None
    except (ValueError, OSError) as error:
        raise FeedError(redact_text(f"the download failed ({error})")) from None


def refresh_feed(
    url: str,
    cache: FeedCache,
    *,
    now: datetime,
    interval: timedelta,
    timeout: float = 15.0,
    max_bytes: int = 20 * 1024 * 1024,
    client: httpx.Client | None = None,
) -> FeedOutcome:
    """Bring the cached copy of ``url`` up to date if ``interval`` has passed since the
    last attempt, and return the body to use. Never raises for network trouble."""
    meta = cache.meta(url)
    body = cache.body(url)
    sha = hashlib.sha256(body).hexdigest() if body is not None else None
    good_at = _time(meta.get("fetched_at"))
    checked = _time(meta.get("checked_at"))
    if checked is not None and body is not None and timedelta(0) <= now - checked < interval:
        return FeedOutcome("cached", body, sha, None, good_at)
    headers: dict[str, str] = {"Accept": "text/calendar, */*;q=0.5"}
    if body is not None:  # validators only help if we still have the body they describe
        if isinstance(meta.get("etag"), str):
            headers["If-None-Match"] = str(meta["etag"])
        if isinstance(meta.get("last_modified"), str):
            headers["If-Modified-Since"] = str(meta["last_modified"])
    hide_urls_in_http_logs()
    own_client = client is None
    http = client or _client(timeout)
    where = redact_url(url)
    try:
        status, new_body, response_headers = _download(http, url, headers, max_bytes, timeout)
        if status == 304:
            meta.update(checked_at=now.timestamp(), fetched_at=now.timestamp(), error=None)
            cache.save_meta(url, meta)
            return FeedOutcome("not-modified", body, sha, None, now)
        if not looks_like_calendar(new_body):
            raise FeedError("the answer is not an iCalendar feed")
        new_sha = hashlib.sha256(new_body).hexdigest()
        outcome = "unchanged" if new_sha == sha else "updated"
        meta.update(
            checked_at=now.timestamp(), fetched_at=now.timestamp(), error=None,
            etag=response_headers.get("etag"), last_modified=response_headers.get("last-modified"),
        )
        note = None
        try:
            if outcome == "updated":
                cache.save_body(url, new_body)
            cache.save_meta(url, meta)
        except OSError as os_error:  # a full disk must not cost us the fresh data
            note = f"cannot write the cache ({os_error.strerror or os_error})"
            log.warning("calendar feed %s: %s", where, note)
        log.info("calendar feed %s: %s", where, outcome)
        return FeedOutcome(outcome, new_body, new_sha, note, now)
    except FeedError as error:
        meta.update(checked_at=now.timestamp(), error=str(error))
        try:
            cache.save_meta(url, meta)
        except OSError as os_error:
            log.warning("calendar feed %s: cannot write the cache: %s", where, os_error)
        since = f"; using the copy from {good_at:%Y-%m-%d %H:%M} UTC" if good_at else ""
        if body is None:
            since = "; no earlier copy to fall back on"
        message = f"{error}{since}"
        log.warning("calendar feed %s: %s", where, message)
        return FeedOutcome("failed", body, sha, message, good_at)
    finally:
        if own_client:
            http.close()


def _size(count: int) -> str:
    return f"{count / 1_000_000:g} MB" if count >= 1_000_000 else f"{count} bytes"


def _time(value: object) -> datetime | None:
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    return None
