"""The control protocol: one JSON object per line, each way, with a version.

Pure: no sockets, no clock. The Unix socket server, the Windows named pipe and the
client all frame and parse messages here, so both transports accept exactly the
same bytes and refuse the same garbage with the same words.

A request is ``{"v": 1, "cmd": "snooze", "arg": "10m"}`` (``arg`` only where the
command takes one), read into and written from a ``core.commands`` value through
that module's one table; a reply is ``{"v": 1, "ok": true, "data": {...}}`` or
``{"v": 1, "ok": false, "error": {"code": "bad-argument", "message": "..."}}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from movebreak.core.commands import Command, CommandError, parse, spell

PROTOCOL_VERSION = 1
# A request is a command and a short argument; anything longer is not ours.
MAX_REQUEST_BYTES = 4096
# Replies carry the status report, which is small; the client still bounds what it reads.
MAX_REPLY_BYTES = 64 * 1024


class ErrorCode(Enum):
    """Why a request was refused; scripts match on these, people read the message."""

    MALFORMED = "malformed"
    TOO_LARGE = "too-large"
    VERSION = "unsupported-version"
    UNKNOWN_COMMAND = "unknown-command"
    BAD_ARGUMENT = "bad-argument"
    UNKNOWN_ROUTINE = "unknown-routine"
    FORBIDDEN = "forbidden"
    BUSY = "busy"
    TIMEOUT = "timeout"
    INTERNAL = "internal"


class ProtocolError(ValueError):
    """A message that breaks the protocol; ``code`` and the text go back in the reply."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def make_request(verb: str, argument: str | None = None) -> Command:
    """A checked command from its verb, as the CLI and the decoder both build them."""
    try:
        return parse(verb, argument, remote=True)
    except CommandError as error:
        code = ErrorCode.UNKNOWN_COMMAND if error.unknown else ErrorCode.BAD_ARGUMENT
        raise ProtocolError(code, error.message) from None


@dataclass(frozen=True)
class Reply:
    """The app's answer: ``data`` on success, an error code and message otherwise."""

    ok: bool
    data: dict[str, Any] = field(default_factory=dict)
    code: ErrorCode | None = None
    message: str = ""

    @classmethod
    def success(cls, data: dict[str, Any] | None = None) -> Reply:
        return cls(True, dict(data or {}))

    @classmethod
    def failure(cls, code: ErrorCode, message: str) -> Reply:
        return cls(False, {}, code, message)


def _line(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode("utf-8") + b"\n"


def encode_request(command: Command) -> bytes:
    """The command as one line of JSON."""
    verb, argument = spell(command)
    payload: dict[str, Any] = {"v": PROTOCOL_VERSION, "cmd": verb}
    if argument is not None:
        payload["arg"] = argument
    return _line(payload)


def encode_reply(reply: Reply) -> bytes:
    """The reply as one line of JSON; raises TypeError when ``data`` is not JSON-ready."""
    payload: dict[str, Any] = {"v": PROTOCOL_VERSION, "ok": reply.ok}
    if reply.ok:
        payload["data"] = reply.data
    else:
        code = reply.code or ErrorCode.INTERNAL
        payload["error"] = {"code": code.value, "message": reply.message}
    return _line(payload)


def _object(line: bytes, limit: int) -> dict[str, Any]:
    """The JSON object in ``line``, after the checks every message gets."""
    if len(line) > limit:
        raise ProtocolError(ErrorCode.TOO_LARGE, f"message longer than {limit} bytes")
    try:
        payload = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        raise ProtocolError(ErrorCode.MALFORMED, "message is not UTF-8") from None
    except (json.JSONDecodeError, RecursionError) as error:
        detail = error.msg if isinstance(error, json.JSONDecodeError) else "nested too deeply"
        raise ProtocolError(ErrorCode.MALFORMED, f"message is not JSON: {detail}") from None
    if not isinstance(payload, dict):
        raise ProtocolError(ErrorCode.MALFORMED, "message is not a JSON object")
    version = payload.get("v")
    if version is None:
        raise ProtocolError(ErrorCode.MALFORMED, 'message has no protocol version "v"')
    if type(version) is not int or version != PROTOCOL_VERSION:
        raise ProtocolError(
            ErrorCode.VERSION,
            f"protocol version {version!r} is not spoken here (this app speaks "
            f"{PROTOCOL_VERSION}); use the movebreak command of the running app",
        )
    return payload


def decode_request(line: bytes) -> Command:
    """Parse one request line; raises ProtocolError with a code and a clear message."""
    payload = _object(line, MAX_REQUEST_BYTES)
    command = payload.get("cmd")
    if not isinstance(command, str):
        raise ProtocolError(ErrorCode.MALFORMED, 'message has no command "cmd"')
    argument = payload.get("arg")
    if argument is not None and not isinstance(argument, str):
        raise ProtocolError(ErrorCode.BAD_ARGUMENT, '"arg" must be a string')
    return make_request(command, argument)


def decode_reply(line: bytes) -> Reply:
    """Parse one reply line (the client's side); raises ProtocolError on garbage."""
    payload = _object(line, MAX_REPLY_BYTES)
    ok = payload.get("ok")
    if ok is True:
        data = payload.get("data", {})
        if not isinstance(data, dict):
            raise ProtocolError(ErrorCode.MALFORMED, 'reply "data" is not an object')
        return Reply.success(data)
    error = payload.get("error")
    if ok is not False or not isinstance(error, dict):
        raise ProtocolError(ErrorCode.MALFORMED, "reply is neither a success nor an error")
    try:
        code = ErrorCode(error.get("code"))
    except ValueError:
        code = ErrorCode.INTERNAL
    return Reply.failure(code, str(error.get("message", "")))


class LineReader:
    """Collects received bytes until the first newline, refusing lines over ``limit``.

    Shared by the socket server, the pipe server and the client so a flood of bytes
    without a newline is cut off at the same size everywhere.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._buffer = bytearray()

    def feed(self, chunk: bytes) -> bytes | None:
        """Add ``chunk``; the first complete line (without its newline), or None yet."""
        self._buffer += chunk
        end = self._buffer.find(b"\n")
        if end < 0:
            if len(self._buffer) > self.limit:
                raise ProtocolError(
                    ErrorCode.TOO_LARGE, f"message longer than {self.limit} bytes"
                )
            return None
        line = bytes(self._buffer[:end])
        if len(line) > self.limit:
            raise ProtocolError(ErrorCode.TOO_LARGE, f"message longer than {self.limit} bytes")
        return line.rstrip(b"\r")

    def finish(self) -> bytes | None:
        """At end of input: the unterminated last message, or None when nothing came."""
        return bytes(self._buffer).rstrip(b"\r") or None
