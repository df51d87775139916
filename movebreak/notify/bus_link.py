"""One session-bus connection with its own reader: calls, and the signals we asked for.

jeepney's threaded ``DBusRouter`` stops for good when a server answers one call twice
(mako 1.7 sends a method return *and* an error for ``GetCapabilities``): the second
reply finds its future already resolved, the router's thread dies, and every later call
fails with "router has stopped". This reader owns the socket instead:

- a reply settles the call waiting on its serial; a reply nobody waits for (a duplicate,
  or one that came after its caller gave up) is dropped;
- every signal goes to ``on_signal`` (the caller filters: unicast signals reach us
  without a match rule);
- when the connection ends (the bus or the machine's session went away) every waiting
  call fails at once, ``alive`` turns False and ``on_lost`` is told, so the owner can
  open a new link the next time it needs one, or end with the session. An ended
  connection is no error here (it is what logging out looks like): only the owner logs.

The reader blocks on the socket; nothing polls. Sends are serialised by a lock, since
two threads may send at once (the app's prompt and a button's answer).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import socket
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class LinkClosed(ConnectionError):
    """The connection ended before the reply came."""


class _Waiting:
    """One call in flight: settled once, by its first reply."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.reply: Any = None


class BusLink:
    """A session-bus connection whose reader survives duplicate and stray replies."""

    def __init__(
        self,
        on_signal: Callable[[Any], None],
        on_lost: Callable[[], None] = lambda: None,
        address: str = "SESSION",
    ) -> None:
        from jeepney.io.blocking import open_dbus_connection

        self._connection = open_dbus_connection(bus=address)  # says Hello before we read
        self._on_signal = on_signal
        self._on_lost = on_lost
        self._serials = itertools.count(1_000_000)  # above jeepney's own Hello serial
        self._send_lock = threading.Lock()
        self._waiting: dict[int, _Waiting] = {}
        self._lock = threading.Lock()
        self._alive = True
        self._reader = threading.Thread(target=self._read, name="notify-bus", daemon=True)
        self._reader.start()

    @property
    def unique_name(self) -> str:
        return str(self._connection.unique_name)

    @property
    def alive(self) -> bool:
        return self._alive

    def call(self, message: Any, timeout: float) -> Any:
        """Send a method call and return its reply; raise for an error reply.

        ``jeepney.wrappers.DBusErrorResponse`` for an error, ``TimeoutError`` when no
        reply comes in time, ``LinkClosed`` when the connection is gone.
        """
        from jeepney.wrappers import unwrap_msg

        waiting = _Waiting()
        with self._lock:
            if not self._alive:
                raise LinkClosed("the session bus connection is closed")
            serial = next(self._serials)
            self._waiting[serial] = waiting
        try:
            self.send(message, serial)
            if not waiting.done.wait(timeout):
                raise TimeoutError(f"no reply in {timeout:g} s")
        finally:
            with self._lock:
                self._waiting.pop(serial, None)
        if waiting.reply is None:
            raise LinkClosed("the session bus connection closed before the reply")
        unwrap_msg(waiting.reply)  # raises DBusErrorResponse for an error reply
        return waiting.reply

    def send(self, message: Any, serial: int | None = None) -> None:
        """Send without waiting for a reply."""
        with self._send_lock:
            try:
                self._connection.send(message, serial=serial or next(self._serials))
            except OSError as error:
                raise LinkClosed(f"the session bus connection failed: {error}") from error

    def _read(self) -> None:
        from jeepney import HeaderFields, MessageType

        try:
            while True:
                message = self._connection.receive()
                kind = message.header.message_type
                if kind is MessageType.signal:
                    self._on_signal(message)
                elif kind in (MessageType.method_return, MessageType.error):
                    serial = message.header.fields.get(HeaderFields.reply_serial)
                    with self._lock:
                        waiting = self._waiting.get(serial)
                    if waiting is None or waiting.done.is_set():
                        log.debug("dropped a reply nobody waits for (serial %s)", serial)
                        continue
                    waiting.reply = message
                    waiting.done.set()
        except (OSError, EOFError) as error:  # the bus closed or reset our connection
            if self._alive:  # the owner's on_lost says what that means (e.g. logout)
                log.debug("the session bus connection for notifications ended: %s", error)
        except Exception as error:  # a message jeepney cannot parse
            if self._alive:
                log.warning("the session bus connection for notifications ended: %s", error)
        finally:
            self._end()

    def _end(self) -> None:
        with self._lock:
            was_alive, self._alive = self._alive, False
            waiting, self._waiting = list(self._waiting.values()), {}
        for each in waiting:
            each.done.set()  # reply None: LinkClosed for the caller
        if was_alive:
            self._on_lost()

    def close(self) -> None:
        """Close the connection; the reader ends and ``on_lost`` is not called."""
        with self._lock:
            self._alive = False
        with contextlib.suppress(OSError):  # wakes the reader's blocking read with EOF
            self._connection.sock.shutdown(socket.SHUT_RDWR)
        if threading.current_thread() is not self._reader:
            self._reader.join(timeout=2)
        with contextlib.suppress(OSError):
            self._connection.close()


def bus_reachable(address: str = "SESSION") -> bool:
    """Whether a new connection to the bus opens (and says Hello): is the bus still there?"""
    from jeepney.io.blocking import open_dbus_connection

    try:
        open_dbus_connection(bus=address).close()
    except Exception:  # no socket, refused, no address, a failed handshake: gone
        return False
    return True
