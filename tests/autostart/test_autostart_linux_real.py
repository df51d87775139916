"""The Linux entry for real: written by the CLI on a temporary HOME, checked by
``desktop-file-validate``, and started by GLib's own desktop-file launcher.

``desktop-file-validate`` comes from apt ``desktop-file-utils``; the launch tests use
PyGObject (the ``gtk`` extra). Missing ones skip here and fail under ``CI=true``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from movebreak import __version__
from movebreak.autostart.base import launch_command
from movebreak.autostart.cli import add_autostart_parser, run_autostart
from movebreak.autostart.linux import XdgAutostart
from tests.idle.dbus_fakes import require_program, wait_for

# A folder name with the characters the Exec key has to escape. A "%" in the program's
# own path is tested apart (test_a_deb_style_launcher_...): GLib looks the program up
# before it turns "%%" back into "%", so the entry starts it through /bin/sh.
AWKWARD_DIR = "My Apps $HOME `x` \"q\" it's \\ (1)"
REPO = Path(__file__).resolve().parents[2]


def run_cli(*argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="movebreak")
    add_autostart_parser(parser.add_subparsers(dest="command"))
    out, err = io.StringIO(), io.StringIO()
    code = run_autostart(parser.parse_args(["autostart", *argv]), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """The CLI's real path lookup (platformdirs, XDG variables) pointed at a temp HOME."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / ".local/share"))
    monkeypatch.delenv("FLATPAK_ID", raising=False)
    return tmp_path


def validate(path: Path) -> None:
    program = require_program("desktop-file-validate", "desktop-file-utils")
    done = subprocess.run([program, str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def gio():
    try:
        import gi

        gi.require_version("Gio", "2.0")
        from gi.repository import Gio
    except (ImportError, ValueError):
        message = "PyGObject is missing: pip install -e '.[gtk]' (see README, Pitfalls)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return Gio


def test_cli_enable_status_disable_on_a_temporary_home(home):
    entry = home / ".config/autostart/movebreak.desktop"
    assert run_cli("status")[:2] == (0, "not set: movebreak does not start at login "
                                        "(`movebreak autostart enable`)\n")
    code, out, _ = run_cli("enable")
    assert code == 0 and out == f"on: movebreak starts at login ({entry})\n"
    validate(entry)
    assert oct(entry.stat().st_mode & 0o777) == "0o644"
    assert not list(entry.parent.glob(".*.tmp"))  # the atomic write left nothing behind
    code, out, _ = run_cli("status", "--json")
    assert json.loads(out) == {
        "state": "enabled", "backend": "xdg", "location": str(entry),
        "command": list(launch_command()), "should_offer": False,
    }
    assert run_cli("disable")[:2] == (
        0, "off: you turned it off (`movebreak autostart enable` turns it on again)\n")
    assert not entry.exists()
    assert (home / ".local/share/movebreak/autostart-choice").read_text() == "disabled\n"
    assert json.loads(run_cli("status", "--json")[1])["state"] == "disabled-by-user"


def test_cli_reports_the_desktops_switch(home):
    run_cli("enable")
    entry = home / ".config/autostart/movebreak.desktop"
    entry.write_text(entry.read_text() + "X-GNOME-Autostart-enabled=false\n")
    code, out, _ = run_cli("status")
    assert code == 0
    assert out.startswith("off: switched off in your desktop's Startup Applications settings")


def test_cli_without_a_backend_exits_1(home, monkeypatch):
    monkeypatch.setenv("FLATPAK_ID", "io.github.movebreak")
    code, out, err = run_cli("enable")
    assert (code, out) == (1, "")
    assert err.startswith("movebreak: Start at login is unavailable here: inside Flatpak")


def test_awkward_paths_still_validate(tmp_path):
    backend = XdgAutostart(tmp_path / "autostart")
    backend.install((f"/opt/{AWKWARD_DIR} 100%/python", "-m", "movebreak", "tab\there"))
    validate(backend.path)


def test_glib_launches_exactly_our_command_from_an_awkward_path(tmp_path):
    """GLib (what GNOME, Xfce and Cinnamon use) reads our quoting back into our argv."""
    Gio = gio()
    folder = tmp_path / AWKWARD_DIR
    folder.mkdir()
    python = folder / "python"
    python.symlink_to(sys.executable)
    record = tmp_path / "argv.txt"
    code = "import sys, pathlib; pathlib.Path(sys.argv[1]).write_text(repr(sys.argv[2:]))"
    args = (str(python), "-c", code, str(record), "100%", "it's", 'say "hi"', "$HOME")
    backend = XdgAutostart(tmp_path / "autostart")
    backend.install(args)
    validate(backend.path)
    assert Gio.DesktopAppInfo.new_from_filename(str(backend.path)) is not None
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    launcher = ("import sys; from gi.repository import Gio; "
                "sys.exit(0 if Gio.DesktopAppInfo.new_from_filename(sys.argv[1])"
                ".launch([], None) else 1)")
    subprocess.run([sys.executable, "-c", launcher, str(backend.path)], env=env, check=True,
                   timeout=30)
    wait_for(record.exists, timeout=10)
    assert wait_for(record.read_text) == repr(["100%", "it's", 'say "hi"', "$HOME"])


def test_the_written_command_starts_this_install(tmp_path):
    """Exec= parsed the way GLib parses it runs this very movebreak (checked via --version)."""
    Gio = gio()
    from gi.repository import GLib

    backend = XdgAutostart(tmp_path / "autostart")
    backend.install(launch_command())
    info = Gio.DesktopAppInfo.new_from_filename(str(backend.path))
    _ok, argv = GLib.shell_parse_argv(info.get_commandline())
    assert tuple(argv) == launch_command()
    done = subprocess.run([*argv, "--version"], capture_output=True, text=True, timeout=60,
                          check=True, cwd=tmp_path)
    assert done.stdout.strip() == f"movebreak {__version__}"


def glib_exec_argv(entry: Path) -> list[str]:
    """The argv a GLib desktop runs for ``entry``: its parser, then ``%%`` undone.

    None of GLib's loaders accepting the file (an unfound program) fails here.
    """
    Gio = gio()
    from gi.repository import GLib

    info = Gio.DesktopAppInfo.new_from_filename(str(entry))  # raises if GLib drops it
    _ok, argv = GLib.shell_parse_argv(info.get_commandline())
    assert not any("%" in a.replace("%%", "") for a in argv), argv  # we write no field code
    return [a.replace("%%", "%") for a in argv]


def deb_like_install(root: Path) -> Path:
    """The .deb's layout under ``root``: its real launcher, and the app and libraries
    in a lib folder only that launcher puts on the path (as /usr/lib/movebreak)."""
    lib = root / "lib" / "movebreak"
    lib.mkdir(parents=True)
    (lib / "movebreak").symlink_to(REPO / "movebreak")
    site = next(Path(p) for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()
                and Path(p, "platformdirs").exists())
    for item in Path(site).iterdir():
        if not item.name.startswith(("movebreak", "__editable__", "_movebreak")):
            (lib / item.name).symlink_to(item)
    launcher = root / "bin" / "movebreak"
    launcher.parent.mkdir(parents=True)
    text = (REPO / "packaging/linux/deb/movebreak").read_text()
    assert '"/usr/lib/movebreak"' in text
    launcher.write_text(text.replace('"/usr/lib/movebreak"', repr(str(lib))))
    launcher.chmod(0o755)
    return launcher


def test_a_deb_style_launcher_in_a_percent_path_starts_from_its_entry(tmp_path):
    """Issue 15: the .deb's entry said ``/usr/bin/python3 -m movebreak``, which cannot
    import movebreak at login; and a program path with ``%`` made GLib drop the entry."""
    launcher = deb_like_install(tmp_path / "opt 100% sure")
    home = tmp_path / "home"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_DATA_HOME": str(home / "data"), "LANG": "C.UTF-8"}
    done = subprocess.run([str(launcher), "autostart", "enable"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    entry = home / "config/autostart/movebreak.desktop"
    validate(entry)
    argv = glib_exec_argv(entry)
    assert argv[-1] == str(launcher)
    login = {k: v for k, v in env.items() if k != "MOVEBREAK_LAUNCHER"}  # a login's env
    done = subprocess.run([*argv, "--version"], env=login, cwd=home, capture_output=True,
                          text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, f"movebreak {__version__}"), done.stderr
