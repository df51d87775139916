"""How a mako mode is recognised as do-not-disturb (config parsing; pure).

The probe's D-Bus side runs against a real mako in ``tests/desktop/test_sway.py``.
"""

from __future__ import annotations

from pathlib import Path

from movebreak.quiet.dbus import mako_config_modes, mako_config_paths

CONFIG = """
# mine
font=monospace 10
[urgency=low]
invisible=1

[mode=do-not-disturb]
invisible=1

[mode=meeting]
invisible = true

[mode=quiet-lows urgency=low]
invisible=1

[mode=loud]
invisible=0

[mode="dnd" app-name=movebreak]
invisible=1

[mode=others app-name=firefox]
invisible=1
"""


def test_modes_that_hide_everything_count() -> None:
    modes = mako_config_modes(CONFIG)
    assert modes == {"do-not-disturb": True, "meeting": True, "loud": False, "dnd": True}


def test_a_mode_hiding_only_some_notifications_is_not_dnd() -> None:
    modes = mako_config_modes(CONFIG)
    assert "quiet-lows" not in modes
    assert "others" not in modes


def test_global_invisible_is_not_a_mode() -> None:
    assert mako_config_modes("invisible=1\n") == {}


def test_config_path_from_the_servers_command_line() -> None:
    env = {"HOME": "/h"}
    assert mako_config_paths(env, ["mako", "-c", "/etc/m.conf"]) == [Path("/etc/m.conf")]
    assert mako_config_paths(env, ["mako", "--config=/x"]) == [Path("/x")]


def test_config_paths_default_like_mako() -> None:
    assert mako_config_paths({"HOME": "/h"}, ["mako"]) == [
        Path("/h/.config/mako/config"), Path("/h/.mako/config")]
    assert mako_config_paths({"HOME": "/h", "XDG_CONFIG_HOME": "/c"})[0] == Path(
        "/c/mako/config")
