"""What each platform's entry contains: the .desktop text, the plist, the Run value."""

from __future__ import annotations

import plistlib
from pathlib import PurePath, PureWindowsPath

import pytest

from movebreak.autostart.base import AutostartUnavailable, EntryState, launch_command
from movebreak.autostart.linux import (
    desktop_entry,
    entry_state_of,
    exec_value,
    quote_exec_argument,
    read_entry_keys,
)
from movebreak.autostart.macos import entry_state_of as plist_state_of
from movebreak.autostart.macos import launch_agent_bytes
from movebreak.autostart.windows import approved, run_value

# ------------------------------------------------------------------ the command


def test_a_venv_install_runs_its_own_interpreter_unresolved(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    argv = launch_command(".venv/bin/python", frozen=False, platform="linux", launcher="",
                          exists=lambda path: False)
    assert argv == (str(tmp_path / ".venv/bin/python"), "-m", "movebreak")


def test_a_launcher_that_named_itself_is_the_command():
    """The .deb: /usr/bin/python3 cannot import movebreak, only its launcher can."""
    argv = launch_command("/usr/bin/python3", frozen=False, platform="linux",
                          launcher="/usr/bin/movebreak", started_as="/usr/bin/movebreak",
                          in_venv=False, exists=lambda path: True)
    assert argv == ("/usr/bin/movebreak",)


def test_an_inherited_launcher_variable_names_another_install():
    """The app's children inherit $MOVEBREAK_LAUNCHER; a pipx movebreak among them is not it."""
    argv = launch_command("/home/a/.local/pipx/venvs/movebreak/bin/python", frozen=False,
                          platform="linux", launcher="/usr/bin/movebreak",
                          started_as="/home/a/.local/bin/movebreak", in_venv=True,
                          exists=lambda path: True)
    assert argv == ("/home/a/.local/pipx/venvs/movebreak/bin/movebreak",)


def test_a_venv_install_runs_its_console_script():
    def exists(path: PurePath) -> bool:
        return str(path) == "/home/a/venv/bin/movebreak"

    argv = launch_command("/home/a/venv/bin/python", frozen=False, platform="linux",
                          launcher="", started_as="-c", in_venv=True, exists=exists)
    assert argv == ("/home/a/venv/bin/movebreak",)


def test_beside_a_system_interpreter_the_script_may_be_another_installs():
    """``pip install --user`` on a machine with the .deb: /usr/bin/movebreak is the .deb's."""
    argv = launch_command("/usr/bin/python3", frozen=False, platform="linux", launcher="",
                          started_as="/home/a/.local/bin/movebreak", in_venv=False,
                          exists=lambda path: True)
    assert argv == ("/usr/bin/python3", "-m", "movebreak")


def test_a_frozen_build_is_its_own_command():
    assert launch_command("/opt/movebreak/movebreak", frozen=True, platform="linux") == (
        "/opt/movebreak/movebreak",)


def test_windows_prefers_pythonw_so_no_console_opens_at_login():
    python = r"C:\Users\Ann\AppData\Local\movebreak\venv\Scripts\python.exe"
    seen: list[PurePath] = []

    def exists(path: PurePath) -> bool:
        seen.append(path)
        return True

    argv = launch_command(python, frozen=False, platform="win32", exists=exists)
    assert argv == (python.replace("python.exe", "pythonw.exe"), "-m", "movebreak")
    assert seen == [PureWindowsPath(python).with_name("pythonw.exe")]
    assert launch_command(python, frozen=False, platform="win32", exists=lambda p: False)[0] \
        == python


def test_no_interpreter_path_means_unavailable():
    with pytest.raises(AutostartUnavailable):
        launch_command("", frozen=False, platform="linux")


# ------------------------------------------------------------------ Linux


@pytest.mark.parametrize(("argument", "quoted"), [
    ("movebreak", "movebreak"),
    ("-m", "-m"),
    ("/home/ann/My Apps/python", '"/home/ann/My Apps/python"'),
    ("/opt/$HOME`x`", '"/opt/\\$HOME\\`x\\`"'),
    ('say "hi"', '"say \\"hi\\""'),
    ("back\\slash", '"back\\\\slash"'),
    ("100%", "100%%"),
    ("", '""'),
])
def test_exec_arguments_are_quoted_as_the_spec_says(argument, quoted):
    assert quote_exec_argument(argument) == quoted


def test_the_exec_value_doubles_backslashes_once_more():
    # Quoting makes \\ of a backslash; the value's string escaping doubles both.
    assert exec_value(("/x\\y/python", "-m", "movebreak")) == '"/x\\\\\\\\y/python" -m movebreak'


def test_a_program_path_with_a_percent_starts_through_a_plain_shell():
    # GLib looks up "/opt/100%% off/movebreak" literally and drops the entry.
    assert exec_value(("/opt/100% off/movebreak", "-v")) == (
        '/bin/sh -c "exec \\\\"\\\\$0\\\\" \\\\"\\\\$@\\\\"" "/opt/100%% off/movebreak" -v')
    assert exec_value(("/opt/movebreak", "100%")) == "/opt/movebreak 100%%"


def test_the_entry_names_the_app_and_its_exact_command():
    text = desktop_entry(("/usr/bin/python3", "-m", "movebreak"))
    keys = read_entry_keys(text)
    assert keys["Type"] == "Application"
    assert keys["Name"] == "movebreak"
    assert keys["Exec"] == "/usr/bin/python3 -m movebreak"
    assert keys["X-GNOME-Autostart-enabled"] == "true"
    assert "Hidden" not in keys
    assert entry_state_of(text) is EntryState.ACTIVE


@pytest.mark.parametrize("switch", ["Hidden=true", "X-GNOME-Autostart-enabled=false",
                                    "Hidden = True"])
def test_the_desktops_own_switch_reads_as_switched_off(switch):
    text = desktop_entry(("/usr/bin/python3",)) + switch + "\n"
    assert entry_state_of(text) is EntryState.SWITCHED_OFF


def test_only_the_desktop_entry_group_and_plain_keys_count():
    text = ("[Desktop Entry]\nName=x\nHidden[de]=true\n"
            "[Desktop Action other]\nHidden=true\n")
    assert entry_state_of(text) is EntryState.ACTIVE


# ------------------------------------------------------------------ macOS


def test_launch_agent_runs_at_load_and_does_not_keep_alive():
    argv = ("/Applications/movebreak.app/Contents/MacOS/movebreak",)
    agent = plistlib.loads(launch_agent_bytes(argv))
    assert agent == {
        "Label": "io.github.movebreak",
        "ProgramArguments": list(argv),
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    }
    assert b"<!DOCTYPE plist" in launch_agent_bytes(argv)  # XML, as launchd reads it


def test_launchd_disabled_key_and_broken_plists():
    good = launch_agent_bytes(("/bin/true",))
    assert plist_state_of(good) is EntryState.ACTIVE
    disabled = plistlib.dumps({**plistlib.loads(good), "Disabled": True})
    assert plist_state_of(disabled) is EntryState.SWITCHED_OFF
    assert plist_state_of(b"not a plist") is EntryState.SWITCHED_OFF


# ------------------------------------------------------------------ Windows


@pytest.mark.parametrize(("argv", "value"), [
    ((r"C:\Program Files\movebreak\movebreak.exe",),
     r'"C:\Program Files\movebreak\movebreak.exe"'),
    ((r"C:\Python311\pythonw.exe", "-m", "movebreak"),
     r'"C:\Python311\pythonw.exe" -m movebreak'),
    ((r"C:\py\pythonw.exe", "--name", "two words", 'a"b'),
     r'"C:\py\pythonw.exe" --name "two words" a\"b'),
])
def test_run_value_quotes_the_program_always(argv, value):
    assert run_value(argv) == value


FILETIME_2026 = (134_100_000_000_000_000).to_bytes(8, "little")


@pytest.mark.parametrize(("flag", "runs"), [
    (None, True),  # Task Manager never touched it
    (b"", True),
    (bytes([2]) + bytes(11), True),  # "Enabled"
    (bytes([6]) + bytes(11), True),
    (bytes([0]) + bytes(11), True),
    (bytes([3, 0, 0, 0]) + FILETIME_2026, False),  # switched off, with the time it was
    (bytes([7, 0, 0, 0]) + FILETIME_2026, False),
    ("unexpected string", True),
])
def test_startup_approved_flag(flag, runs):
    assert approved(flag) is runs
