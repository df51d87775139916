"""Feeds and their transport: no downgrade to http, a deadline over the whole download,
certificate errors named, plain http:// warned about once per source.

Real servers on loopback: the threaded HTTP server of ``conftest``, and the same one
behind TLS with a self-signed certificate made for the test by ``openssl``.
"""

from __future__ import annotations

import logging
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from movebreak.app.calendar_feed import CalendarFeed
from movebreak.calendar.feeds import FeedCache, refresh_feed
from movebreak.calendar.models import LoadResult
from movebreak.calendar.settings import CalendarSettings, SourceSettings

from .conftest import FIXTURES, SECRET_PATH, FeedServer, _handler

TOKEN_PART = "private-7f3c9a1e5b2d4c6f8a0b"
T0 = datetime(2024, 3, 12, 7, 0, tzinfo=UTC)


class TlsFeed:
    def __init__(self, state: FeedServer, cert: Path) -> None:
        self.state = state
        self.cert = cert

    def url(self, host: str = "127.0.0.1") -> str:
        return f"https://{host}:{self.state.port}{SECRET_PATH}"

    def trusting_client(self) -> httpx.Client:
        context = ssl.create_default_context(cafile=str(self.cert))
        return httpx.Client(verify=context, timeout=2.0)


@pytest.fixture
def tls_feed(tmp_path: Path) -> Iterator[TlsFeed]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    state = FeedServer(body=(FIXTURES / "zoom_invite.ics").read_bytes())
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield TlsFeed(state, cert)
    finally:
        server.shutdown()
        server.server_close()


def fetch(url: str, cache: Path, **kwargs: object):
    return refresh_feed(url, FeedCache(cache), now=T0, interval=timedelta(minutes=15),
                        **kwargs)  # type: ignore[arg-type]


def test_a_trusted_https_feed_loads(tls_feed, tmp_path):
    with tls_feed.trusting_client() as client:
        outcome = fetch(tls_feed.url(), tmp_path, client=client)
    assert outcome.status == "updated", outcome.warning


def test_an_https_feed_redirecting_to_http_is_refused(tls_feed, feed_server, tmp_path):
    tls_feed.state.mode = "redirect"
    tls_feed.state.redirect_to = feed_server.url
    with tls_feed.trusting_client() as client:
        outcome = fetch(tls_feed.url(), tmp_path, client=client)
    assert outcome.status == "failed"
    assert "redirected to a plain http:// address; refused" in (outcome.warning or "")
    assert feed_server.requests == [], "the feed was fetched in clear text"


def test_a_self_signed_certificate_is_named(tls_feed, tmp_path):
    outcome = fetch(tls_feed.url(), tmp_path, timeout=2.0)
    assert outcome.status == "failed"
    assert outcome.warning is not None
    assert outcome.warning.startswith(
        "cannot connect to the server: certificate verify failed: self-signed certificate")
    assert TOKEN_PART not in outcome.warning


def test_a_hostname_mismatch_is_named(tls_feed, tmp_path):
    with tls_feed.trusting_client() as client:
        outcome = fetch(tls_feed.url("localhost"), tmp_path, client=client)
    assert outcome.status == "failed"
    assert "certificate verify failed: Hostname mismatch" in (outcome.warning or "")


def test_slow_headers_are_bounded_by_the_overall_deadline(feed_server, tmp_path):
    """Each byte comes within the per-read timeout; the whole answer never does."""
    feed_server.mode = "slow-headers"
    started = time.monotonic()
    outcome = fetch(feed_server.url, tmp_path, timeout=2.0, deadline=3.0)
    took = time.monotonic() - started
    assert outcome.status == "failed"
    assert "no complete answer within 3 s" in (outcome.warning or "")
    assert took < 5.0, f"took {took:.1f} s"


def test_a_plain_http_feed_is_warned_about_once_per_source(tmp_path, caplog):
    settings = CalendarSettings(sources=(
        SourceSettings("plain", url=f"http://cal.example{SECRET_PATH}"),
        SourceSettings("safe", url=f"https://cal.example{SECRET_PATH}"),
    ))

    def loader(*_args: object) -> LoadResult:  # the load itself is not what is tested
        return LoadResult((), ())

    feed = CalendarFeed(tmp_path, lambda _m: None, loader=loader)
    tz = ZoneInfo("Europe/Berlin")
    with caplog.at_level(logging.WARNING):
        for minutes in (0, 15, 30):
            feed.refresh(settings, tz, T0 + timedelta(minutes=minutes))
    warned = [r.getMessage() for r in caplog.records if "unencrypted" in r.getMessage()]
    assert warned == ["calendar: plain fetches http://cal.example/…#"
                      + warned[0].rsplit("#", 1)[-1][:6] + " unencrypted (http://): its "
                      "address and your meetings can be read on the way; use https if the "
                      "server offers it"]
    assert TOKEN_PART not in caplog.text
