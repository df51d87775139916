"""Prompts with buttons through mako, and mako 1.7.1's double reply (a known defect).

mako answers a method call with a method return *and* an UnknownMethod error for the
same serial (its sd-bus object serves both interfaces). jeepney 0.9's threaded
``DBusRouter`` resolves the first, then fails on the second (``InvalidStateError``)
and its receiver thread dies: every later call says "router has stopped", so
``DBusNotifier`` loses its buttons (``GetCapabilities`` seen as failed) and the app
falls back to notify-send for the whole session. These tests fail until the notifier
drops duplicate replies (its rewrite is under way); they are not skipped meanwhile.

Measured on the code before that rewrite (7 runs): 8 to 18 of the 20 connections
broke in every run; the app-level test failed in 4 of 7 (it is one connection).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from harness import DesktopTimeout, wait_until
from sway import SwayDesktop
from test_app import config
from test_sway import Launch, start, stats_today

from movebreak.core.commands import Skip
from movebreak.notify.base import Notice, NoticeKind
from movebreak.notify.dbus_notifier import DBusNotifier

pytestmark = pytest.mark.desktop

CONNECTS = 20
BUTTONS = ["start", "snooze", "skip", "default"]


def test_the_notifier_keeps_working_against_makos_double_replies(
        sway: SwayDesktop, monkeypatch: pytest.MonkeyPatch) -> None:
    """Connect ``CONNECTS`` times; each must see ``actions`` and still send afterwards."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", sway.env["DBUS_SESSION_BUS_ADDRESS"])
    broken: list[str] = []
    for attempt in range(CONNECTS):
        notifier = DBusNotifier(lambda action, kind: None)
        try:
            assert notifier.connect()
            if "actions" not in notifier.capabilities:
                broken.append(f"#{attempt}: capabilities {sorted(notifier.capabilities)}")
                continue
            try:  # later calls, once mako's stray error for each earlier one has come in
                for _ in range(2):
                    notifier.show(Notice("mb-check", "", actions=((Skip(), "Skip"),),
                                         kind=NoticeKind.PROMPT))
            except Exception as error:
                broken.append(f"#{attempt}: Notify failed: {error!r}")
        finally:
            notifier.close()
            # mako 1.7.1 itself segfaults (in libwayland-client) with dozens of popups
            # coming and going this fast; a person's prompts never come like that.
            sway.dismiss_all()
    assert not broken, f"{len(broken)} of {CONNECTS} connections broke: {broken}"


def test_a_prompt_reaches_mako_with_buttons_and_one_press_counts_once(
        launch: Launch, sway: SwayDesktop, artifacts: Path) -> None:
    app, item = start(launch, sway, config("3s"))
    capabilities = app.wait_for_log("notifications over D-Bus; server capabilities", 10)
    prompt = sway.wait_for_notification(summary="2-minute reset", timeout=10)
    assert "notifications through dbus failed" not in app.errors()
    assert "actions" in capabilities, capabilities
    assert list(prompt.actions) == BUTTONS, prompt
    shown = next(n for n in sway.mako_list() if n["id"] == prompt.id)
    assert set(shown["actions"]) == set(BUTTONS)  # mako holds the buttons to press

    sway.invoke_action(prompt.id, "skip")  # what a click on the button does
    wait_until(lambda: sway.monitor.invocations.count((prompt.id, "skip")) or None, 5,
               "mako's ActionInvoked")
    app.wait_for_log("notification action skip", timeout=5)
    wait_until(lambda: stats_today(app)["skipped"] == 1 or None, 5, "the skip in the history")
    with pytest.raises(DesktopTimeout):  # one press, one skip: nothing handles it twice
        wait_until(lambda: sum("notification action skip" in line
                               for line in app.errors().splitlines()) > 1 or None, 1.5,
                   "a second handling")
    assert sway.monitor.invocations.count((prompt.id, "skip")) == 1
    assert stats_today(app)["skipped"] == 1
    assert app.running and time.monotonic() - prompt.received_at < 30
