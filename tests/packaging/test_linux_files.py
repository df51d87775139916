"""The .desktop launcher and the AppStream metainfo: valid, and consistent with the app."""

from __future__ import annotations

import configparser
import subprocess
import tomllib
import xml.etree.ElementTree as ET

import movebreak

from .conftest import APP_ID, LINUX, REPO, require_tool

DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in .desktop files
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_file_is_valid():
    tool = require_tool("desktop-file-validate", "desktop-file-utils")
    done = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_metainfo_is_valid_even_pedantically():
    tool = require_tool("appstreamcli", "appstream")
    done = subprocess.run(
        [tool, "validate", "--no-net", "--pedantic", str(METAINFO)],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_launcher_starts_the_console_script_with_the_packaged_icon_name():
    entry = desktop_entry()
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert entry["Exec"] in scripts
    assert entry["Icon"] == APP_ID  # build-deb.sh installs hicolor/*/apps/<APP_ID>.png
    assert entry["Terminal"] == "false"
    assert entry["StartupNotify"] == "false"  # a tray app maps no window: no busy cursor


def test_one_id_everywhere(frozen_options):
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("provides/binary") == desktop_entry()["Exec"]
    assert frozen_options.APP_ID == APP_ID  # the macOS bundle identifier
    for script in ("build-deb.sh", "check-deb.sh"):
        assert f"APP_ID={APP_ID}\n" in (LINUX / script).read_text()


def test_metainfo_lists_the_current_release():
    """A version bump needs a <release> entry, or software centres show the old one."""
    versions = [r.get("version") for r in ET.parse(METAINFO).getroot().iter("release")]
    assert movebreak.__version__ in versions
