"""The D-Bus notifier against servers that behave as real ones do, on a real bus.

The end-to-end tests on GNOME Shell and on sway with mako show these with the real
servers; here each behaviour is served on a private ``dbus-daemon`` so it runs in a
second and pins the exact message sequence:

- mako 1.7 answers ``GetCapabilities`` with a method return *and* an error (same serial);
- GNOME Shell broadcasts ``ActionInvoked`` from its own connection while its relay,
  the owner of ``org.freedesktop.Notifications``, sends the same signal to the app;
- the session bus can go away and come back (a restarted session).
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

from jeepney import DBusAddress, HeaderFields
from jeepney.wrappers import new_error, new_method_return, new_signal

from movebreak.core.commands import Command, Done, Skip, Start
from movebreak.notify.base import Notice, NoticeKind
from movebreak.notify.dbus_notifier import BUS_NAME, PATH, DBusNotifier
from tests.idle.dbus_fakes import FakeService, PrivateBus, private_bus, wait_for

PROMPT = Notice("2-minute reset", "Band pull-aparts", timedelta(seconds=30),
                ((Start(), "Start"), (Skip(), "Skip")), NoticeKind.PROMPT)


class NotificationServer(FakeService):
    """Serves ``Notify`` and ``GetCapabilities``; ``twice`` answers capabilities as mako does."""

    def __init__(self, address: str, twice: bool = False,
                 capabilities: tuple[str, ...] = ("actions", "body")) -> None:
        self.twice = twice
        self.next_id = 0
        super().__init__(address, BUS_NAME)
        self.methods[(PATH, BUS_NAME, "Notify")] = self._notify
        self.methods[(PATH, BUS_NAME, "GetCapabilities")] = lambda _b: ("as", (
            list(capabilities),))

    def _notify(self, body: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
        replaces = int(body[1])
        if not replaces:
            self.next_id += 1
        return "u", (replaces or self.next_id,)

    def _answer(self, message: Any, path: str, interface: str, member: str) -> Any:
        if self.twice and member == "GetCapabilities":
            self._send(new_method_return(message, "as", (["actions", "body"],)))
            return new_error(message, "org.freedesktop.DBus.Error.UnknownMethod")
        return super()._answer(message, path, interface, member)

    def signal(self, member: str, body: tuple[Any, ...], to: str | None = None) -> None:
        """``to`` set: unicast to that connection (GNOME's relay); else a broadcast."""
        message = new_signal(DBusAddress(PATH, interface=BUS_NAME), member,
                             "us" if member == "ActionInvoked" else "uu", body)
        if to is not None:
            message.header.fields[HeaderFields.destination] = to
        self._send(message)

    def notified(self) -> list[tuple[Any, ...]]:
        return [body for _i, member, body in self.calls if member == "Notify"]


class Pressed:
    def __init__(self) -> None:
        self.actions: list[tuple[Command, NoticeKind]] = []
        self.changed = threading.Condition()

    def __call__(self, action: Command, kind: NoticeKind) -> None:
        with self.changed:
            self.actions.append((action, kind))
            self.changed.notify_all()


def connected(bus: PrivateBus, pressed: Pressed) -> DBusNotifier:
    notifier = DBusNotifier(pressed, bus=bus.address)
    assert notifier.connect()
    return notifier


def settle(notifier: DBusNotifier, server: NotificationServer) -> None:
    """Every signal sent before this has been handled: a Notify round trip orders them."""
    before = len(server.notified())
    notifier.show(Notice("sync", "", kind=None))
    wait_for(lambda: len(server.notified()) > before)


def test_a_server_that_answers_twice_does_not_stop_the_notifier(bus):
    server = NotificationServer(bus.address, twice=True)
    notifier = connected(bus, Pressed())
    try:
        assert notifier.has_actions
        for _ in range(3):
            assert notifier.show(PROMPT)
        assert len(server.notified()) == 3
        actions = server.notified()[-1][5]
        assert actions[:4] == ["start", "Start", "skip", "Skip"]
    finally:
        notifier.close()
        server.stop()


def test_an_action_broadcast_by_the_shell_and_relayed_by_the_server_counts_once(bus):
    server = NotificationServer(bus.address)
    pressed = Pressed()
    notifier = connected(bus, pressed)
    shell = FakeService(bus.address, "org.gnome.Shell")  # a second sender, as GNOME has
    try:
        assert notifier.show(PROMPT)
        [(notification_id, *_)] = [(b[1] or 1,) for b in server.notified()]
        app = _unique_name(notifier)
        shell.emit(PATH, BUS_NAME, "ActionInvoked", "us", (notification_id, "skip"))
        server.signal("ActionInvoked", (notification_id, "skip"), to=app)
        server.signal("ActionInvoked", (notification_id, "skip"))  # and a copy for all
        settle(notifier, server)
        assert pressed.actions == [(Skip(), NoticeKind.PROMPT)]
        # Shown again (the same id, replaced in place), its buttons count again: once.
        assert notifier.show(PROMPT)
        server.signal("ActionInvoked", (notification_id, "start"), to=app)
        server.signal("ActionInvoked", (notification_id, "start"), to=app)
        settle(notifier, server)
        assert pressed.actions[1:] == [(Start(), NoticeKind.PROMPT)]
    finally:
        notifier.close()
        shell.stop()
        server.stop()


def test_only_the_shell_sending_is_not_enough(bus):
    """A signal from anyone but the server's owner is ignored, even when it is the only one."""
    server = NotificationServer(bus.address)
    pressed = Pressed()
    notifier = connected(bus, pressed)
    impostor = FakeService(bus.address, "org.example.Impostor")
    try:
        assert notifier.show(PROMPT)
        impostor.emit(PATH, BUS_NAME, "ActionInvoked", "us", (1, "skip"))
        settle(notifier, server)
        assert pressed.actions == []
    finally:
        notifier.close()
        impostor.stop()
        server.stop()


def test_a_new_server_owner_is_followed(bus):
    """The server restarts (new unique name): its actions count, the old one's do not."""
    first = NotificationServer(bus.address)
    pressed = Pressed()
    notifier = connected(bus, pressed)
    first.stop()
    second = NotificationServer(bus.address)
    try:
        assert notifier.show(PROMPT)
        second.signal("ActionInvoked", (1, "start"), to=_unique_name(notifier))
        wait_for(lambda: pressed.actions)
        assert pressed.actions == [(Start(), NoticeKind.PROMPT)]
    finally:
        notifier.close()
        second.stop()


def test_a_lost_bus_connection_is_opened_again_by_the_next_notice(tmp_path):
    pressed = Pressed()
    (tmp_path / "one").mkdir()
    with private_bus(tmp_path / "one") as first_bus:
        server = NotificationServer(first_bus.address)
        address = first_bus.address.split(",")[0]  # the path alone: a new bus has a new guid
        notifier = DBusNotifier(pressed, bus=address)
        assert notifier.connect() and notifier.show(PROMPT)
        server.stop()
    # The same address again, as a restarted session bus would have it.
    with private_bus(tmp_path / "one") as second_bus:
        assert second_bus.address.split(",")[0] == address
        server = NotificationServer(second_bus.address)
        try:
            assert notifier.show(PROMPT)
            assert len(server.notified()) == 1
        finally:
            notifier.close()
            server.stop()


def _unique_name(notifier: DBusNotifier) -> str:
    link = notifier._link  # the app's connection: GNOME's relay sends to exactly this name
    assert link is not None
    return link.unique_name


def test_close_ends_the_reader_promptly(bus):
    server = NotificationServer(bus.address)
    notifier = connected(bus, Pressed())
    try:
        threads = {t.name for t in threading.enumerate()}
        assert "notify-bus" in threads
        notifier.close()
        wait_for(lambda: "notify-bus" not in {t.name for t in threading.enumerate()}, 3)
    finally:
        server.stop()


def test_nothing_to_connect_to_says_no(tmp_path):
    notifier = DBusNotifier(Pressed(), bus=f"unix:path={tmp_path / 'nobody'}")
    assert not notifier.connect()
    assert not notifier.show(PROMPT)


def test_a_press_that_arrives_before_the_notify_reply_still_counts(bus):
    """The signal can overtake the reply's bookkeeping (a press within milliseconds, seen
    on GNOME): the consumer waits for the Notify in flight instead of dropping it."""
    server = NotificationServer(bus.address)
    pressed = Pressed()
    notifier = connected(bus, pressed)
    app = _unique_name(notifier)

    def press_then_answer(body: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
        server.next_id += 1
        server.signal("ActionInvoked", (server.next_id, "start"), to=app)
        time.sleep(0.3)  # the reply comes well after the press has been read
        return "u", (server.next_id,)

    server.methods[(PATH, BUS_NAME, "Notify")] = press_then_answer
    try:
        assert notifier.show(PROMPT)
        wait_for(lambda: pressed.actions)
        assert pressed.actions == [(Start(), NoticeKind.PROMPT)]
    finally:
        notifier.close()
        server.stop()


HOSTILE_TITLE = "Stand-up \u202eexe.fdp\u202c\x1b[2J " + "x" * 300
HOSTILE_BODY = 'Sync <img src="file:///etc/passwd"> <a href="https://e.example/">R&D</a> 1<2' \
               "\u2066\x07" + "\n" + "y" * 3000


def test_a_markup_server_receives_hostile_text_as_text_cleaned_and_bounded(bus):
    server = NotificationServer(bus.address, capabilities=(
        "actions", "body", "body-markup", "body-hyperlinks", "body-images"))
    notifier = connected(bus, Pressed())
    try:
        assert notifier.show(Notice(HOSTILE_TITLE, HOSTILE_BODY, kind=NoticeKind.ROUTINE))
        [(_app, _replaces, _icon, summary, body, *_rest)] = server.notified()
        assert summary == "Stand-up exe.fdp[2J " + "x" * 99 + "…"
        assert len(summary) == 120
        first, second = body.split("\n")
        assert first == ('Sync &lt;img src="file:///etc/passwd"&gt; '
                         '&lt;a href="https://e.example/"&gt;R&amp;D&lt;/a&gt; 1&lt;2')
        plain_first = HOSTILE_BODY.split("\u2066")[0]
        assert second == "y" * (1000 - len(plain_first) - 2) + "…"  # 1000 before escaping
    finally:
        notifier.close()
        server.stop()


def test_a_server_without_markup_receives_the_text_unescaped_but_cleaned(bus):
    server = NotificationServer(bus.address)
    notifier = connected(bus, Pressed())
    try:
        assert notifier.show(Notice("R&D <b>", "Sync <a href='x'>R&D</a>\u202e\x00"))
        [(_app, _replaces, _icon, summary, body, *_rest)] = server.notified()
        assert (summary, body) == ("R&D <b>", "Sync <a href='x'>R&D</a>")
    finally:
        notifier.close()
        server.stop()


def test_done_sent_to_the_app_by_another_connection_is_ignored(bus):
    """Anyone on the session bus can send ``ActionInvoked(id, "done")`` straight to the
    app; only the server's owner is believed."""
    server = NotificationServer(bus.address)
    pressed = Pressed()
    notifier = connected(bus, pressed)
    intruder = FakeService(bus.address, "org.example.Intruder")
    step = Notice("Step 2 of 5", "Wall sit", actions=((Done(), "Done"),),
                  kind=NoticeKind.STEP)
    try:
        assert notifier.show(step)
        app = _unique_name(notifier)
        message = new_signal(DBusAddress(PATH, interface=BUS_NAME), "ActionInvoked", "us",
                             (1, "done"))
        message.header.fields[HeaderFields.destination] = app
        intruder._send(message)
        settle(notifier, server)
        assert pressed.actions == []
        server.signal("ActionInvoked", (1, "done"), to=app)  # the same from the server counts
        wait_for(lambda: pressed.actions)
        assert pressed.actions == [(Done(), NoticeKind.STEP)]
    finally:
        notifier.close()
        intruder.stop()
        server.stop()


def test_a_step_notice_carries_its_picture_as_the_image_path_hint(bus, tmp_path):
    from movebreak.core.placement import Anchor
    from movebreak.guide.pictures import picture_path

    server = NotificationServer(bus.address, capabilities=("actions", "body", "body-images"))
    server.methods[(PATH, BUS_NAME, "GetServerInformation")] = lambda _b: (
        "ssss", ("dunst", "dunst", "1.9.0", "1.2"))
    (tmp_path / "dunst").mkdir()
    (tmp_path / "dunst" / "dunstrc").write_text("[global]\norigin = bottom-left\n")
    notifier = connected(bus, Pressed())
    try:
        picture = picture_path("lunges", 96)
        assert picture is not None and picture.is_file()
        assert notifier.show(Notice("Step 2 of 4: Lunges", "10 each side", picture=picture,
                                    kind=NoticeKind.STEP))
        assert notifier.show(Notice("Done: 2-minute reset", "Nice work.", kind=NoticeKind.ROUTINE))
        [step, done] = server.notified()
        assert step[6]["image-path"] == ("s", picture.resolve().as_uri())
        assert step[6]["image-path"][1].startswith("file:///")
        assert "image-path" not in done[6]
        assert "sound-name" not in step[6]  # the app plays its own sounds
        assert notifier.server_name == "dunst"
        # the fake server is this process: no -config on its command line, so XDG is read
        import os
        old = os.environ.get("XDG_CONFIG_HOME")
        os.environ["XDG_CONFIG_HOME"] = str(tmp_path)
        try:
            assert notifier.server_anchor() is Anchor.BOTTOM_LEFT
        finally:
            if old is None:
                del os.environ["XDG_CONFIG_HOME"]
            else:
                os.environ["XDG_CONFIG_HOME"] = old
    finally:
        notifier.close()
        server.stop()
