"""A real HTTP server on 127.0.0.1 that serves a calendar feed and misbehaves on request."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SECRET_PATH = "/calendar/ical/ana%40example.com/private-7f3c9a1e5b2d4c6f8a0b/basic.ics"


@dataclass
class FeedServer:
    """What the server does next (``mode``) and what it was asked (``requests``)."""

    body: bytes
    mode: str = "ok"
    etag: str | None = '"v1"'
    last_modified: str | None = "Tue, 05 Mar 2024 08:00:00 GMT"
    requests: list[dict[str, str]] = field(default_factory=list)
    port: int = 0
    redirect_to: str = ""  # where mode "redirect" sends the client

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{SECRET_PATH}"


def _handler(state: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep test output clean
            pass

        def _send(self, code: int, body: bytes, headers: dict[str, str] | None = None,
                  length: bool = True) -> None:
            self.send_response(code)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            state.requests.append({k.lower(): v for k, v in self.headers.items()})
            mode = state.mode
            if mode == "ok":
                if state.etag and self.headers.get("If-None-Match") == state.etag:
                    self._send(304, b"")
                    return
                headers = {"Content-Type": "text/calendar; charset=utf-8"}
                if state.etag:
                    headers["ETag"] = state.etag
                if state.last_modified:
                    headers["Last-Modified"] = state.last_modified
                self._send(200, state.body, headers)
            elif mode == "500":
                self._send(500, b"Internal Server Error")
            elif mode == "slow":
                time.sleep(0.6)
                self._send(200, state.body)
            elif mode == "garbage":
                self._send(200, b"<!doctype html><html><body>Sign in to continue</body></html>",
                           {"Content-Type": "text/html"})
            elif mode == "truncated":
                self._send(200, state.body[: len(state.body) // 2])
            elif mode == "redirect":
                self._send(302, b"", {"Location": state.redirect_to})
            elif mode == "slow-headers":  # one byte every 1.5 s: each read is quick enough
                try:
                    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\n\r\n":
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(1.5)
                except OSError:
                    pass  # the client hung up, as it should
            elif mode == "loop":
                self._send(302, b"", {"Location": self.path})
            elif mode == "big-declared":
                self.send_response(200)
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.end_headers()
                self.wfile.write(b"BEGIN:VCALENDAR\r\n")
            elif mode == "big-streamed":  # no length: the client must count as it reads
                self.send_response(200)
                self.end_headers()
                chunk = b"X-FILLER:" + b"x" * 1014 + b"\r\n"
                try:
                    self.wfile.write(b"BEGIN:VCALENDAR\r\n")
                    for _ in range(3 * 1024):
                        self.wfile.write(chunk)
                except OSError:
                    pass  # the client hung up, as it should

    return Handler


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    state = FeedServer(body=(FIXTURES / "zoom_invite.ics").read_bytes())
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
