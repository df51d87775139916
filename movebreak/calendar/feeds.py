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

import contextlib
import hashlib
import logging
import socket
import ssl
import threading
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
        follow_redirects=False,  # _download follows them, refusing https -> http
        headers={"User-Agent": f"movebreak/{__version__} (calendar feed reader)"},
    )


class _Deadline:
    """Ends a download when its overall time is up, whatever phase it is in.

    httpx's timeouts bound each read, not the whole: a server sending its headers one
    byte a second never trips them. The connections a request opens are seen through
    httpcore's ``trace`` extension; when the time is up a timer shuts their sockets
    down, which wakes the blocked read at once (no polling).
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._streams: list[object] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def trace(self, event: str, info: dict[str, object]) -> None:
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            with self._lock:
                self._streams.append(info.get("return_value"))
                late = self.expired
            if late:
                self._expire()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            streams = list(self._streams)
        for stream in streams:
            get = getattr(stream, "get_extra_info", None)
            sock = get("socket") if get is not None else None
            if sock is not None:
                with contextlib.suppress(OSError):  # a socket TLS took over is detached
                    sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._timer.cancel()


def _connect_failure(error: BaseException) -> str:
    """Why a connection failed, in words: a certificate's fault is named."""
    seen: BaseException | None = error
    reason = ""
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return f"cannot connect to the server: certificate verify failed: " \
                   f"{seen.verify_message or seen.reason}"
        if isinstance(seen, ssl.SSLError) and not reason:
            reason = f"TLS failed: {seen.reason or seen}"
        elif isinstance(seen, OSError) and seen.strerror and not reason:
            reason = seen.strerror
        seen = seen.__cause__ or seen.__context__
    if not reason:
        text = str(error)
        reason = text.split("] ", 1)[-1].split(" (_ssl.c")[0] if text else ""
    return redact_text(f"cannot connect to the server: {reason}" if reason
                       else "cannot connect to the server")


def _download(
    client: httpx.Client, url: str, headers: dict[str, str], max_bytes: int, timeout: float,
    deadline: float | None = None,
) -> tuple[int, bytes, dict[str, str]]:
    """GET with a size cap and an overall deadline over connect, headers and body (a
    slow drip must not hang a refresh), following redirects but never from https to
    plain http."""
    import httpx

    limit = deadline if deadline is not None else max(timeout * 4, timeout + 1)
    slow = f"no complete answer within {limit:g} s (the server is sending too slowly)"
    watchdog = _Deadline(limit)
    try:
        with watchdog:
            return _follow(client, url, headers, max_bytes, watchdog, slow)
    except FeedError:
        raise
    except Exception as error:
        if watchdog.expired:
            raise FeedError(slow) from None
        if isinstance(error, httpx.TimeoutException):
            raise FeedError(f"no answer within {timeout:g} s") from None
        if isinstance(error, httpx.ConnectError):
            raise FeedError(_connect_failure(error)) from None
        if isinstance(error, httpx.UnsupportedProtocol):
            raise FeedError("the server redirected to an address that is not http(s)") from None
        if isinstance(error, httpx.HTTPError):
            raise FeedError(f"the download failed ({type(error).__name__})") from None
        if isinstance(error, ValueError | OSError):
            raise FeedError(redact_text(f"the download failed ({error})")) from None
        raise


def _follow(
    client: httpx.Client, url: str, headers: dict[str, str], max_bytes: int,
    watchdog: _Deadline, slow: str,
) -> tuple[int, bytes, dict[str, str]]:
    request = client.build_request("GET", url, headers=headers,
                                   extensions={"trace": watchdog.trace})
    for _hop in range(MAX_REDIRECTS + 1):
        response = client.send(request, stream=True, follow_redirects=False)
        try:
            following = response.next_request if response.is_redirect else None
            if following is not None:
                if request.url.scheme == "https" and following.url.scheme != "https":
                    raise FeedError(
                        "the https feed redirected to a plain http:// address; refused, as "
                        "it would send the feed's address and your meetings unencrypted")
                following.extensions["trace"] = watchdog.trace
                request = following
                continue
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
                if watchdog.expired:
                    raise FeedError(slow)
                chunks.append(chunk)
            if watchdog.expired:
                raise FeedError(slow)
            return 200, b"".join(chunks), dict(response.headers)
        finally:
            response.close()
    raise FeedError(f"more than {MAX_REDIRECTS} redirects (a redirect loop?)")


def refresh_feed(
    url: str,
    cache: FeedCache,
    *,
    now: datetime,
    interval: timedelta,
    timeout: float = 15.0,
    max_bytes: int = 20 * 1024 * 1024,
    client: httpx.Client | None = None,
    deadline: float | None = None,
) -> FeedOutcome:
    """Bring the cached copy of ``url`` up to date if ``interval`` has passed since the
    last attempt, and return the body to use. Never raises for network trouble.

    ``timeout`` bounds each step (connect, each read); ``deadline`` (default: four
    times that, at least one second more) the whole download, redirects included."""
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
        status, new_body, response_headers = _download(http, url, headers, max_bytes,
                                                         timeout, deadline)
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
