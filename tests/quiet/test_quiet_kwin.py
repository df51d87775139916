"""The KWin fullscreen probe's D-Bus side, against a stand-in for KWin on a private bus.

The stand-in owns ``org.kde.KWin`` and answers ``loadScript``/``start``/``unloadScript``
as KWin 5.27 does; instead of running the script it reads the probe's bus name out of
it and calls ``Report`` there, as the script's ``callDBus`` would. Real KWin running
the real script is tested in tests/desktop/wayland/test_kde.py.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import open_dbus_connection
from jeepney.wrappers import unwrap_msg

from movebreak.quiet import kwin
from movebreak.quiet.base import QuietReason, QuietUnavailable
from movebreak.quiet.detect import detect
from tests.idle.dbus_fakes import FakeService


class FakeKWin:
    """``org.kde.KWin``'s scripting calls; ``report(value)`` plays the loaded script."""

    def __init__(self, address: str, first_report: bool | None = False,
                 script_id: int = 0) -> None:
        self.address = address
        self.service = FakeService(address, kwin.KWIN)
        self.scripts: dict[str, str] = {}  # name -> the probe's bus name, from the source
        self.sources: dict[str, str] = {}
        self.unloaded: list[str] = []
        methods = self.service.methods
        methods[("/Scripting", kwin.SCRIPTING_INTERFACE, "loadScript")] = self._load
        methods[("/Scripting", kwin.SCRIPTING_INTERFACE, "start")] = self._start
        methods[("/Scripting", kwin.SCRIPTING_INTERFACE, "unloadScript")] = self._unload
        self._first_report = first_report
        self._script_id = script_id

    def _load(self, body):
        path, name = body
        source = Path(path).read_text()
        self.sources[name] = source
        self.scripts[name] = re.search(r'var SERVICE = "([^"]+)";', source).group(1)
        return "i", (self._script_id,)

    def _start(self, body):
        if self._first_report is not None:  # KWin runs the script after answering
            threading.Thread(target=self.report, args=(self._first_report,)).start()
        return None, ()

    def _unload(self, body):
        self.unloaded.append(body[0])
        return "b", (True,)

    def report(self, value: bool) -> None:
        """What the script's ``callDBus(SERVICE, PATH, IFACE, "Report", value)`` sends."""
        (service,) = self.scripts.values()
        with open_dbus_connection(bus=self.address) as connection:
            unwrap_msg(connection.send_and_get_reply(new_method_call(
                DBusAddress(kwin.REPORT_PATH, bus_name=service,
                            interface=kwin.REPORT_INTERFACE), "Report", "b", (value,)),
                timeout=5))

    def stop(self) -> None:
        self.service.stop()


@pytest.fixture
def fake_kwin(bus):
    fake = FakeKWin(bus.address)
    yield fake
    fake.stop()


def env_for(bus, tmp_path: Path) -> dict[str, str]:
    return {"DBUS_SESSION_BUS_ADDRESS": bus.address, "XDG_RUNTIME_DIR": str(tmp_path),
            "XDG_CURRENT_DESKTOP": "KDE", "XDG_SESSION_TYPE": "wayland",
            "WAYLAND_DISPLAY": str(tmp_path / "no-compositor")}


def test_reports_from_the_script_hold_and_release_prompts(bus, fake_kwin, tmp_path):
    probe = kwin.KWinFullscreenProbe(env_for(bus, tmp_path))
    try:
        assert probe.sees_fullscreen is True
        assert probe.reason() is None  # the first report (no fullscreen window) came
        fake_kwin.report(True)  # returns once the probe answered: the value is in
        assert probe.reason() is QuietReason.FULLSCREEN
        fake_kwin.report(False)
        assert probe.reason() is None
        (name,) = fake_kwin.scripts
        assert fake_kwin.scripts[name] == probe._bus.unique_name
        scripts = list(tmp_path.glob("movebreak-kwin-*.js"))
        assert len(scripts) == 1 and '"Report"' in scripts[0].read_text()
    finally:
        probe.close()
    assert fake_kwin.unloaded == [name]
    assert not list(tmp_path.glob("movebreak-kwin-*.js"))  # the script file is gone too
    with pytest.raises(QuietUnavailable):
        probe.reason()


def test_a_changed_report_calls_back_once(bus, fake_kwin, tmp_path):
    probe = kwin.KWinFullscreenProbe(env_for(bus, tmp_path))
    calls: list[bool] = []
    try:
        probe.on_change(lambda: calls.append(probe.reason() is QuietReason.FULLSCREEN))
        fake_kwin.report(False)  # the same answer again: nothing to look at
        fake_kwin.report(True)
        fake_kwin.report(True)
        fake_kwin.report(False)
        assert calls == [True, False]  # each call came before the report's reply
    finally:
        probe.close()


def test_other_calls_to_the_probe_get_an_error(bus, fake_kwin, tmp_path):
    probe = kwin.KWinFullscreenProbe(env_for(bus, tmp_path))
    try:
        with open_dbus_connection(bus=bus.address) as connection:
            reply = connection.send_and_get_reply(new_method_call(
                DBusAddress("/elsewhere", bus_name=probe._bus.unique_name,
                            interface=kwin.REPORT_INTERFACE), "Report", "b", (True,)),
                timeout=5)
        assert reply.header.fields  # answered, not left hanging
        assert probe.reason() is None
    finally:
        probe.close()


def test_without_kwin_the_probe_is_unavailable(bus, tmp_path):
    with pytest.raises(QuietUnavailable, match="KWin is not on the session bus"):
        kwin.KWinFullscreenProbe(env_for(bus, tmp_path))


def test_a_script_that_never_reports_is_unloaded(bus, tmp_path, monkeypatch):
    monkeypatch.setattr(kwin, "FIRST_REPORT_TIMEOUT_S", 0.3)
    fake = FakeKWin(bus.address, first_report=None)
    try:
        with pytest.raises(QuietUnavailable, match="never reported"):
            kwin.KWinFullscreenProbe(env_for(bus, tmp_path))
        assert fake.unloaded == list(fake.scripts)
    finally:
        fake.stop()


def test_a_script_kwin_refuses_makes_the_probe_unavailable(bus, tmp_path):
    fake = FakeKWin(bus.address, script_id=-1)
    try:
        with pytest.raises(QuietUnavailable, match="did not load"):
            kwin.KWinFullscreenProbe(env_for(bus, tmp_path))
    finally:
        fake.stop()


def test_detection_uses_it_on_kde_wayland_only(bus, fake_kwin, tmp_path):
    env = env_for(bus, tmp_path)
    detector = detect(env, platform="linux")
    try:
        assert "kwin-fullscreen" in detector.probe_names
        assert "wayland-fullscreen" not in detector.probe_names  # no compositor at all here
    finally:
        detector.close()
    detector = detect(env | {"XDG_CURRENT_DESKTOP": "sway"}, platform="linux")
    try:
        assert "kwin-fullscreen" not in detector.probe_names
    finally:
        detector.close()


@pytest.mark.parametrize(("desktop", "kde"), [
    ("KDE", True), ("kde", True), ("ubuntu:KDE", True), ("GNOME", False), ("", False),
    ("KDE-like", False),
])
def test_which_desktops_are_kde(desktop, kde):
    assert kwin.is_kde({"XDG_CURRENT_DESKTOP": desktop}) is kde


def test_the_bus_name_goes_into_the_script_as_a_string_literal():
    source = kwin.script_source(':1.42"; evil()')
    assert 'var SERVICE = ":1.42\\"; evil()";' in source
    assert f'"{kwin.REPORT_PATH}"' in source and f'"{kwin.REPORT_INTERFACE}"' in source
