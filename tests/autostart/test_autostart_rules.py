"""The user's decision is kept: states, should_offer(), and the Windows switch respected.

Linux and macOS backends run for real on a temporary HOME (they are just files);
the Windows one runs against a dictionary standing in for HKEY_CURRENT_USER.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from movebreak.autostart.base import AutostartState, AutostartUnavailable
from movebreak.autostart.linux import XdgAutostart
from movebreak.autostart.macos import LaunchAgentAutostart
from movebreak.autostart.service import (
    CHOICE_FILE,
    Autostart,
    backend_for,
    detect,
    for_platform,
)
from movebreak.autostart.windows import APPROVED_KEY, RUN_KEY, RunKeyAutostart

COMMAND = ("/opt/venv/bin/python", "-m", "movebreak")


class DictRegistry:
    """HKCU as a dictionary: ``{(key, value name): data}``."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str | bytes | int] = {}

    def read(self, key: str, name: str) -> str | bytes | int | None:
        return self.values.get((key, name))

    def write_string(self, key: str, name: str, value: str) -> None:
        self.values[(key, name)] = value

    def delete(self, key: str, name: str) -> None:
        self.values.pop((key, name), None)


@pytest.fixture
def xdg(tmp_path: Path) -> Autostart:
    return Autostart(XdgAutostart(tmp_path / "config" / "autostart"), tmp_path / "data" /
                     CHOICE_FILE, COMMAND)


def app_start(autostart: Autostart) -> None:
    """What the app may do at start-up: set autostart up only if never asked."""
    if autostart.should_offer():
        autostart.enable()


def test_nothing_set_means_the_app_may_offer(xdg):
    assert xdg.status() is AutostartState.NOT_SET
    assert xdg.should_offer()


def test_enable_writes_the_entry_and_records_the_choice(xdg):
    assert xdg.enable() is AutostartState.ENABLED
    assert xdg.backend.path.read_text().count("Exec=/opt/venv/bin/python -m movebreak") == 1
    assert xdg.choice_file.read_text() == "enabled\n"
    assert not xdg.should_offer()


def test_once_disabled_the_app_never_turns_it_back_on(xdg):
    xdg.enable()
    assert xdg.disable() is AutostartState.DISABLED_BY_USER
    assert not xdg.backend.path.exists()
    for _restart in range(3):
        app_start(xdg)
    assert xdg.status() is AutostartState.DISABLED_BY_USER
    assert not xdg.backend.path.exists()


def test_an_entry_deleted_outside_the_app_is_the_users_no(xdg):
    xdg.enable()
    xdg.backend.path.unlink()  # GNOME Tweaks' "Startup Applications" deletes the file
    assert xdg.status() is AutostartState.DISABLED_BY_USER
    app_start(xdg)
    assert not xdg.backend.path.exists()


def test_the_desktops_switch_reads_as_disabled_by_system(xdg):
    xdg.enable()
    with xdg.backend.path.open("a") as entry:
        entry.write("Hidden=true\n")
    assert xdg.status() is AutostartState.DISABLED_BY_SYSTEM
    assert not xdg.should_offer()
    assert xdg.enable() is AutostartState.ENABLED  # the user asks explicitly: our file


def test_an_entry_added_back_by_hand_is_reported_enabled(xdg):
    xdg.disable()
    xdg.backend.install(COMMAND)
    assert xdg.status() is AutostartState.ENABLED


def test_a_damaged_choice_record_counts_as_none(xdg):
    xdg.choice_file.parent.mkdir(parents=True)
    xdg.choice_file.write_bytes(b"\xff\xfe maybe")
    assert xdg.status() is AutostartState.NOT_SET


def test_launch_agent_on_a_temporary_home(tmp_path):
    mac = Autostart(LaunchAgentAutostart(tmp_path), tmp_path / CHOICE_FILE, COMMAND)
    assert mac.enable() is AutostartState.ENABLED
    assert (tmp_path / "Library/LaunchAgents/io.github.movebreak.plist").is_file()
    assert mac.disable() is AutostartState.DISABLED_BY_USER
    assert not (tmp_path / "Library/LaunchAgents/io.github.movebreak.plist").exists()


# ------------------------------------------------------------------ Windows


@pytest.fixture
def windows(tmp_path: Path) -> Autostart:
    return Autostart(RunKeyAutostart(DictRegistry()), tmp_path / CHOICE_FILE,
                     (r"C:\py\pythonw.exe", "-m", "movebreak"))


def test_windows_enable_writes_the_run_value(windows):
    assert windows.enable() is AutostartState.ENABLED
    registry = windows.backend.registry
    assert registry.values == {
        (RUN_KEY, "movebreak"): r'"C:\py\pythonw.exe" -m movebreak'}


def test_task_managers_off_is_reported_and_never_overwritten(windows):
    windows.enable()
    off = bytes([3, 0, 0, 0]) + bytes(range(8))
    registry = windows.backend.registry
    registry.values[(APPROVED_KEY, "movebreak")] = off  # the user, in Task Manager
    assert windows.status() is AutostartState.DISABLED_BY_SYSTEM
    assert windows.enable() is AutostartState.DISABLED_BY_SYSTEM
    assert registry.values[(APPROVED_KEY, "movebreak")] == off
    app_start(windows)
    assert registry.values[(APPROVED_KEY, "movebreak")] == off


def test_windows_disable_removes_only_our_run_value(windows):
    windows.enable()
    registry = windows.backend.registry
    registry.values[(RUN_KEY, "SomeoneElse")] = "other.exe"
    assert windows.disable() is AutostartState.DISABLED_BY_USER
    assert registry.values == {(RUN_KEY, "SomeoneElse"): "other.exe"}


# ------------------------------------------------------------------ choosing a backend


def test_linux_uses_xdg_config_home_or_home(tmp_path):
    chosen = backend_for("linux", {"XDG_CONFIG_HOME": str(tmp_path / "c"), "HOME": "/nope"})
    assert chosen.location == str(tmp_path / "c/autostart/movebreak.desktop")
    relative = backend_for("linux", {"XDG_CONFIG_HOME": "rel", "HOME": str(tmp_path)})
    assert relative.location == str(tmp_path / ".config/autostart/movebreak.desktop")


def test_macos_uses_launch_agents(tmp_path):
    chosen = backend_for("darwin", {"HOME": str(tmp_path)})
    assert chosen.location == str(tmp_path / "Library/LaunchAgents/io.github.movebreak.plist")


@pytest.mark.parametrize(("platform", "env", "why"), [
    ("linux", {"FLATPAK_ID": "io.github.movebreak"}, "Flatpak"),
    ("win32", {}, "registry"),  # no winreg off Windows
    ("sunos5", {}, "sunos5"),
])
def test_unsupported_places_say_why(tmp_path, platform, env, why):
    with pytest.raises(AutostartUnavailable, match=why):
        for_platform(tmp_path, platform=platform, env=env)


def test_detect_logs_one_line_and_returns_none(tmp_path, caplog):
    with caplog.at_level(logging.INFO, logger="movebreak.autostart"):
        assert detect(tmp_path, platform="linux", env={"FLATPAK_ID": "x"}) is None
    assert len(caplog.records) == 1
    assert caplog.records[0].levelno == logging.WARNING
    assert "Start at login is unavailable" in caplog.records[0].getMessage()
