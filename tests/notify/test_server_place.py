"""Where the running notification server draws: its name, its config where cheap to read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from movebreak.core.placement import Anchor
from movebreak.notify.server_place import notification_anchor
from tests.idle.dbus_fakes import wait_for


def test_a_dunst_started_with_its_own_config_is_read_there(tmp_path: Path) -> None:
    rc = tmp_path / "my dunstrc"
    rc.write_text("[global]\n    origin = bottom-left\n")
    # a process whose command line is what "dunst -config FILE" leaves in /proc
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)",
                              "-config", str(rc)])
    try:
        # a just-started process shows an empty command line for a moment; a server has
        # long been running when the app asks
        wait_for(lambda: b"-config" in Path(f"/proc/{child.pid}/cmdline").read_bytes())
        assert notification_anchor("dunst", child.pid, {"HOME": str(tmp_path)}) \
            is Anchor.BOTTOM_LEFT
    finally:
        child.kill()
        child.wait()


def test_dunst_and_mako_configs_in_the_xdg_folder(tmp_path: Path) -> None:
    (tmp_path / "dunst").mkdir()
    (tmp_path / "dunst" / "dunstrc").write_text("[global]\norigin = bottom-right\n")
    (tmp_path / "mako").mkdir()
    (tmp_path / "mako" / "config").write_text("anchor=bottom-center\n")
    env = {"XDG_CONFIG_HOME": str(tmp_path), "XDG_CONFIG_DIRS": str(tmp_path / "none")}
    assert notification_anchor("dunst", None, env) is Anchor.BOTTOM_RIGHT
    assert notification_anchor("mako", None, env) is Anchor.BOTTOM_CENTER


def test_no_config_or_an_unreadable_one_is_the_servers_default(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path), "XDG_CONFIG_DIRS": str(tmp_path / "none")}
    assert notification_anchor("dunst", 2**22 + 7, env) is Anchor.TOP_RIGHT  # no such pid
    (tmp_path / "dunst").mkdir()
    (tmp_path / "dunst" / "dunstrc").write_text("[global]\nfont = Sans\n")
    assert notification_anchor("dunst", None, env) is Anchor.TOP_RIGHT
    assert notification_anchor("GNOME Shell", None, env) is Anchor.TOP_CENTER
    assert notification_anchor(None, None, env) is Anchor.TOP_RIGHT
