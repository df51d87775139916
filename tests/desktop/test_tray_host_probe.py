"""The tray-host probe on real X servers: trayer's selection is seen, a bare server has none."""

from __future__ import annotations

import pytest

from movebreak.tray.backend import _xembed_tray_present, choose_backend
from tests.idle.xvfb import private_x_server

pytestmark = pytest.mark.desktop


def test_the_probe_sees_trayer_and_not_a_server_without_a_tray(desktop, monkeypatch):
    monkeypatch.setenv("DISPLAY", desktop.display)
    assert _xembed_tray_present()
    with private_x_server() as bare:
        monkeypatch.setenv("DISPLAY", bare.display)
        assert not _xembed_tray_present()
        choice = choose_backend({"DISPLAY": bare.display})
        assert choice.backend is None and "no system tray host" in choice.reason
    monkeypatch.setenv("DISPLAY", ":999")  # no server at all
    assert not _xembed_tray_present()
