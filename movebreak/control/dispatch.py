"""From a request line to the app's answer: shared by the socket and the pipe server.

The transports only move bytes and check who is calling; everything a request
means (which reply for which command, which error for which fault) is decided here, once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from movebreak import __version__
from movebreak.control.protocol import (
    MAX_REPLY_BYTES,
    PROTOCOL_VERSION,
    ErrorCode,
    ProtocolError,
    Reply,
    decode_request,
    encode_reply,
)
from movebreak.control.target import ControlTarget, UnknownRoutine
from movebreak.core.commands import Command, Ping, Quit, Start, Status

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Answer:
    """The bytes to send back, and what to do once they are sent (``quit``)."""

    payload: bytes
    after: Callable[[], None] | None = None


def refusal(code: ErrorCode, message: str) -> bytes:
    """An error reply for faults found before a request was read (busy, forbidden)."""
    return encode_reply(Reply.failure(code, message))


class Dispatcher:
    """Turns request lines into commands for the target; one command at a time.

    ``ping`` never touches the target, so a wedged app still says it is there and a
    second instance does not start beside it.
    """

    def __init__(self, target: ControlTarget, pid: int) -> None:
        self._target = target
        self._pid = pid
        self._calls = threading.Lock()

    def answer(self, line: bytes) -> Answer:
        """The reply to one request line; never raises."""
        try:
            command = decode_request(line)
        except ProtocolError as error:
            return Answer(refusal(error.code, error.message))
        if isinstance(command, Ping):
            reply = self._ping()
        else:
            with self._calls:
                reply = self._guarded(command)
        payload = self._encode(reply)
        quitting = isinstance(command, Quit) and reply.ok
        after = (lambda: self._target.handle(Quit())) if quitting else None
        return Answer(payload, after)

    def _guarded(self, command: Command) -> Reply:
        """Run ``command``, turning whatever the app raises into an error reply."""
        try:
            return self._run(command)
        except KeyError as error:
            if isinstance(command, Start) and command.routine:  # the documented "no such routine"
                if isinstance(error, UnknownRoutine):
                    return self._unknown_routine(error.routine_id, error.known)
                return self._unknown_routine(command.routine, None)
            log.exception("control command %s failed", command.verb)
            return Reply.failure(ErrorCode.INTERNAL, f"the app failed: {error!r}")
        except Exception as error:
            log.exception("control command %s failed", command.verb)
            return Reply.failure(ErrorCode.INTERNAL, f"the app failed: {error}")

    def _run(self, command: Command) -> Reply:
        """Status and quit answer with their own data; a change, with the status after it."""
        if isinstance(command, Status):
            return Reply.success(self._target.handle(command).data)
        if isinstance(command, Quit):
            return Reply.success({"quitting": True})
        self._target.handle(command)
        return Reply.success({"status": self._status_quietly()})

    def _ping(self) -> Reply:
        about = {"pid": self._pid, "version": __version__, "protocol": PROTOCOL_VERSION}
        return Reply.success(about)

    def _status_quietly(self) -> dict[str, Any]:
        """The status after a change, for the CLI to echo; empty if the app cannot say."""
        try:
            return dict(self._target.handle(Status()).data)
        except Exception:
            log.exception("status after a control command failed")
            return {}

    def _unknown_routine(self, routine_id: str, known: list[str] | None) -> Reply:
        if known is None:
            report = self._status_quietly()
            routines = report.get("routines")
            known = [str(r) for r in routines] if isinstance(routines, list) else []
        names = ", ".join(known) if known else "none reported"
        return Reply.failure(
            ErrorCode.UNKNOWN_ROUTINE, f"no routine {routine_id!r}; known routines: {names}"
        )

    def _encode(self, reply: Reply) -> bytes:
        try:
            payload = encode_reply(reply)
        except (TypeError, ValueError) as error:
            log.error("control reply is not JSON-ready: %s", error)
            return refusal(ErrorCode.INTERNAL, f"the app's reply is not JSON-ready: {error}")
        if len(payload) > MAX_REPLY_BYTES:
            return refusal(ErrorCode.INTERNAL, f"the app's reply is over {MAX_REPLY_BYTES} bytes")
        return payload
