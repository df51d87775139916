"""Fixtures for the sway tests: one private sway + waybar + mako for the whole module.

This folder's ``_desktop_test`` replaces the X11 one of ``tests/desktop/conftest.py``
(same name), so these tests never start Xvfb; ``artifacts`` and the ``desktop``
marker come from there. Missing programs skip on a developer machine and fail under
``CI=true``, like the X11 tests.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sway import SwayDesktop

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parents[2] / "test-artifacts" / "desktop"

APT_INSTALL = ("apt-get install --no-install-recommends sway waybar mako-notifier grim wtype "
               "xwayland gir1.2-ayatanaappindicator3-0.1 iproute2 util-linux dbus")
TOOLS = {
    "sway": "sway", "swaymsg": "sway", "waybar": "waybar", "mako": "mako-notifier",
    "grim": "grim", "wtype": "wtype", "Xwayland": "xwayland", "dbus-daemon": "dbus",
    "unshare": "util-linux", "nsenter": "util-linux", "ip": "iproute2",
}


def _unavailable(message: str) -> None:
    """Skip on a developer machine; fail under ``CI=true``, where the tests must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"sway tests cannot run under CI=true: {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def sway() -> Iterator[SwayDesktop]:
    """The private sway session (about 0.6 s to bring up), shared by the sway tests."""
    missing = sorted({pkg for tool, pkg in TOOLS.items() if shutil.which(tool) is None})
    if missing:
        _unavailable(f"missing {' '.join(missing)} ({APT_INSTALL})")
    with SwayDesktop(log_dir=ARTIFACTS / "_sway") as desktop:
        yield desktop


@pytest.fixture(autouse=True)
def _desktop_test(request: pytest.FixtureRequest, sway: SwayDesktop,
                  artifacts: Path) -> Iterator[None]:
    """No notifications and no modes from earlier tests; a screenshot if this one fails."""
    sway.set_modes(["default"])
    sway.dismiss_all()
    sway.forget_notifications()
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        sway.screenshot(artifacts / "failure.png")
        shutil.copy2(ARTIFACTS / "_sway" / "sway.log", artifacts / "sway.log")


@pytest.fixture
def launch(sway: SwayDesktop, artifacts: Path) -> Iterator[Callable[..., Any]]:
    """Start programs in the sway session (logs in the artifacts); stopped after the test."""
    handles: list[Any] = []

    def start(args: Sequence[str], env_extra: Mapping[str, str] | None = None,
              config_text: str | None = None, **kwargs: Any) -> Any:
        handle = sway.start_app(args, env_extra, config_text, out_dir=artifacts, **kwargs)
        handles.append(handle)
        return handle

    yield start
    for handle in reversed(handles):
        handle.stop()
    if handles:
        sway.wait_for_no_item(timeout=5)
