"""Send one command to the running app and read its reply, within a short timeout.

Used by ``movebreak status`` and friends, and by a starting instance to find the
one already running. "No socket", "nobody listening" and "a socket of someone
else" all end in the same clear NotRunning; a silent app ends in a ControlError.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import time
from pathlib import Path
from typing import Any

from movebreak.control.errors import ControlError, NotRunning
from movebreak.control.location import default_control_dir, socket_path
from movebreak.control.protocol import (
    MAX_REPLY_BYTES,
    LineReader,
    ProtocolError,
    Reply,
    decode_reply,
    encode_request,
)
from movebreak.core.commands import Command, Ping

DEFAULT_TIMEOUT = 2.0


def send(request: Command, folder: Path | None = None, timeout: float = DEFAULT_TIMEOUT) -> Reply:
    """Send ``request`` to the running app; its Reply (which may be an error reply).

    Raises NotRunning when no app listens, ControlError when it does not answer in
    ``timeout`` seconds or answers garbage.
    """
    if sys.platform == "win32":
        from movebreak.control.windows_pipe import pipe_send

        return _decode(pipe_send(encode_request(request), timeout))
    return _decode(_exchange(socket_path(folder or default_control_dir()), request, timeout))


def ping(folder: Path | None = None, timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    """The running app's ``{"pid", "version", "protocol"}``; raises like ``send``."""
    reply = send(Ping(), folder, timeout)
    if not reply.ok:
        raise ControlError(f"movebreak answered ping with an error: {reply.message}")
    return reply.data


def _exchange(path: Path, request: Command, timeout: float) -> bytes:
    deadline = time.monotonic() + timeout
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(os.fspath(path))
        except (FileNotFoundError, ConnectionRefusedError):
            raise NotRunning() from None
        except PermissionError:
            raise NotRunning(f"{path} is not yours") from None
        except TimeoutError:
            raise ControlError(f"movebreak did not accept a command within {timeout:g} s") from None
        _check_server(sock)
        try:
            # A server that refused us at once (busy) may have closed already; its
            # reply is still queued for us, so a failed send is not the end.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                sock.sendall(encode_request(request))
                sock.shutdown(socket.SHUT_WR)  # one request per connection: say we are done
            return _read_reply(sock, deadline, timeout)
        except TimeoutError:
            raise ControlError(f"movebreak did not answer within {timeout:g} s") from None
        except (ConnectionResetError, BrokenPipeError) as error:
            raise ControlError(f"movebreak closed the connection: {error}") from None


def _check_server(sock: socket.socket) -> None:
    """Talk only to an app run by our own user (the folder should guarantee it)."""
    from movebreak.control.peercred import peer_allowed, peer_of

    try:
        peer = peer_of(sock)
    except OSError:
        return  # cannot tell; the private folder already vouches for it
    if not peer_allowed(peer.uid if peer else None, os.getuid()):
        raise NotRunning("the control socket belongs to another user")


def _read_reply(sock: socket.socket, deadline: float, timeout: float) -> bytes:
    reader = LineReader(MAX_REPLY_BYTES)
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        sock.settimeout(remaining)
        chunk = sock.recv(65536)
        if not chunk:
            line = reader.finish()
            if line is None:
                raise ControlError("movebreak closed the connection without answering")
            return line
        try:
            line = reader.feed(chunk)
        except ProtocolError as error:
            raise ControlError(f"movebreak sent a bad reply: {error.message}") from None
        if line is not None:
            return line


def _decode(line: bytes) -> Reply:
    try:
        return decode_reply(line)
    except ProtocolError as error:
        raise ControlError(f"movebreak sent a bad reply: {error.message}") from None
