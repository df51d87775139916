"""Do-not-disturb from the notification server over a real (private) session bus.

A stand-in for Plasma's notification server owns ``org.freedesktop.Notifications``
and serves its ``Inhibited`` property; dunst's own ``paused`` is tested against the
real dunst in tests/desktop/test_quiet.py.
"""

from __future__ import annotations

import pytest

from movebreak.quiet.base import QuietReason
from movebreak.quiet.dbus import NOTIFICATIONS, NOTIFICATIONS_PATH
from movebreak.quiet.detect import detect
from tests.idle.dbus_fakes import FakeService


@pytest.fixture
def plasma(bus):
    service = FakeService(bus.address, NOTIFICATIONS)
    service.properties[(NOTIFICATIONS_PATH, NOTIFICATIONS, "Inhibited")] = ("b", False)
    yield service
    service.stop()


def env_for(bus) -> dict[str, str]:
    return {"DBUS_SESSION_BUS_ADDRESS": bus.address, "XDG_CURRENT_DESKTOP": "KDE"}


def test_plasma_inhibited_holds_prompts_and_releases_them(bus, plasma):
    detector = detect(env_for(bus), platform="linux")
    try:
        assert detector.probe_names == ["notifications-inhibited"]  # no dunst interface
        assert detector.quiet_reason() is None
        plasma.properties[(NOTIFICATIONS_PATH, NOTIFICATIONS, "Inhibited")] = ("b", True)
        assert detector.quiet_reason() is QuietReason.DO_NOT_DISTURB
        plasma.properties[(NOTIFICATIONS_PATH, NOTIFICATIONS, "Inhibited")] = ("b", False)
        assert detector.quiet_reason() is None
    finally:
        detector.close()


def test_a_server_without_the_property_is_not_asked_again(bus):
    service = FakeService(bus.address, NOTIFICATIONS)  # answers no property at all
    try:
        detector = detect(env_for(bus), platform="linux")
        assert detector.probe_names == []
        asked = len(service.calls)
        assert detector.quiet_reason() is None
        assert len(service.calls) == asked
        detector.close()
    finally:
        service.stop()


def test_a_server_that_leaves_drops_the_probe(bus, plasma, caplog):
    detector = detect(env_for(bus), platform="linux")
    try:
        plasma.stop()
        assert detector.quiet_reason() is None
        assert detector.probe_names == []
        assert "notifications-inhibited stopped answering" in caplog.text
    finally:
        detector.close()


def test_plasmas_property_signal_is_passed_on_at_once(bus, plasma):
    """Plasma sends ``PropertiesChanged`` for ``Inhibited``: the app looks again then."""
    import threading

    from movebreak.quiet.dbus import PROPERTIES

    detector = detect(env_for(bus), platform="linux")
    changed = threading.Event()
    try:
        assert detector.on_change(changed.set) == ["notifications-inhibited"]
        plasma.emit(NOTIFICATIONS_PATH, PROPERTIES, "PropertiesChanged", "sa{sv}as",
                    ("org.freedesktop.Notifications.Other", {"Inhibited": ("b", True)}, []))
        plasma.emit(NOTIFICATIONS_PATH, PROPERTIES, "PropertiesChanged", "sa{sv}as",
                    (NOTIFICATIONS, {"Something": ("b", True)}, []))
        assert not changed.wait(0.3)  # another interface, another property: not ours
        plasma.properties[(NOTIFICATIONS_PATH, NOTIFICATIONS, "Inhibited")] = ("b", True)
        plasma.emit(NOTIFICATIONS_PATH, PROPERTIES, "PropertiesChanged", "sa{sv}as",
                    (NOTIFICATIONS, {"Inhibited": ("b", True)}, []))
        assert changed.wait(5)
        assert detector.quiet_reason() is QuietReason.DO_NOT_DISTURB
    finally:
        detector.close()
