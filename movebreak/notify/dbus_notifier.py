"""Linux notifications with buttons, straight over D-Bus (jeepney, pure Python).

plyer cannot put buttons on a notification. ``org.freedesktop.Notifications``
can, where the server advertises the ``actions`` capability: we send
``Notify`` with (key, label) pairs and listen for ``ActionInvoked``. A new notice
with the same tag replaces the old one in place, so prompts never stack up.

What real servers do that this guards against:

- GNOME Shell broadcasts every ``ActionInvoked`` and its notification relay (the
  owner of ``org.freedesktop.Notifications``) sends it to us again: only signals from
  the name's current owner count, and each shown notification is acted on once;
- mako answers ``GetCapabilities`` twice: ``BusLink`` drops the reply nobody waits for;
- the connection can end (the session bus restarted): the next notice opens a new one;
  when the bus itself is gone (the user logged out) ``on_bus_gone`` is told instead.
- titles and bodies carry anyone's text (meeting titles): ``core.notice_text`` drops
  control and bidi characters, bounds the lengths and escapes the body where the
  server reads markup (``body-markup``, ``body-hyperlinks``, ``body-images``).

Threads: the link's reader blocks on the bus; signals go through a queue to one more
thread that calls the app, because the app may send a notification in turn. Both
block on I/O; neither polls.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from movebreak.core.commands import Command
from movebreak.core.notice_text import clean_body, clean_summary
from movebreak.core.placement import Anchor
from movebreak.notify.base import Notice, NoticeKind
from movebreak.notify.bus_link import BusLink, bus_reachable
from movebreak.notify.server_place import notification_anchor

log = logging.getLogger(__name__)

BUS_NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
CALL_TIMEOUT_S = 3.0
ActionCallback = Callable[[Command, NoticeKind], None]  # (button, what the notice is)
DEFAULT_KEY = "default"  # a click on the notice itself (servers send this key)
_SERVER_SIGNALS = ("ActionInvoked", "NotificationClosed")


class DBusNotifier:
    """``Notifier`` over the freedesktop notification service, with action buttons."""

    name = "dbus"

    def __init__(
        self,
        on_action: ActionCallback,
        app_icon: Path | None = None,
        bus: str = "SESSION",
        on_bus_gone: Callable[[], None] | None = None,
    ) -> None:
        self._on_action = on_action
        self._on_bus_gone = on_bus_gone
        self._icon = str(app_icon) if app_icon else ""
        self._bus = bus
        self._link: BusLink | None = None
        self._wanted = False  # connect() was asked for: a lost link is opened again
        self._server: str | None = None  # the unique name that owns BUS_NAME
        self._signals: queue.Queue[Any] = queue.Queue(maxsize=256)
        self._consumer: threading.Thread | None = None
        self._kind_of: dict[int, NoticeKind | None] = {}
        self._buttons: dict[int, dict[str, Command]] = {}  # an unknown key is ignored
        self._id_of: dict[NoticeKind, int] = {}
        self._answered: set[int] = set()  # shown notifications already acted on
        self._lock = threading.Lock()
        self._connecting = threading.Lock()  # two notices at once open one link, not two
        self._in_flight = 0  # Notify calls whose id is not recorded yet
        self._recorded = threading.Condition(self._lock)
        self.capabilities: frozenset[str] = frozenset()
        self.server_name: str | None = None  # GetServerInformation's name: "dunst", ...

    def connect(self) -> bool:
        """Open the session bus and subscribe to the server's signals; False if unavailable."""
        self._wanted = True
        try:
            from jeepney import DBusAddress, MatchRule, message_bus, new_method_call
        except ImportError:
            return False
        try:
            link = BusLink(self._queue_signal, self._lost, self._bus)
        except Exception as error:  # no session bus here: the next notifier takes over
            log.info("no D-Bus session bus for notifications: %s", error)
            return False
        try:
            for member in _SERVER_SIGNALS:
                rule = MatchRule(type="signal", interface=BUS_NAME, member=member, path=PATH)
                link.call(message_bus.AddMatch(rule), CALL_TIMEOUT_S)
            owner = MatchRule(type="signal", interface="org.freedesktop.DBus",
                              member="NameOwnerChanged")
            owner.add_arg_condition(0, BUS_NAME)
            link.call(message_bus.AddMatch(owner), CALL_TIMEOUT_S)
        except Exception as error:
            log.info("cannot subscribe to notification signals: %s", error)
            link.close()
            return False
        with self._lock:
            old, self._link = self._link, link
            self._kind_of.clear()  # ids belong to the server of the old connection
            self._buttons.clear()
            self._id_of.clear()
            self._answered.clear()
        if old is not None:
            old.close()
        self._server = self._owner()
        address = DBusAddress(PATH, bus_name=BUS_NAME, interface=BUS_NAME)
        try:
            reply = link.call(new_method_call(address, "GetCapabilities"), CALL_TIMEOUT_S)
            self.capabilities = frozenset(reply.body[0])
        except Exception as error:
            log.info("notification server did not answer GetCapabilities: %s", error)
        try:
            reply = link.call(new_method_call(address, "GetServerInformation"), CALL_TIMEOUT_S)
            self.server_name = str(reply.body[0])
        except Exception as error:
            log.info("notification server did not answer GetServerInformation: %s", error)
        if self._consumer is None:
            self._consumer = threading.Thread(target=self._consume, name="notify-signals",
                                              daemon=True)
            self._consumer.start()
        log.info(
            "notifications over D-Bus; server capabilities: %s (server: %s)",
            ", ".join(sorted(self.capabilities)) or "none",
            self.server_name or "unknown",
        )
        return True

    def server_anchor(self) -> Anchor:
        """Where the server draws its notifications (its config read where cheap)."""
        return notification_anchor(self.server_name, self._server_pid())

    def _server_pid(self) -> int | None:
        from jeepney import message_bus

        link, server = self._link, self._server
        if link is None or server is None:
            return None
        try:
            reply = link.call(message_bus.GetConnectionUnixProcessID(server), CALL_TIMEOUT_S)
            return int(reply.body[0])
        except Exception:
            return None

    @property
    def has_actions(self) -> bool:
        return "actions" in self.capabilities

    def show(self, notice: Notice) -> bool:
        link = self._live_link()
        if link is None:
            return False
        from jeepney import DBusAddress, new_method_call

        buttons = {command.verb: command for command, _label in notice.actions}
        if notice.actions:
            buttons[DEFAULT_KEY] = notice.actions[0][0]
        actions: list[str] = []
        if self.has_actions:
            for command, label in notice.actions:
                actions += [command.verb, label]
            if notice.actions:
                actions += [DEFAULT_KEY, notice.actions[0][1]]
        with self._lock:
            replaces = self._id_of.get(notice.kind, 0) if notice.kind else 0
        hints = {"urgency": ("y", 1), "desktop-entry": ("s", "movebreak")}
        if notice.picture is not None:
            # The spec's image hint (servers that show no images ignore it). Not
            # "sound-name": the app plays its own cues.
            hints["image-path"] = ("s", notice.picture.resolve().as_uri())
        timeout_ms = max(1000, round(notice.timeout.total_seconds() * 1000))
        message = new_method_call(
            DBusAddress(PATH, bus_name=BUS_NAME, interface=BUS_NAME),
            "Notify",
            "susssasa{sv}i",
            (
                "movebreak",
                replaces,
                self._icon,
                clean_summary(notice.title),
                clean_body(notice.body, self.capabilities),  # escaped where it is markup
                actions,
                hints,
                timeout_ms,
            ),
        )
        with self._lock:
            self._in_flight += 1
        try:
            reply = link.call(message, CALL_TIMEOUT_S)
            notification_id = int(reply.body[0])
            with self._lock:
                if notice.kind:
                    self._id_of[notice.kind] = notification_id
                self._kind_of[notification_id] = notice.kind
                self._buttons[notification_id] = buttons
                self._answered.discard(notification_id)  # shown anew: its buttons count again
        finally:
            with self._recorded:
                self._in_flight -= 1
                self._recorded.notify_all()
        return True

    def _live_link(self) -> BusLink | None:
        """The open link, or a new one if the last was lost; None where there is no bus."""
        with self._connecting:
            link = self._link
            if link is not None and link.alive:
                return link
            if not self._wanted or not self.connect():
                return None
            return self._link

    def _owner(self) -> str | None:
        """Who serves notifications now (None: nobody yet; a ``Notify`` may start it)."""
        from jeepney import message_bus

        link = self._link
        if link is None:
            return None
        try:
            return str(link.call(message_bus.GetNameOwner(BUS_NAME), CALL_TIMEOUT_S).body[0])
        except Exception:
            return None

    def _queue_signal(self, message: Any) -> None:
        try:
            self._signals.put_nowait(message)
        except queue.Full:
            log.warning("too many notification signals waiting; one dropped")

    def _lost(self) -> None:
        """The link's reader ended: the bus went away (logout), or just our connection."""
        if self._on_bus_gone is not None and self._wanted and not bus_reachable(self._bus):
            self._on_bus_gone()  # the owner logs it, once
            return
        log.info("notifications: the bus connection is gone; the next notice reconnects")

    def _consume(self) -> None:
        while True:
            message = self._signals.get()
            if message is None:
                return
            try:
                self._handle(message)
            except Exception:
                log.exception("handling a notification signal failed")

    def _handle(self, message: Any) -> None:
        from jeepney.low_level import HeaderFields

        fields = message.header.fields
        member = fields.get(HeaderFields.member)
        if member == "NameOwnerChanged":
            name, _old, new = message.body
            if name == BUS_NAME:
                self._server = str(new) or None
            return
        if member not in _SERVER_SIGNALS or fields.get(HeaderFields.path) != PATH:
            return
        if fields.get(HeaderFields.interface) != BUS_NAME:
            return
        if self._server is None:
            self._server = self._owner()
        sender = fields.get(HeaderFields.sender)
        if sender != self._server:  # GNOME Shell's own broadcast beside its relay's copy
            log.debug("ignored %s from %s (the server is %s)", member, sender, self._server)
            return
        if member == "NotificationClosed":
            self._forget(int(message.body[0]))
            return
        notification_id, key = int(message.body[0]), str(message.body[1])
        with self._recorded:
            if notification_id not in self._kind_of:  # pressed before its Notify returned
                self._recorded.wait_for(lambda: self._in_flight == 0, CALL_TIMEOUT_S)
            kind = self._kind_of.get(notification_id)
            action = self._buttons.get(notification_id, {}).get(key)
            repeated = notification_id in self._answered
            if kind is not None and action is not None:
                self._answered.add(notification_id)
        if kind is None or action is None:
            return
        if repeated:
            log.info("notification action %s on %s came again; ignored", key, kind.value)
            return
        log.info("notification action %s on %s", key, kind.value)
        self._on_action(action, kind)

    def _forget(self, notification_id: int) -> None:
        with self._lock:
            kind = self._kind_of.pop(notification_id, None)
            self._buttons.pop(notification_id, None)
            self._answered.discard(notification_id)
            if kind and self._id_of.get(kind) == notification_id:
                del self._id_of[kind]

    def close(self) -> None:
        self._wanted = False
        link, self._link = self._link, None
        if link is not None:
            link.close()
        if self._consumer is not None:
            self._signals.put(None)
