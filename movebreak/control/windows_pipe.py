"""Windows: the control channel as a named pipe only this user can open.

Thin on purpose. The pipe is created with ``FILE_FLAG_FIRST_PIPE_INSTANCE`` (so
creating it is the single-instance lock: a second app fails), one instance (so
nobody else can add one under our name while we run), ``PIPE_REJECT_REMOTE_CLIENTS``
(no network) and a DACL granting the current user alone (the authentication).
Bytes are framed and parsed exactly as on Unix (``protocol.LineReader``), and
requests go through the same Dispatcher. Only the pure parts (the pipe's name, the
DACL text, the framing) are tested off Windows; the ctypes calls are not.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

from movebreak.control.dispatch import Dispatcher, refusal
from movebreak.control.errors import AlreadyRunning, ControlError, NotRunning
from movebreak.control.protocol import (
    MAX_REPLY_BYTES,
    MAX_REQUEST_BYTES,
    ErrorCode,
    LineReader,
    ProtocolError,
)
from movebreak.control.target import ControlTarget

log = logging.getLogger(__name__)

PIPE_PREFIX = "\\\\.\\pipe\\"
_UNSAFE = re.compile(r"[^a-z0-9._-]+")
_PIPE_ACCESS_DUPLEX = 0x3
_FILE_FLAG_FIRST_PIPE_INSTANCE = 0x00080000
_PIPE_REJECT_REMOTE_CLIENTS = 0x8
_ERROR_ACCESS_DENIED = 5
_ERROR_PIPE_BUSY = 231
_ERROR_PIPE_CONNECTED = 535
_THREAD_TERMINATE = 0x0001


def pipe_name(user: str) -> str:
    """``\\\\.\\pipe\\movebreak-<user>-<hash>``: one per user; the hash keeps names distinct
    after unsafe characters (a domain's backslash, spaces) are folded away."""
    folded = user.strip().lower()
    digest = hashlib.sha256(folded.encode("utf-8")).hexdigest()[:8]
    readable = _UNSAFE.sub("_", folded).strip("_")[:64] or "user"
    return f"{PIPE_PREFIX}movebreak-{readable}-{digest}"


def current_pipe_name() -> str:
    """The pipe name for whoever runs this process (``DOMAIN\\user``)."""
    domain = os.environ.get("USERDOMAIN", "")
    user = os.environ.get("USERNAME") or getpass.getuser()
    return pipe_name(f"{domain}\\{user}" if domain else user)


def owner_only_sddl(user_sid: str) -> str:
    """A protected DACL granting ``user_sid`` full access and nobody else anything."""
    if not re.fullmatch(r"S-1(-\d+)+", user_sid):
        raise ValueError(f"not a SID: {user_sid!r}")
    return f"D:P(A;;GA;;;{user_sid})"


def read_message(read_chunk: Callable[[int], bytes], limit: int) -> bytes | None:
    """Read one framed message through ``read_chunk(n)`` (b"" at end), as on Unix."""
    reader = LineReader(limit)
    while True:
        chunk = read_chunk(4096)
        if not chunk:
            return reader.finish()
        line = reader.feed(chunk)
        if line is not None:
            return line


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Cancel this thread's blocking pipe call after ``seconds`` (a stuck peer)."""
    import ctypes

    kernel32: Any = ctypes.WinDLL("kernel32", use_last_error=True)
    thread = kernel32.OpenThread(_THREAD_TERMINATE, False, threading.get_native_id())
    timer = threading.Timer(seconds, lambda: kernel32.CancelSynchronousIo(thread))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        timer.join()
        kernel32.CloseHandle(thread)


class PipeServer:
    """The Windows counterpart of ``server.ControlServer``: bind, start, stop."""

    def __init__(self, name: str | None = None, read_deadline: float = 2.0) -> None:
        self.name = name or current_pipe_name()
        self.read_deadline = read_deadline
        self._handle: int | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._dispatcher: Dispatcher | None = None

    def bind(self) -> None:
        if self._handle is not None:
            return
        from movebreak.control import windows_api

        handle, error = windows_api.create_pipe(
            self.name,
            _PIPE_ACCESS_DUPLEX | _FILE_FLAG_FIRST_PIPE_INSTANCE,
            _PIPE_REJECT_REMOTE_CLIENTS,
            owner_only_sddl(windows_api.current_user_sid()),
            MAX_REPLY_BYTES,
        )
        if handle is None:
            if error in (_ERROR_ACCESS_DENIED, _ERROR_PIPE_BUSY):
                raise self._already_running()
            raise ControlError(f"cannot create the pipe {self.name}: Windows error {error}")
        self._handle = handle

    def _already_running(self) -> AlreadyRunning:
        from movebreak.control.client import ping

        try:
            return AlreadyRunning(ping(timeout=1.0).get("pid"))
        except ControlError:
            return AlreadyRunning(None, answering=False)

    def start(self, target: ControlTarget) -> PipeServer:
        self.bind()
        self._dispatcher = Dispatcher(target, os.getpid())
        self._thread = threading.Thread(target=self._loop, name="movebreak-control", daemon=True)
        self._thread.start()
        return self

    def _loop(self) -> None:
        from movebreak.control import windows_api

        handle = self._handle
        assert handle is not None and self._dispatcher is not None
        while not self._stopping.is_set():
            error = windows_api.connect_pipe(handle)
            if error not in (0, _ERROR_PIPE_CONNECTED):
                log.warning("control: ConnectNamedPipe failed: Windows error %d", error)
                self._stopping.wait(0.2)
                continue
            if not self._stopping.is_set():
                self._serve_one(handle)
            windows_api.disconnect_pipe(handle)

    def _serve_one(self, handle: int) -> None:
        from movebreak.control import windows_api

        assert self._dispatcher is not None
        try:
            with _deadline(self.read_deadline):
                line = read_message(lambda n: windows_api.read(handle, n), MAX_REQUEST_BYTES)
        except ProtocolError as error:
            windows_api.write(handle, refusal(error.code, error.message))
            return
        except OSError:
            windows_api.write(handle, refusal(ErrorCode.TIMEOUT, "no complete request in time"))
            return
        if line is None:
            return
        answer = self._dispatcher.answer(line)
        windows_api.write(handle, answer.payload)
        if answer.after is not None:
            answer.after()

    def stop(self) -> None:
        from movebreak.control import windows_api

        self._stopping.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            with contextlib.suppress(OSError), open(self.name, "r+b", buffering=0):
                pass  # wakes ConnectNamedPipe
            self._thread.join(timeout=2.0)
        if self._handle is not None:
            windows_api.close(self._handle)
            self._handle = None


def pipe_send(payload: bytes, timeout: float, name: str | None = None) -> bytes:
    """Send one framed request over the pipe and return the reply line."""
    import _winapi

    name = name or current_pipe_name()
    try:
        _winapi.WaitNamedPipe(name, max(1, int(timeout * 1000)))
    except OSError as error:
        if getattr(error, "winerror", None) == 2:  # ERROR_FILE_NOT_FOUND: no pipe
            raise NotRunning() from None
        raise ControlError(f"movebreak did not accept the command within {timeout:g} s") from None
    try:
        with _deadline(timeout), open(name, "r+b", buffering=0) as pipe:
            pipe.write(payload)
            line = read_message(pipe.read, MAX_REPLY_BYTES)
    except FileNotFoundError:
        raise NotRunning() from None
    except ProtocolError as error:
        raise ControlError(f"movebreak sent a bad reply: {error.message}") from None
    except OSError as error:
        raise ControlError(f"movebreak did not answer: {error}") from None
    if line is None:
        raise ControlError("movebreak closed the pipe without answering")
    return line
