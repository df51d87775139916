"""Windows: the control channel as a named pipe only this user can open.

Thin on purpose. The pipe is named after the user's SID, so each user has their own
name and a rename or a second account with a similar name cannot collide. It is
created with ``FILE_FLAG_FIRST_PIPE_INSTANCE`` (so creating it is the
single-instance lock: a second app fails), one instance (so nobody else can add one
under our name while we run), ``PIPE_REJECT_REMOTE_CLIENTS`` (no network) and a DACL
granting the current user alone (the authentication).

Pipe names are one machine-wide namespace, and a SID is no secret: another user can
create our name first. So neither end trusts the name alone, as on Unix
(``peercred``): the client opens the pipe with ``SECURITY_SQOS_PRESENT |
SECURITY_IDENTIFICATION`` (a server can learn who we are but cannot act as us) and
checks that the server's process runs as our SID; the server checks its client the
same way. A name held by another user ends in ``HeldByAnotherUser``, never in
"already running" or in answers we would believe.

Bytes are framed and parsed exactly as on Unix (``protocol.LineReader``), and
requests go through the same Dispatcher. The decisions (the name, the flags, the DACL
text, who may talk to whom and what a failure means) are pure functions tested off
Windows; the ctypes calls in ``windows_api`` are not.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

from movebreak.control.dispatch import Dispatcher, refusal
from movebreak.control.errors import AlreadyRunning, ControlError, HeldByAnotherUser, NotRunning
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
_SID = re.compile(r"S-1(-\d+)+")
PIPE_ACCESS_DUPLEX = 0x3
FILE_FLAG_FIRST_PIPE_INSTANCE = 0x00080000
PIPE_TYPE_BYTE = 0x0
PIPE_WAIT = 0x0
PIPE_REJECT_REMOTE_CLIENTS = 0x8
GENERIC_READ = 0x80000000
GENERIC_WRITE = 0x40000000
SECURITY_SQOS_PRESENT = 0x00100000
SECURITY_IDENTIFICATION = 0x00010000  # SecurityIdentification << 16 (winbase.h)
ERROR_FILE_NOT_FOUND = 2
ERROR_ACCESS_DENIED = 5
ERROR_SEM_TIMEOUT = 121
ERROR_PIPE_BUSY = 231
ERROR_PIPE_CONNECTED = 535
_THREAD_TERMINATE = 0x0001


def is_sid(text: str) -> bool:
    return bool(_SID.fullmatch(text))


def pipe_name(user_sid: str) -> str:
    """``\\\\.\\pipe\\movebreak-<SID>``: one name per user account.

    The SID, not the user name: names can be renamed, differ only in case or in a
    domain prefix, and a lookalike name could fold onto ours; a SID is the account.
    """
    if not is_sid(user_sid):
        raise ValueError(f"not a SID: {user_sid!r}")
    return f"{PIPE_PREFIX}movebreak-{user_sid}"


def current_pipe_name() -> str:
    """The pipe name for whoever runs this process (Windows only: asks for the SID)."""
    from movebreak.control import windows_api

    return pipe_name(windows_api.current_user_sid())


def owner_only_sddl(user_sid: str) -> str:
    """A protected DACL granting ``user_sid`` full access and nobody else anything."""
    if not is_sid(user_sid):
        raise ValueError(f"not a SID: {user_sid!r}")
    return f"D:P(A;;GA;;;{user_sid})"


def server_open_mode() -> int:
    """``CreateNamedPipeW``'s open mode: duplex, and fail if the name exists at all."""
    return PIPE_ACCESS_DUPLEX | FILE_FLAG_FIRST_PIPE_INSTANCE


def server_pipe_mode() -> int:
    """``CreateNamedPipeW``'s pipe mode: a blocking byte stream, local clients only."""
    return PIPE_TYPE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS


def client_access() -> int:
    return GENERIC_READ | GENERIC_WRITE


def client_flags() -> int:
    """``CreateFileW``'s flags for the client: the server may identify us, not impersonate.

    Without ``SECURITY_SQOS_PRESENT`` a pipe client grants ``SecurityImpersonation``:
    whoever holds the name could act as us with our token.
    """
    return SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION


def peer_refusal(peer_sid: str | None, own_sid: str, role: str) -> str | None:
    """None when the process on the other end (``role``) runs as us; else why not.

    Unlike Unix's ``peer_allowed``, "cannot tell" refuses: Windows always can tell
    (``GetNamedPipe*ProcessId`` and the process token), so a failure there means the
    other process is out of our reach, i.e. not ours.
    """
    if peer_sid is None:
        return f"cannot tell which user runs the {role} of the pipe"
    if peer_sid.upper() != own_sid.upper():
        return f"its {role} runs as {peer_sid}, not as you ({own_sid})"
    return None


def open_failure(error: int, timeout: float) -> ControlError:
    """What a failed ``CreateFileW`` (or ``WaitNamedPipe``) of the client means."""
    if error == ERROR_FILE_NOT_FOUND:
        return NotRunning()
    if error == ERROR_ACCESS_DENIED:  # our own pipe's DACL grants us: this one is not ours
        return HeldByAnotherUser("it refuses you access")
    if error in (ERROR_PIPE_BUSY, ERROR_SEM_TIMEOUT):
        return ControlError(f"movebreak did not accept the command within {timeout:g} s")
    return ControlError(f"cannot open movebreak's pipe: Windows error {error}")


def bind_failure(error: int, name: str, probe: Callable[[], dict[str, Any]]) -> ControlError:
    """What a failed ``CreateNamedPipeW`` means; ``probe`` pings whoever holds the name.

    With ``FILE_FLAG_FIRST_PIPE_INSTANCE`` an existing name fails with access denied
    (or busy): ours answers the ping (AlreadyRunning), ours stuck does not (AlreadyRunning,
    not answering), and another user's is reported as such by the client's owner check.
    """
    if error not in (ERROR_ACCESS_DENIED, ERROR_PIPE_BUSY):
        return ControlError(f"cannot create the pipe {name}: Windows error {error}")
    try:
        return AlreadyRunning(probe().get("pid"))
    except HeldByAnotherUser as held:
        return held
    except ControlError:
        return AlreadyRunning(None, answering=False)


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

    if sys.platform != "win32":
        raise OSError("named pipes are a Windows feature")

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
        self.name = name or ""  # bind() names it after this user's SID
        self._sid = ""
        self.read_deadline = read_deadline
        self._handle: int | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._dispatcher: Dispatcher | None = None

    def bind(self) -> None:
        if self._handle is not None:
            return
        from movebreak.control import windows_api
        from movebreak.control.client import ping

        self._sid = windows_api.current_user_sid()
        self.name = self.name or pipe_name(self._sid)
        handle, error = windows_api.create_pipe(
            self.name, server_open_mode(), server_pipe_mode(), owner_only_sddl(self._sid),
            MAX_REPLY_BYTES,
        )
        if handle is None:
            raise bind_failure(error, self.name, lambda: ping(timeout=1.0))
        self._handle = handle

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
            if error not in (0, ERROR_PIPE_CONNECTED):
                log.warning("control: ConnectNamedPipe failed: Windows error %d", error)
                self._stopping.wait(0.2)
                continue
            if not self._stopping.is_set():
                self._serve_one(handle)
            windows_api.disconnect_pipe(handle)

    def _serve_one(self, handle: int) -> None:
        from movebreak.control import windows_api

        assert self._dispatcher is not None
        refused = peer_refusal(windows_api.pipe_peer_sid(handle, server=False), self._sid,
                               "client")
        if refused is not None:
            log.warning("control: refused a connection: %s", refused)
            windows_api.write(handle, refusal(ErrorCode.FORBIDDEN, "not your movebreak"))
            return
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
    """Send one framed request over the pipe and return the reply line.

    Raises NotRunning (no pipe), HeldByAnotherUser (the pipe's server is not us) or
    ControlError (busy, silent, garbage).
    """
    if sys.platform != "win32":
        raise NotRunning("named pipes are a Windows feature")
    import _winapi

    from movebreak.control import windows_api

    own_sid = windows_api.current_user_sid()
    name = name or pipe_name(own_sid)
    try:
        _winapi.WaitNamedPipe(name, max(1, int(timeout * 1000)))
    except OSError as error:
        raise open_failure(getattr(error, "winerror", None) or ERROR_SEM_TIMEOUT,
                           timeout) from None
    handle, code = windows_api.open_pipe(name, client_access(), client_flags())
    if handle is None:
        raise open_failure(code, timeout)
    try:
        refused = peer_refusal(windows_api.pipe_peer_sid(handle, server=True), own_sid, "server")
        if refused is not None:
            raise HeldByAnotherUser(refused)
        with _deadline(timeout):
            windows_api.write(handle, payload)
            line = read_message(lambda n: windows_api.read(handle, n), MAX_REPLY_BYTES)
    except ProtocolError as error:
        raise ControlError(f"movebreak sent a bad reply: {error.message}") from None
    except OSError as error:
        raise ControlError(f"movebreak did not answer: {error}") from None
    finally:
        windows_api.close(handle)
    if line is None:
        raise ControlError("movebreak closed the pipe without answering")
    return line
