"""What can go wrong between the command line and the running app, in words for people."""

from __future__ import annotations


class ControlError(Exception):
    """The control channel failed; the message is fit to print as is."""


class NotRunning(ControlError):
    """No app answers on the control channel."""

    def __init__(self, detail: str = "") -> None:
        message = "movebreak is not running"
        super().__init__(f"{message} ({detail})" if detail else message)


class AlreadyRunning(ControlError):
    """Another live instance owns the control channel (and so the single-instance lock)."""

    def __init__(self, pid: int | None, answering: bool = True) -> None:
        self.pid = pid
        self.answering = answering
        who = f"pid {pid}" if pid else "pid unknown"
        if answering:
            text = f"movebreak is already running ({who}); use `movebreak status`"
        else:
            text = (
                f"movebreak is already running ({who}) but does not answer commands; "
                "quit it (or end that process) and start again"
            )
        super().__init__(text)


class HeldByAnotherUser(ControlError):
    """The control channel's name belongs to a process of another user (Windows pipes)."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"the control pipe's name is held by another user ({detail}); movebreak will "
            "not trust it: ask an administrator to check who runs it"
        )
