"""The control protocol: one JSON object per line, each way, with a version.

Pure: no sockets, no clock. The Unix socket server, the Windows named pipe and the
client all frame and parse messages here, so both transports accept exactly the
same bytes and refuse the same garbage with the same words.

A request is ``{"v": 1, "cmd": "snooze", "arg": "10m"}`` (``arg`` only where the
command takes one); a reply is ``{"v": 1, "ok": true, "data": {...}}`` or
``{"v": 1, "ok": false, "error": {"code": "bad-argument", "message": "..."}}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum
from typing import Any

from movebreak.core.durations import DurationError, parse_duration

PROTOCOL_VERSION = 1
# A request is a command and a short argument; anything longer is not ours.
MAX_REQUEST_BYTES = 4096
# Replies carry the status report, which is small; the client still bounds what it reads.
MAX_REPLY_BYTES = 64 * 1024
MAX_ROUTINE_ID_CHARS = 100
# Longer than this is a typo, and much longer would overflow the date arithmetic.
MAX_LENGTH = timedelta(days=365)
UNTIL_TOMORROW = "until-tomorrow"


class Command(Enum):
    """Every command the running app takes."""

    PING = "ping"
    STATUS = "status"
    START = "start"
    SNOOZE = "snooze"
    SKIP = "skip"
    DONE = "done"
    PAUSE = "pause"
    RESUME = "resume"
    QUIT = "quit"


# Commands whose argument is required; every other command takes none.
_ARGUMENT_NAMES = {
    Command.START: "a routine id (reset, morning, ...)",
    Command.SNOOZE: 'a duration such as "10m"',
    Command.PAUSE: f'a duration such as "1h", or "{UNTIL_TOMORROW}"',
}


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


@dataclass(frozen=True)
class Request:
    """One command with its argument, checked on construction so both ends agree."""

    command: Command
    argument: str | None = None

    def __post_init__(self) -> None:
        _check_argument(self.command, self.argument)

    @property
    def routine_id(self) -> str:
        """The routine ``start`` asks for."""
        if self.command is not Command.START or self.argument is None:
            raise AttributeError(f"{self.command.value} names no routine")
        return self.argument

    @property
    def length(self) -> timedelta | None:
        """How long to snooze or pause; None for ``pause until-tomorrow``."""
        if self.command not in (Command.SNOOZE, Command.PAUSE) or self.argument is None:
            raise AttributeError(f"{self.command.value} has no length")
        if self.argument == UNTIL_TOMORROW and self.command is Command.PAUSE:
            return None
        return parse_duration(self.argument)


def make_request(command: Command | str, argument: str | None = None) -> Request:
    """A checked request from a command name, as the CLI and the decoder both build them."""
    if not isinstance(command, Command):
        try:
            command = Command(command)
        except ValueError:
            known = ", ".join(c.value for c in Command)
            raise ProtocolError(
                ErrorCode.UNKNOWN_COMMAND, f"unknown command {command!r}; known: {known}"
            ) from None
    return Request(command, argument)


def _check_argument(command: Command, argument: str | None) -> None:
    wanted = _ARGUMENT_NAMES.get(command)
    if wanted is None:
        if argument is not None:
            raise ProtocolError(ErrorCode.BAD_ARGUMENT, f"{command.value} takes no argument")
        return
    if not isinstance(argument, str) or not argument.strip():
        raise ProtocolError(ErrorCode.BAD_ARGUMENT, f"{command.value} needs {wanted}")
    if command is Command.START:
        if len(argument) > MAX_ROUTINE_ID_CHARS or not argument.isprintable():
            raise ProtocolError(ErrorCode.BAD_ARGUMENT, f"not a routine id: {argument[:40]!r}")
        return
    if command is Command.PAUSE and argument == UNTIL_TOMORROW:
        return
    try:
        length = parse_duration(argument)
    except (DurationError, OverflowError) as error:
        message = str(error) if isinstance(error, DurationError) else "that duration is too long"
        raise ProtocolError(ErrorCode.BAD_ARGUMENT, f"{command.value}: {message}") from None
    if length > MAX_LENGTH:
        raise ProtocolError(ErrorCode.BAD_ARGUMENT, f"{command.value}: at most 365 days, please")


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


def encode_request(request: Request) -> bytes:
    """The request as one line of JSON."""
    payload: dict[str, Any] = {"v": PROTOCOL_VERSION, "cmd": request.command.value}
    if request.argument is not None:
        payload["arg"] = request.argument
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


def decode_request(line: bytes) -> Request:
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
