"""What the PyInstaller spec builds on each OS, as plain data the tests can read.

``movebreak.spec`` is executed by PyInstaller and can only be run on the OS it builds
for; the decisions in it (which icon, console or not, which hidden imports, the macOS
Info.plist, which packages stay replaceable) live here instead, as pure functions, so
the macOS and Windows settings are checked on Linux even though their builds are not.

LGPL packages (pystray, python-xlib, recurring-ical-events, x-wr-timezone) must stay
replaceable by the user. PyInstaller would compile them into the PYZ archive inside the
executable; instead the spec drops them from the PYZ and ships their installed source
files as a plain folder, ``lgpl/``, that a runtime hook puts on ``sys.path``. Which
packages those are is read from their metadata at build time, not kept by hand.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from importlib import metadata
from pathlib import Path, PurePosixPath

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "licenses"))
from collect import closure, is_lgpl, licence_of, top_level_names

APP_NAME = "movebreak"
APP_ID = "io.github.movebreak.movebreak"
"""Reverse-DNS id: the macOS bundle identifier (macOS needs one for notifications), and the
name of the Linux .desktop and metainfo files."""
REPLACEABLE_DIR = "lgpl"


class TargetOS(Enum):
    """The three platforms the spec knows, named as ``sys.platform`` names them."""

    LINUX = "linux"
    MACOS = "darwin"
    WINDOWS = "win32"

    @classmethod
    def of(cls, platform: str) -> TargetOS:
        for target in cls:
            if platform.startswith(target.value):
                return target
        raise ValueError(f"no frozen build for platform {platform!r}")


@dataclass(frozen=True)
class MacBundle:
    """The .app around the one-folder build."""

    name: str
    identifier: str
    icon: str
    info_plist: dict[str, object]


@dataclass(frozen=True)
class FrozenOptions:
    """Everything the spec passes to Analysis, EXE and BUNDLE that differs per OS."""

    console: bool
    icon: str | None
    hidden_imports: tuple[str, ...]
    excludes: tuple[str, ...]
    bundle: MacBundle | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def plyer_notification(target: TargetOS) -> str:
    """plyer picks its platform module by name at run time; PyInstaller cannot see it."""
    folder = {TargetOS.LINUX: "linux", TargetOS.MACOS: "macosx", TargetOS.WINDOWS: "win"}[target]
    return f"plyer.platforms.{folder}.notification"


def info_plist(version: str) -> dict[str, object]:
    """The macOS Info.plist keys beyond PyInstaller's own (name, executable, identifier)."""
    return {
        "CFBundleDisplayName": APP_NAME,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "LSUIElement": True,  # menu-bar only: no Dock icon, no app menu
        "NSHighResolutionCapable": True,
        "NSHumanReadableCopyright": "movebreak developers, GPL-3.0-or-later",
    }


def options_for(target: TargetOS, icons: Path, version: str) -> FrozenOptions:
    """The per-OS choices; ``icons`` is the folder ``assets/make_icons.py`` wrote."""
    hidden = (plyer_notification(target),)
    if target is TargetOS.LINUX:
        return FrozenOptions(
            console=True,  # a terminal program too: `movebreak next`, `config check`
            icon=None,  # Linux executables carry no icon; the .desktop file names one
            hidden_imports=hidden,
            # GTK is not frozen: it must match the desktop it runs on (themes, loaders,
            # glibc). Without gi, pystray uses its X11 backend; the .deb and pipx give GTK.
            excludes=("gi", "cairo"),
            notes=("Linux users get the tray menu from the .deb or pipx (system GTK)",),
        )
    if target is TargetOS.WINDOWS:
        return FrozenOptions(
            console=False,  # windowed: no console window behind a tray app
            icon=str(icons / "movebreak.ico"),
            # zoneinfo finds tzdata through importlib.resources: invisible to analysis.
            hidden_imports=(*hidden, "tzdata"),
            excludes=("gi", "cairo", "Xlib"),
        )
    return FrozenOptions(
        console=False,
        icon=str(icons / "movebreak.icns"),
        hidden_imports=hidden,
        excludes=("gi", "cairo", "Xlib"),
        bundle=MacBundle(
            name=f"{APP_NAME}.app",
            identifier=APP_ID,
            icon=str(icons / "movebreak.icns"),
            info_plist=info_plist(version),
        ),
        notes=("plyer's macOS notifications import pyobjus, which is not a dependency",),
    )


@dataclass(frozen=True)
class Replaceable:
    """An LGPL distribution shipped as plain files, and the import names it provides."""

    name: str
    licence: str
    top_level: tuple[str, ...]
    files: tuple[tuple[str, str], ...]  # (destination folder in the app, source file)


def replaceable_files(dist: metadata.Distribution, tops: Iterable[str]) -> list[tuple[str, str]]:
    """The distribution's own source files under its import names, without byte-code."""
    tops = set(tops)
    files = []
    for file in dist.files or []:
        parts = PurePosixPath(str(file)).parts
        if not parts or "__pycache__" in parts or file.suffix in (".pyc", ".pyo"):
            continue
        top = parts[0].removesuffix(".py")
        if top in tops:
            dest = PurePosixPath(REPLACEABLE_DIR, *parts[:-1])
            files.append((str(dest), str(file.locate())))
    return files


def replaceable_packages(root: str = APP_NAME) -> list[Replaceable]:
    """The LGPL distributions among ``root``'s runtime requirements on this platform."""
    found = []
    for dist in closure(root):
        licence = licence_of(dist.metadata)
        if is_lgpl(licence):
            tops = top_level_names(dist)
            found.append(Replaceable(dist.metadata["Name"], licence, tops,
                                     tuple(replaceable_files(dist, tops))))
    return found


def outside_pyz(module: str, tops: Iterable[str]) -> bool:
    """True when ``module`` belongs to a replaceable package and must not go in the PYZ."""
    return module.split(".", 1)[0] in set(tops)


def split_pure(
    pure: Iterable[tuple[str, str, str]], tops: Iterable[str]
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """Analysis' pure-Python TOC split into (for the PYZ, shipped as plain files instead)."""
    tops = set(tops)
    kept, moved = [], []
    for entry in pure:
        (moved if outside_pyz(entry[0], tops) else kept).append(entry)
    return kept, moved
