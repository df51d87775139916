"""Hostile calendars cannot hurt the running app (issue 14, section 2).

The real app process (``python -m movebreak --no-tray -v``, HOME and XDG folders of
its own, no desktop) reads a folder of the hostile files of ``tests/calendar/hostile.py``
(each bad event between a video call and an audio-only call, dated today) plus a
feed served from a real HTTP server on loopback. Checked: the app answers ``status``
within a second during and after the load, the normal meetings are still read and
classified, its memory stays under a stated bound, and Quit and SIGTERM end it.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from movebreak.control.client import send
from movebreak.core.commands import Quit, Status
from tests.calendar.hostile import HOSTILE, calendar, write_all
from tests.faults.app_process import AppProcess

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a POSIX app process")

DEADLINE_S = 60.0
#: The app's answer to ``status`` (socket round trip, no CLI start-up) must take less.
STATUS_S = 1.0
#: Resident memory of the app process after the load (it was 280 MB with SECONDLY).
RSS_MB = 120


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


class App(AppProcess):
    """The app reading a folder of every hostile file and a hostile feed."""

    def __init__(self, home: Path, feed_url: str) -> None:
        folder = home / "calendars"
        write_all(folder, datetime.now(UTC).date())
        super().__init__(home, deadline=DEADLINE_S, config_text=(
            '[calendar]\nrefresh = "1m"\n\n[[calendar.sources]]\nname = "hostile"\n'
            f'path = "{folder}"\n\n[[calendar.sources]]\nname = "feed"\nurl = "{feed_url}"\n'))

    def status(self) -> tuple[float, dict]:
        began = time.monotonic()
        reply = send(Status(), self.control, timeout=DEADLINE_S)
        return time.monotonic() - began, reply


@pytest.fixture
def feed() -> Iterator[str]:
    body = calendar("secondly", datetime.now(UTC).date()).replace(b"-secondly@", b"-feed@")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hostile.ics"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def app(tmp_path: Path, feed: str) -> Iterator[App]:
    handle = App(tmp_path, feed)
    yield handle
    if handle.process.poll() is None:
        handle.process.kill()
        handle.process.wait()


def _wait_loaded(app: App) -> list[float]:
    """Ask for status every 0.2 s until the calendar is read; the time of each answer."""
    times: list[float] = []
    end = time.monotonic() + DEADLINE_S
    while "meetings that matter for prompts" not in app.text():
        assert app.process.poll() is None, app.text()
        assert time.monotonic() < end, f"the calendar was never read:\n{app.text()[-3000:]}"
        if "ready" in app.text():
            times.append(app.status()[0])
        time.sleep(0.2)
    return times


def test_the_app_stays_responsive_and_reads_the_good_meetings(app):
    during = _wait_loaded(app)
    after = [app.status()[0] for _ in range(10)]
    assert max(during + after) < STATUS_S, (during, after)
    assert _rss_mb(app.process.pid) < RSS_MB

    found = {m["uid"]: m["kind"] for m in json.loads(app.cli("meetings", "--json", "--all"))}
    for name in [*HOSTILE, "feed"]:
        tag = name
        assert found.get(f"video-{tag}@example.com") == "video", (tag, found)
        assert found.get(f"audio-{tag}@example.com") == "audio", (tag, found)
    log = app.text()
    assert "Traceback" not in log and "the app failed" not in log, log[-3000:]
    assert "bad-secondly@example.com" in log  # the warning names the event

    send(Quit(), app.control, timeout=DEADLINE_S)
    assert app.process.wait(DEADLINE_S) == 0, app.text()[-3000:]


def test_sigterm_ends_the_app_after_a_hostile_load(app):
    _wait_loaded(app)
    app.process.send_signal(signal.SIGTERM)
    assert app.process.wait(DEADLINE_S) == 0, app.text()[-3000:]
