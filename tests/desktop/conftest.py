"""Fixtures for end-to-end tests on a private virtual desktop (issue 3).

Every test in this folder gets the ``desktop`` marker and shares one session-scoped
``Desktop`` (bus + Xvfb + trayer + dunst come up in about 0.2 s). Before each test the
notifications of earlier tests are closed and forgotten, so a test only sees its own.

Screenshots and app logs go to ``test-artifacts/desktop/<test name>/`` at the repo root
(the ``artifacts`` fixture); the harness's own logs and timings to ``.../_harness/``.

Missing tools skip these tests on a developer machine, with the package to install; under
``CI=true`` they fail instead, because CI must really run them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
from outcome import ARTIFACTS_ROOT, launcher, unavailable

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

APT_INSTALL = "apt-get install xvfb xdotool x11-utils trayer dunst libnotify-bin imagemagick"
# Program on PATH -> the Debian package that ships it.
TOOLS = {
    "dbus-daemon": "dbus",
    "Xvfb": "xvfb",
    "trayer": "trayer",
    "dunst": "dunst",
    "dunstctl": "dunst",
    "busctl": "systemd",  # dunstctl history calls it; dunst's dbus-user-session brings it
    "notify-send": "libnotify-bin",
    "xdotool": "xdotool",
}
# Python module -> what to pip install (all come with the project's own dependencies).
MODULES = {"Xlib": "python-xlib", "jeepney": "jeepney", "PIL": "Pillow"}
GTK_HINT = (
    "pystray's gtk backend (tray menus) needs PyGObject in the venv: apt-get install "
    "gir1.2-gtk-3.0 libgirepository1.0-dev libcairo2-dev, then pip install -e '.[gtk]'"
)


def missing_requirements() -> str | None:
    """A message naming what to install, or None when everything is there."""
    programs = [tool for tool in TOOLS if shutil.which(tool) is None]
    modules = [mod for mod in MODULES if find_spec(mod) is None]
    problems = []
    if programs:
        packages = sorted({TOOLS[p] for p in programs})
        problems.append(
            f"missing {', '.join(programs)}: install the Debian package(s) "
            f"{' '.join(packages)} (all of them: {APT_INSTALL})"
        )
    if modules:
        problems.append(f"missing Python module(s) {', '.join(MODULES[m] for m in modules)}: "
                        "pip install -e '.[dev]'")
    if not modules:
        from PIL import features

        if not features.check_feature("xcb"):
            problems.append("this Pillow cannot grab X screenshots (no XCB): "
                            "pip install the PyPI wheel of Pillow")
    return "; ".join(problems) or None


def _safe(name: str) -> str:
    from harness import _safe as safe

    return safe(name)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test in this folder ``desktop`` before ``-m`` selects by marker."""
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.desktop)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep each phase's report on the item, so teardown knows whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def desktop() -> Iterator[Any]:
    """The shared private desktop. See ``harness.Desktop`` for what it offers."""
    problem = missing_requirements()
    if problem:
        unavailable(problem)
    from harness import Desktop

    with Desktop(log_dir=ARTIFACTS_ROOT / "_harness") as running:
        yield running


@pytest.fixture(scope="session")
def gtk_tray(desktop: Any) -> None:
    """Require pystray's gtk backend (the one with menus), checked once on the desktop."""
    if find_spec("gi") is None:
        unavailable(GTK_HINT)
    check = subprocess.run(
        [sys.executable, "-c", "import pystray._gtk"], env=desktop.env,
        capture_output=True, text=True, timeout=30, check=False,
    )
    if check.returncode != 0:
        unavailable(f"{GTK_HINT} ({check.stderr.strip().splitlines()[-1:]})")


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """This test's artifact folder, emptied first: ``test-artifacts/desktop/<test name>/``."""
    folder = ARTIFACTS_ROOT / _safe(request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture(autouse=True)
def _desktop_test(request: pytest.FixtureRequest, desktop: Any, artifacts: Path) -> Iterator[None]:
    """Start each test with no notifications; on failure save what the screen showed."""
    desktop.clear_history()
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        desktop.screenshot(artifacts / "failure.png")
        menu = desktop.tmp / "dunst-menu.log"
        if menu.exists():
            shutil.copy2(menu, artifacts / "dunst-menu.log")


@pytest.fixture
def launch(desktop: Any, artifacts: Path) -> Iterator[Callable[..., Any]]:
    """Programs on the X11 desktop (see ``outcome.launcher``); the tray empty after."""
    with launcher(desktop, artifacts, lambda: desktop.wait_for_no_icon(timeout=5)) as start:
        yield start
