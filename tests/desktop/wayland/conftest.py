"""Fixtures for the Wayland tests: one private desktop per stack for the whole session.

A test module names its stack with ``STACK = "kde"`` (default ``"sway"``): the
``sway`` fixture is sway + waybar + mako, ``kde`` is KWin + plasmashell. A stack comes
up only when a test of it runs.

This folder's ``_desktop_test`` replaces the X11 one of ``tests/desktop/conftest.py``
(same name), so these tests never start Xvfb; ``artifacts`` and the ``desktop``
marker come from there. Missing programs skip on a developer machine and fail under
``CI=true``, like the X11 tests.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kde import KdeDesktop
from outcome import ARTIFACTS_ROOT, launcher, unavailable
from session import WaylandSession
from sway import SwayDesktop

APT_INSTALL = ("apt-get install --no-install-recommends sway waybar mako-notifier grim wtype "
               "xwayland gir1.2-ayatanaappindicator3-0.1 iproute2 util-linux dbus")
TOOLS = {
    "sway": "sway", "swaymsg": "sway", "waybar": "waybar", "mako": "mako-notifier",
    "grim": "grim", "wtype": "wtype", "Xwayland": "xwayland", "dbus-daemon": "dbus",
    "unshare": "util-linux", "nsenter": "util-linux", "ip": "iproute2",
}
KDE_APT_INSTALL = ("apt-get install --no-install-recommends kwin-wayland plasma-workspace "
                   "plasma-desktop qtwayland5 xwayland gir1.2-ayatanaappindicator3-0.1 "
                   "iproute2 util-linux dbus")
KDE_TOOLS = {
    "kwin_wayland": "kwin-wayland", "plasmashell": "plasma-workspace",
    "kded5": "kded5", "Xwayland": "xwayland", "dbus-daemon": "dbus",
    "unshare": "util-linux", "nsenter": "util-linux", "ip": "iproute2",
}


@pytest.fixture(scope="session")
def sway() -> Iterator[SwayDesktop]:
    """The private sway session (about 0.6 s to bring up), shared by the sway tests."""
    missing = sorted({pkg for tool, pkg in TOOLS.items() if shutil.which(tool) is None})
    if missing:
        unavailable(f"missing {' '.join(missing)} ({APT_INSTALL})")
    with SwayDesktop(log_dir=ARTIFACTS_ROOT / "_sway") as desktop:
        yield desktop


@pytest.fixture(scope="session")
def kde() -> Iterator[KdeDesktop]:
    """The private Plasma session (about 3 s to bring up), shared by the KDE tests."""
    missing = sorted({pkg for tool, pkg in KDE_TOOLS.items() if shutil.which(tool) is None})
    if missing:
        unavailable(f"missing {' '.join(missing)} ({KDE_APT_INSTALL})")
    with KdeDesktop(log_dir=ARTIFACTS_ROOT / "_kde") as desktop:
        yield desktop


def _stack(request: pytest.FixtureRequest) -> WaylandSession:
    return request.getfixturevalue(getattr(request.module, "STACK", "sway"))


@pytest.fixture(autouse=True)
def _desktop_test(request: pytest.FixtureRequest, artifacts: Path) -> Iterator[None]:
    """No notifications and no DND from earlier tests; a screenshot if this one fails."""
    desktop = _stack(request)
    desktop.floor = desktop.monitor.max_id()  # a test sees its own notifications only
    desktop.reset_for_test()
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        desktop.save_failure(artifacts)


@pytest.fixture
def launch(request: pytest.FixtureRequest, artifacts: Path) -> Iterator[Callable[..., Any]]:
    """Programs in the stack's session (see ``outcome.launcher``); its tray empty after."""
    desktop = _stack(request)
    with launcher(desktop, artifacts, lambda: desktop.wait_for_no_item(timeout=5)) as start:
        yield start
