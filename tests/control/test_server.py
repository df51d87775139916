"""The real server on a real Unix socket: commands, faults, floods, and the instance lock."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest

from movebreak.control.client import ping, send
from movebreak.control.conversation import Conversations
from movebreak.control.dispatch import Dispatcher
from movebreak.control.errors import AlreadyRunning, ControlError, NotRunning
from movebreak.control.location import lock_path
from movebreak.control.protocol import ErrorCode, encode_request
from movebreak.control.server import ControlServer
from movebreak.core.commands import Done, Pause, Quit, Resume, Skip, Snooze, Start, Status

from .conftest import FAST, ROUTINES, RecordingApp


def raw(path, payload: bytes, *, close_write: bool = True, timeout: float = 3.0) -> dict:
    """Send raw bytes, read until the server closes, parse the one reply line."""
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(timeout)
        sock.connect(os.fspath(path))
        if payload:
            # A server that refused mid-flood has closed; its reply is still queued for us.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                sock.sendall(payload)
        if close_write:
            sock.shutdown(socket.SHUT_WR)
        data = b""
        while b"\n" not in data and (chunk := sock.recv(65536)):
            data += chunk
    assert data.endswith(b"\n") and data.count(b"\n") == 1, data
    return json.loads(data)


def error_code(reply: dict) -> str:
    assert reply["ok"] is False, reply
    assert reply["error"]["message"]
    return reply["error"]["code"]


@pytest.mark.parametrize(
    ("request_", "call"),
    [
        (Start("reset"), ("start_routine", "reset")),
        (Start("morning"), ("start_routine", "morning")),
        (Start("eyes"), ("start_routine", "eyes")),
        (Snooze(timedelta(minutes=10)), ("snooze", timedelta(minutes=10))),
        (Skip(), ("skip", None)),
        (Done(), ("done", None)),
        (Pause(timedelta(hours=1)), ("pause", timedelta(hours=1))),
        (Pause(None), ("pause", None)),
        (Resume(), ("resume", None)),
    ],
    ids=lambda v: repr(v) if not isinstance(v, tuple) else "",
)
def test_every_command_reaches_the_app_and_returns_the_new_status(server, app, request_, call):
    reply = send(request_, server.folder)
    assert reply.ok
    assert app.actions() == [call]
    assert reply.data["status"]["routines"] == ROUTINES


def test_status_and_ping(server, app):
    reply = send(Status(), server.folder)
    assert reply.ok and reply.data == RecordingApp().status()
    assert ping(server.folder) == {"pid": os.getpid(), "version": "0.1.0", "protocol": 1}
    assert app.actions() == []


def test_quit_answers_first_then_asks_the_app_to_quit(server, app):
    reply = send(Quit(), server.folder)
    assert reply.ok and reply.data == {"quitting": True}
    assert app.wait_for(("quit", None))


def test_unknown_routine_names_the_known_ones(server, app):
    reply = send(Start("yoga"), server.folder)
    assert reply.code is ErrorCode.UNKNOWN_ROUTINE
    assert reply.message == "no routine 'yoga'; known routines: reset, morning, eyes"
    assert app.actions() == []


class PlainKeyErrorApp(RecordingApp):
    def start_routine(self, routine_id: str) -> None:
        raise KeyError(routine_id)

    def skip(self) -> None:
        raise RuntimeError("the tray fell over")


def test_a_plain_key_error_and_a_failing_app_become_error_replies(folder):
    server = ControlServer(folder, FAST).start(PlainKeyErrorApp())
    try:
        reply = send(Start("yoga"), folder)
        assert reply.message.endswith("known routines: reset, morning, eyes")
        failed = send(Skip(), folder)
        assert failed.code is ErrorCode.INTERNAL and "the tray fell over" in failed.message
        assert ping(folder)["pid"] == os.getpid()
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (b"{nope\n", "malformed"),
        (b"\x00\xff\xfe\n", "malformed"),
        (b'{"v": 1, "cmd": "format-disk"}\n', "unknown-command"),
        (b'{"v": 9, "cmd": "ping"}\n', "unsupported-version"),
        (b'{"v": 1, "cmd": "snooze", "arg": "forever"}\n', "bad-argument"),
        (b"x" * 10_000, "too-large"),
        (b"y" * 100_000 + b"\n", "too-large"),
    ],
)
def test_bad_input_gets_an_error_reply_and_changes_nothing(server, app, payload, code):
    assert error_code(raw(server.socket_path, payload)) == code
    assert app.actions() == []
    assert ping(server.folder)["pid"] == os.getpid()


def test_a_request_ended_by_closing_the_connection_is_served(server):
    reply = raw(server.socket_path, b'{"v": 1, "cmd": "ping"}')
    assert reply["ok"] and reply["data"]["pid"] == os.getpid()


def test_a_silent_client_times_out_without_holding_up_others(server):
    with socket.socket(socket.AF_UNIX) as silent:
        silent.connect(os.fspath(server.socket_path))
        started = time.monotonic()
        assert ping(server.folder)["pid"] == os.getpid()  # answered while the other waits
        silent.settimeout(2)
        data = silent.recv(4096)
        waited = time.monotonic() - started
    assert json.loads(data)["error"]["code"] == "timeout"
    assert FAST.read_deadline - 0.05 <= waited < FAST.read_deadline + 0.5
    with socket.socket(socket.AF_UNIX) as probe:  # connect and leave: nothing to answer
        probe.connect(os.fspath(server.socket_path))
    assert ping(server.folder)["pid"] == os.getpid()


def test_past_the_connection_limit_callers_get_busy_then_service_resumes(folder, app):
    limits = dataclasses.replace(FAST, read_deadline=5.0, admission_wait=0.2)
    server = ControlServer(folder, limits).start(app)
    holders = [socket.socket(socket.AF_UNIX) for _ in range(limits.max_connections)]
    try:
        for sock in holders:
            sock.connect(os.fspath(server.socket_path))
        # Connections are accepted in order: the silent holders take every slot first.
        started = time.monotonic()
        reply = send(Status(), server.folder)
        assert reply.code is ErrorCode.BUSY
        assert time.monotonic() - started >= 0.2  # it waited for a slot before refusing
        for sock in holders:
            sock.close()
        started = time.monotonic()
        assert ping(server.folder, timeout=1.0)["pid"] == os.getpid()
        assert time.monotonic() - started < 1.0
    finally:
        for sock in holders:
            sock.close()
        server.stop()


def test_a_flood_of_1000_commands_from_10_threads_is_answered_or_refused_cleanly(server, app):
    payloads = {
        "ping": b'{"v": 1, "cmd": "ping"}\n',
        "status": b'{"v": 1, "cmd": "status"}\n',
        "snooze": b'{"v": 1, "cmd": "snooze", "arg": "5m"}\n',
        "garbage": b"garbage\n",
        "huge": b"z" * 5000,
    }
    kinds = list(payloads)
    outcomes: list[tuple[str, str]] = []
    failures: list[BaseException] = []
    guard = threading.Lock()

    def client(index: int) -> None:
        for n in range(100):
            kind = kinds[(index + n) % len(kinds)]
            try:
                reply = raw(server.socket_path, payloads[kind])
            except BaseException as error:
                with guard:
                    failures.append(error)
                continue
            with guard:
                outcomes.append((kind, "ok" if reply["ok"] else reply["error"]["code"]))
                if len(outcomes) == 40:
                    release.set()

    # Silent clients hold every slot until 40 answers came back: those meet "busy".
    holders = [socket.socket(socket.AF_UNIX) for _ in range(FAST.max_connections)]
    for sock in holders:
        sock.connect(os.fspath(server.socket_path))
    release = threading.Event()

    def let_go() -> None:
        release.wait(10)
        for sock in holders:
            sock.close()

    threading.Thread(target=let_go).start()
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    flood_seconds = time.monotonic() - started
    assert failures == []
    assert len(outcomes) == 1000
    served = {(kind, outcome) for kind, outcome in outcomes if outcome != "busy"}
    assert served <= {
        ("ping", "ok"), ("status", "ok"), ("snooze", "ok"),
        ("garbage", "malformed"), ("huge", "too-large"),
    }
    busy = sum(1 for _, outcome in outcomes if outcome == "busy")
    assert 0 < busy < 500  # refusals happened, and most were still served
    snoozed = sum(1 for kind, outcome in outcomes if (kind, outcome) == ("snooze", "ok"))
    assert len([call for call in app.calls if call[0] == "snooze"]) == snoozed
    pinged = time.monotonic()
    assert ping(server.folder, timeout=1.0)["pid"] == os.getpid()
    assert time.monotonic() - pinged < 1.0
    print(f"\n1000 commands from 10 threads in {flood_seconds:.2f} s; {busy} busy")


def test_folder_socket_and_lock_are_private(server):
    def mode(path):
        return stat.S_IMODE(os.stat(path).st_mode)

    assert mode(server.folder) == 0o700
    assert stat.S_ISSOCK(os.stat(server.socket_path).st_mode)
    assert mode(server.socket_path) == 0o600
    assert mode(lock_path(server.folder)) == 0o600
    assert lock_path(server.folder).read_text() == f"{os.getpid()}\n"


def test_a_second_server_is_refused_while_the_first_lives_and_takes_over_after(folder, app):
    first = ControlServer(folder, FAST).start(app)
    try:
        with pytest.raises(AlreadyRunning) as caught:
            ControlServer(folder, FAST).bind()
        assert caught.value.pid == os.getpid() and caught.value.answering
        assert str(caught.value) == (
            f"movebreak is already running (pid {os.getpid()}); use `movebreak status`"
        )
        assert ping(folder)["pid"] == os.getpid()  # the refused one did not disturb it
    finally:
        first.stop()
    assert not first.socket_path.exists()
    second = ControlServer(folder, FAST).start(app)
    try:
        assert ping(folder)["pid"] == os.getpid()
    finally:
        second.stop()


def test_a_bound_but_silent_instance_is_reported_as_not_answering(folder):
    holder = ControlServer(folder, FAST)
    holder.bind()  # holds the lock, never serves (a wedged app)
    try:
        with pytest.raises(AlreadyRunning) as caught:
            ControlServer(folder, FAST).bind()
        assert caught.value.pid == os.getpid() and not caught.value.answering
        assert "does not answer" in str(caught.value)
    finally:
        holder.stop()


def test_stop_wakes_the_server_at_once_and_leaves_no_socket(folder, app):
    server = ControlServer(folder, FAST).start(app)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 0.5
    server.stop()  # twice is fine
    assert not server.socket_path.exists()
    assert not any(t.name.startswith("movebreak-control") for t in threading.enumerate())
    with pytest.raises(NotRunning, match="movebreak is not running"):
        ping(folder)


def test_no_folder_and_a_dead_socket_both_mean_not_running(short_dir):
    with pytest.raises(NotRunning):
        ping(short_dir / "nowhere")
    folder = short_dir / "movebreak"
    folder.mkdir(mode=0o700)
    dead = socket.socket(socket.AF_UNIX)
    dead.bind(os.fspath(folder / "control.sock"))
    dead.close()  # the file stays, nobody listens
    with pytest.raises(NotRunning):
        ping(folder)


def test_taking_the_lock_imports_none_of_the_protocol(folder):
    """The lock is taken before the tray icon shows; the command machinery waits for start()."""
    code = (
        "import sys; from pathlib import Path\n"
        "from movebreak.control.instance import ensure_single_instance\n"
        f"server = ensure_single_instance(Path({str(folder)!r}))\n"
        "late = ('movebreak.control.conversation', 'movebreak.control.dispatch',\n"
        "        'movebreak.control.protocol', 'movebreak.control.peercred')\n"
        "print(sorted(m for m in late if m in sys.modules))\n"
        "server.stop()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    server = ControlServer(folder, FAST).start(RecordingApp())
    try:
        assert ping(folder)["pid"] == os.getpid()  # and start() still serves
    finally:
        server.stop()


def test_a_connection_admitted_while_stopping_is_closed_unserved():
    """The acceptor may admit one last caller as stop() cuts the others off: it is turned away."""
    app = RecordingApp()
    conversations = Conversations(Dispatcher(app, os.getpid()), FAST)
    assert conversations.cut_off() == []
    ours, theirs = socket.socketpair()
    with theirs:
        theirs.sendall(encode_request(Skip()))
        conversations.admit(ours)
        theirs.settimeout(2.0)
        reply = json.loads(theirs.recv(1000))
    assert reply["error"] == {"code": "busy", "message": "movebreak is quitting"}
    assert app.actions() == []


def test_a_lock_file_that_is_a_symlink_is_refused_and_its_target_kept(folder, tmp_path):
    """The lock is truncated and rewritten: through a planted link it wiped the target."""
    folder.mkdir(mode=0o700)
    target = tmp_path / "notes.txt"
    target.write_text("a week of notes\n")
    lock_path(folder).symlink_to(target)
    with pytest.raises(ControlError, match=r"instance\.lock is a symbolic link"):
        ControlServer(folder, FAST).bind()
    assert target.read_text() == "a week of notes\n"


def test_a_lock_file_that_is_a_fifo_is_refused_at_once(folder):
    folder.mkdir(mode=0o700)
    os.mkfifo(lock_path(folder))
    with pytest.raises(ControlError, match=r"instance\.lock is not a regular file"):
        ControlServer(folder, FAST).bind()


def test_the_app_does_not_start_through_a_symlinked_lock_file(short_dir):
    """The real ``movebreak``: exit 1 with the reason on stderr, the target intact."""
    runtime = short_dir / "run"
    (runtime / "movebreak").mkdir(parents=True, mode=0o700)
    runtime.chmod(0o700)
    target = short_dir / "precious"
    target.write_text("keep me\n")
    (runtime / "movebreak" / "instance.lock").symlink_to(target)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(short_dir),
           "XDG_RUNTIME_DIR": str(runtime), "XDG_STATE_HOME": str(short_dir / "state"),
           "XDG_CONFIG_HOME": str(short_dir / "config"), "PYSTRAY_BACKEND": "dummy"}
    done = subprocess.run([sys.executable, "-m", "movebreak", "--no-tray"], env=env,
                          capture_output=True, text=True, timeout=20, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "instance.lock is a symbolic link" in done.stderr
    assert target.read_text() == "keep me\n"
