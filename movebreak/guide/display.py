"""The app's side of the timer window: start the window process, feed it, hear its buttons.

``SessionDisplay`` is the port the controller talks to; ``WindowProcess`` runs the Tk
window as a child (``python -m movebreak.guide.window``) and ``NoDisplay`` is the
choice of users who follow the notifications alone. A reader thread blocks on the
child's stdout; nothing polls.
"""

from __future__ import annotations

import contextlib
import logging
import subprocess
import threading
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from movebreak.core.commands import Command
from movebreak.guide.messages import decode_action, encode
from movebreak.process import CHILD_CWD, module_command, module_env

log = logging.getLogger(__name__)


MAX_FAILURES = 2


class SessionDisplay(Protocol):
    """Shows a running routine; reports the buttons pressed."""

    @property
    def available(self) -> bool: ...

    def show(self, message: dict[str, Any]) -> None: ...
    def end(self, message: dict[str, Any]) -> None: ...
    def close(self) -> None: ...


class NoDisplay:
    """No window: the notifications and the tray carry the routine."""

    available = False

    def show(self, message: dict[str, Any]) -> None:
        pass

    def end(self, message: dict[str, Any]) -> None:
        pass

    def close(self) -> None:
        pass


class WindowProcess:
    """The Tk timer window as a child process, started on the first ``show``."""

    def __init__(
        self,
        on_action: Callable[[Command], None],
        env: Mapping[str, str] | None = None,
        on_failure: Callable[[], None] | None = None,
        placement: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        self._on_action = on_action
        self._on_failure = on_failure  # the window of the running routine did not open
        self._placement = placement  # the first message: where to open (see ``place_message``)
        self._env = dict(env) if env is not None else None
        self._child: subprocess.Popen[bytes] | None = None
        self._ending: list[subprocess.Popen[bytes]] = []  # showing "done" before they exit
        self._lock = threading.Lock()
        self._failures = 0  # windows that died before the user pressed anything

    @property
    def available(self) -> bool:
        """False once the window failed twice (no Tk, no screen): notifications take over."""
        return self._failures < MAX_FAILURES

    def show(self, message: dict[str, Any]) -> None:
        if self.available:
            self._send(message, start=True)

    def end(self, message: dict[str, Any]) -> None:
        self._send(message, start=False)
        with self._lock:
            child, self._child = self._child, None
            self._ending = [c for c in self._ending if c.poll() is None]
            if child is not None:
                self._ending.append(child)
        if child is not None:
            _close_input(child)  # the window shows its end state, then exits by itself

    def close(self) -> None:
        """Close the window now, and any still showing its end state (the app quits)."""
        with self._lock:
            child, self._child = self._child, None
            ending, self._ending = self._ending, []
        for old in ending:
            if old.poll() is None:
                old.terminate()
                try:
                    old.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    old.kill()
        if child is not None:
            with contextlib.suppress(OSError):
                if child.stdin is not None:
                    child.stdin.write(encode({"kind": "close"}))
            _close_input(child)
            try:
                child.wait(timeout=2)
            except subprocess.TimeoutExpired:
                child.kill()

    def _send(self, message: dict[str, Any], start: bool) -> None:
        with self._lock:
            spawned = (self._child is None or self._child.poll() is not None) and start
            if spawned:
                self._child = self._spawn()
            child = self._child
        if child is None or child.stdin is None:
            if spawned:
                self._failed()
            return
        try:
            if spawned and self._placement is not None:
                child.stdin.write(encode(self._place()))
            child.stdin.write(encode(message))
            child.stdin.flush()
        except OSError as error:
            log.warning("the timer window went away: %s", error)

    def _spawn(self) -> subprocess.Popen[bytes] | None:
        try:
            child = subprocess.Popen(
                module_command("movebreak.guide.window"),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=module_env(self._env),
                cwd=CHILD_CWD,
            )
        except OSError as error:
            log.warning("cannot open the timer window: %s", error)
            return None
        threading.Thread(
            target=self._listen, args=(child,), name="timer-window", daemon=True
        ).start()
        log.info("timer window opened (pid %d)", child.pid)
        return child

    def _listen(self, child: subprocess.Popen[bytes]) -> None:
        assert child.stdout is not None
        pressed = False
        for line in child.stdout:
            action = decode_action(line)
            pressed = pressed or action is not None
            if action is not None:
                try:
                    self._on_action(action)
                except Exception:
                    log.exception("timer window action failed")
        if child.wait() != 0 and not pressed:
            self._failures += 1
            log.warning("the timer window could not run (exit %s)%s", child.returncode,
                        "; following the routine by notifications" if not self.available else "")
            with self._lock:
                current = self._child is child  # not one closed or ending on purpose
            if current:
                self._failed()

    def _failed(self) -> None:
        if self._on_failure is not None:
            try:
                self._on_failure()
            except Exception:
                log.exception("telling the app the timer window failed")

    def _place(self) -> dict[str, Any]:
        assert self._placement is not None
        try:
            return self._placement()
        except Exception:  # a server that went away: the window's own default
            log.exception("where to place the timer window")
            return {"kind": "place"}


def _close_input(child: subprocess.Popen[bytes]) -> None:
    """Close the child's stdin even when it is gone: closing flushes what a failed write
    left in the buffer, and a window that died at start (no display, no Tk) would turn
    that into ``BrokenPipeError`` in the middle of the user's Done or Skip."""
    if child.stdin is not None:
        with contextlib.suppress(OSError):
            child.stdin.close()
