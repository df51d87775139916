"""Linux notifications with buttons, straight over D-Bus (jeepney, pure Python).

plyer cannot put buttons on a notification. ``org.freedesktop.Notifications``
can, where the server advertises the ``actions`` capability: we send
``Notify`` with (key, label) pairs and listen for ``ActionInvoked``. A new notice
with the same tag replaces the old one in place, so prompts never stack up.

Threads: jeepney's router reads the bus on its own thread; signals go through a
queue to one more thread that calls the app, because calling the app from the
router's thread could deadlock when the app sends a notification in turn. Both
threads block on I/O; neither polls.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from movebreak.notify.base import Notice, NoticeAction, NoticeKind

log = logging.getLogger(__name__)

BUS_NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
ActionCallback = Callable[[NoticeAction, NoticeKind], None]  # (button, what the notice is)
_ACTIONS = {action.value: action for action in NoticeAction}  # an unknown key is ignored


class DBusNotifier:
    """``Notifier`` over the freedesktop notification service, with action buttons."""

    name = "dbus"

    def __init__(self, on_action: ActionCallback, app_icon: Path | None = None) -> None:
        self._on_action = on_action
        self._icon = str(app_icon) if app_icon else ""
        self._router: Any = None
        self._address: Any = None
        self._signals: queue.Queue[Any] = queue.Queue(maxsize=256)
        self._kind_of: dict[int, NoticeKind | None] = {}
        self._id_of: dict[NoticeKind, int] = {}
        self._lock = threading.Lock()
        self.capabilities: frozenset[str] = frozenset()

    def connect(self) -> bool:
        """Open the session bus and subscribe to the server's signals; False if unavailable."""
        try:
            from jeepney import DBusAddress, MatchRule, message_bus, new_method_call
            from jeepney.io.threading import DBusRouter, open_dbus_connection
        except ImportError:
            return False
        try:
            router = DBusRouter(open_dbus_connection(bus="SESSION"))
        except Exception as error:  # no session bus here: the next notifier takes over
            log.info("no D-Bus session bus for notifications: %s", error)
            return False
        self._router = router
        self._address = DBusAddress(PATH, bus_name=BUS_NAME, interface=BUS_NAME)
        for member in ("ActionInvoked", "NotificationClosed"):
            rule = MatchRule(type="signal", interface=BUS_NAME, member=member, path=PATH)
            router.filter(rule, queue=self._signals, bufsize=256)
            router.send_and_get_reply(message_bus.AddMatch(rule), timeout=2)
        try:
            reply = router.send_and_get_reply(
                new_method_call(self._address, "GetCapabilities"), timeout=2
            )
            self.capabilities = frozenset(reply.body[0])
        except Exception as error:
            log.info("notification server did not answer GetCapabilities: %s", error)
        threading.Thread(target=self._consume, name="notify-signals", daemon=True).start()
        log.info(
            "notifications over D-Bus; server capabilities: %s",
            ", ".join(sorted(self.capabilities)) or "none",
        )
        return True

    @property
    def has_actions(self) -> bool:
        return "actions" in self.capabilities

    def show(self, notice: Notice) -> bool:
        if self._router is None:
            return False
        from jeepney import new_method_call

        actions: list[str] = []
        if self.has_actions:
            for action, label in notice.actions:
                actions += [action.value, label]
            if notice.actions:
                actions += [NoticeAction.DEFAULT.value, notice.actions[0][1]]
        with self._lock:
            replaces = self._id_of.get(notice.kind, 0) if notice.kind else 0
        hints = {"urgency": ("y", 1), "desktop-entry": ("s", "movebreak")}
        timeout_ms = max(1000, round(notice.timeout.total_seconds() * 1000))
        message = new_method_call(
            self._address,
            "Notify",
            "susssasa{sv}i",
            (
                "movebreak",
                replaces,
                self._icon,
                notice.title,
                notice.body,
                actions,
                hints,
                timeout_ms,
            ),
        )
        reply = self._router.send_and_get_reply(message, timeout=3)
        notification_id = int(reply.body[0])
        with self._lock:
            if notice.kind:
                self._id_of[notice.kind] = notification_id
            self._kind_of[notification_id] = notice.kind
        return True

    def _consume(self) -> None:
        from jeepney.low_level import HeaderFields

        while True:
            message = self._signals.get()
            if message is None:
                return
            member = message.header.fields.get(HeaderFields.member)
            try:
                if member == "ActionInvoked":
                    notification_id, key = message.body
                    with self._lock:
                        kind = self._kind_of.get(int(notification_id))
                    action = _ACTIONS.get(str(key))
                    if kind is not None and action is not None:
                        log.info("notification action %s on %s", action.value, kind.value)
                        self._on_action(action, kind)
                elif member == "NotificationClosed":
                    self._forget(int(message.body[0]))
            except Exception:
                log.exception("handling a notification signal failed")

    def _forget(self, notification_id: int) -> None:
        with self._lock:
            kind = self._kind_of.pop(notification_id, None)
            if kind and self._id_of.get(kind) == notification_id:
                del self._id_of[kind]

    def close(self) -> None:
        if self._router is not None:
            self._signals.put(None)
            self._router.close()
            self._router = None
