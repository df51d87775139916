"""Other processes: a crashed instance (SIGKILL) and a client running as another user."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

from movebreak.control.client import ping
from movebreak.control.errors import AlreadyRunning
from movebreak.control.server import ControlServer

from .conftest import FAST, RecordingApp, need

# The child holds a real server, says "ready" with its pid, and waits to be killed.
INSTANCE = """
import sys, threading
from pathlib import Path
from movebreak.control.server import ControlServer
from movebreak.core.commands import Reply

class Quiet:
    def handle(self, command): return Reply({"state": "waiting"})

ControlServer(Path(sys.argv[1])).start(Quiet())
print("ready", flush=True)
threading.Event().wait()
"""

# Only the standard library: run by /usr/bin/python3 as nobody, who cannot read the venv.
FOREIGN_CLIENT = """
import socket, sys
sock = socket.socket(socket.AF_UNIX)
sock.settimeout(3)
try:
    sock.connect(sys.argv[1])
except PermissionError:
    print("EACCES")
    sys.exit(0)
sock.sendall(b'{"v": 1, "cmd": "quit"}\\n')
data = b""
while b"\\n" not in data:
    chunk = sock.recv(4096)
    if not chunk:
        break
    data += chunk
sys.stdout.write(data.decode())
"""

NOBODY = 65534
SYSTEM_PYTHON = Path("/usr/bin/python3")


def start_instance(folder: Path) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", INSTANCE, os.fspath(folder)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    return child


def test_a_live_instance_in_another_process_blocks_a_second_one(folder):
    child = start_instance(folder)
    try:
        try:
            ControlServer(folder, FAST).bind()
            raise AssertionError("a second instance bound beside a live one")
        except AlreadyRunning as running:
            assert running.pid == child.pid and running.answering
    finally:
        child.kill()
        child.wait(5)


def test_an_instance_killed_with_sigkill_leaves_a_stale_socket_that_is_replaced(folder):
    child = start_instance(folder)
    assert ping(folder)["pid"] == child.pid
    os.kill(child.pid, signal.SIGKILL)
    child.wait(5)
    socket_file = folder / "control.sock"
    assert stat.S_ISSOCK(os.stat(socket_file).st_mode)  # left behind, nobody listening
    server = ControlServer(folder, FAST).start(RecordingApp())
    try:
        assert ping(folder)["pid"] == os.getpid()
        assert (folder / "instance.lock").read_text() == f"{os.getpid()}\n"
    finally:
        server.stop()


def run_as_nobody(socket_file: Path) -> str:
    need(os.geteuid() == 0, "needs root to run a client as user nobody")
    need(SYSTEM_PYTHON.exists(), "needs /usr/bin/python3 (apt-get install python3)")
    done = subprocess.run(
        [os.fspath(SYSTEM_PYTHON), "-I", "-c", FOREIGN_CLIENT, os.fspath(socket_file)],
        user=NOBODY,
        group=NOBODY,
        extra_groups=[],
        cwd="/",
        env={},
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_another_user_cannot_even_reach_the_socket(server, app):
    assert run_as_nobody(server.socket_path) == "EACCES\n"
    assert app.actions() == []


def test_another_user_who_reaches_the_socket_is_refused_by_uid(server, app, short_dir, caplog):
    # Open the way for this test only, so the peer-uid check is what stops nobody.
    os.chmod(short_dir, 0o711)
    os.chmod(server.folder, 0o711)
    os.chmod(server.socket_path, 0o666)
    reply = json.loads(run_as_nobody(server.socket_path))
    assert reply == {
        "v": 1,
        "ok": False,
        "error": {"code": "forbidden", "message": "only the user running movebreak may"},
    }
    assert app.actions() == []  # the quit it sent was never run
    assert f"control: refused uid {NOBODY}" in caplog.text
    assert ping(server.folder)["pid"] == os.getpid()
