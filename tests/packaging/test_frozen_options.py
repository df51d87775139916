"""The PyInstaller spec's per-OS settings, checked here for the OSes we cannot build on."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

import pytest

ICONS = Path("/icons")


@pytest.mark.parametrize(
    ("platform", "name"), [("linux", "LINUX"), ("darwin", "MACOS"), ("win32", "WINDOWS")]
)
def test_targets_are_named_as_sys_platform_names_them(frozen_options, platform, name):
    assert frozen_options.TargetOS.of(platform) is frozen_options.TargetOS[name]


def test_an_unknown_platform_is_refused(frozen_options):
    with pytest.raises(ValueError, match="freebsd"):
        frozen_options.TargetOS.of("freebsd14")


def test_macos_is_a_menu_bar_app_with_a_bundle_identifier(frozen_options):
    options = frozen_options.options_for(frozen_options.TargetOS.MACOS, ICONS, "1.2.3")
    bundle = options.bundle
    assert bundle is not None
    assert bundle.name == "movebreak.app"
    assert bundle.identifier == "io.github.movebreak.movebreak"
    assert bundle.icon == "/icons/movebreak.icns"
    assert bundle.info_plist["LSUIElement"] is True
    assert bundle.info_plist["CFBundleShortVersionString"] == "1.2.3"
    assert options.console is False
    assert "plyer.platforms.macosx.notification" in options.hidden_imports


def test_windows_is_windowed_with_its_icon_and_tzdata(frozen_options):
    options = frozen_options.options_for(frozen_options.TargetOS.WINDOWS, ICONS, "1.2.3")
    assert options.console is False
    assert options.icon == "/icons/movebreak.ico"
    assert options.bundle is None
    assert {"plyer.platforms.win.notification", "tzdata"} <= set(options.hidden_imports)


def test_linux_keeps_a_console_and_leaves_gtk_to_the_system(frozen_options):
    options = frozen_options.options_for(frozen_options.TargetOS.LINUX, ICONS, "1.2.3")
    assert options.console is True
    assert "gi" in options.excludes
    assert options.hidden_imports == ("plyer.platforms.linux.notification",)


@pytest.mark.parametrize("target", ["LINUX", "MACOS", "WINDOWS"])
def test_each_plyer_hidden_import_names_a_real_module(frozen_options, target):
    name = frozen_options.plyer_notification(frozen_options.TargetOS[target])
    package = find_spec("plyer")
    assert package is not None and package.origin is not None
    module = Path(package.origin).parent.joinpath(*name.split(".")[1:]).with_suffix(".py")
    assert module.is_file(), name


def test_lgpl_modules_leave_the_pyz_and_nothing_else_does(frozen_options):
    pure = [
        ("pystray", "/s/pystray/__init__.py", "PYMODULE"),
        ("pystray._xorg", "/s/pystray/_xorg.py", "PYMODULE"),
        ("pystray_helpers", "/s/pystray_helpers.py", "PYMODULE"),
        ("x_wr_timezone", "/s/x_wr_timezone.py", "PYMODULE"),
        ("movebreak.tray.icon", "/s/movebreak/tray/icon.py", "PYMODULE"),
    ]
    kept, moved = frozen_options.split_pure(pure, {"pystray", "x_wr_timezone"})
    assert [m[0] for m in moved] == ["pystray", "pystray._xorg", "x_wr_timezone"]
    assert [k[0] for k in kept] == ["pystray_helpers", "movebreak.tray.icon"]


def test_the_replaceable_packages_are_found_from_metadata_with_their_sources(frozen_options):
    found = {p.name: p for p in frozen_options.replaceable_packages()}
    assert {"pystray", "recurring-ical-events", "x-wr-timezone"} <= set(found)
    pystray = found["pystray"]
    destinations = {dest for dest, _src in pystray.files}
    assert "lgpl/pystray" in destinations
    sources = [Path(src) for _dest, src in pystray.files]
    assert all(s.is_file() and s.suffix != ".pyc" for s in sources)
    assert any(s.name == "__init__.py" for s in sources)
    assert found["x-wr-timezone"].top_level == ("x_wr_timezone",)
