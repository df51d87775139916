"""movebreak on GNOME Shell 43 (Wayland, headless): the real shell, tray host and notifications.

One GNOME session (``gnome.GnomeDesktop``) serves the whole module. Each test starts the
real app (``python -m movebreak -v``, letting it pick its tray backend) and observes what
GNOME got: the item the "Ubuntu AppIndicators" extension registered and its dbusmenu,
the screen through ``org.gnome.Shell.Screenshot``, the notifications the shell's server
received and the signals it sent back. Buttons are pressed on the shell's own
notification objects, so GNOME's real delivery path (shell broadcast + relay unicast)
runs; input comes from a Clutter virtual pointer, which Mutter counts as the user's.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from gnome import GnomeDesktop, MenuItem, SniItem, missing_requirements
from harness import MOVEBREAK, DesktopTimeout, colour_share, still_running, wait_until
from outcome import ARTIFACTS_ROOT, launcher, unavailable
from test_app import ALL_DAY, READY, config

from movebreak.core.state import Status
from movebreak.tray.art import COLOURS

pytestmark = pytest.mark.desktop

PROMPT = "2-minute reset"
AWAY = (ALL_DAY + '[reset]\nevery = "1h"\n[morning]\nenabled = false\n'
        '[away]\nnatural_break = "3s"\noffer_reset_after = "5s"\n[prompts]\nlate_grace = "1s"\n')
ACTION_LINE = "notification action "  # dbus_notifier logs each button it acts on


@pytest.fixture(scope="module")
def gnome() -> Iterator[GnomeDesktop]:
    """The module's GNOME session (bring-up about 1.5 s), logs in ``_gnome/`` artifacts."""
    problem = missing_requirements()
    if problem:
        unavailable(problem)
    with GnomeDesktop(log_dir=ARTIFACTS_ROOT / "_gnome") as session:
        yield session


@pytest.fixture(autouse=True)
def _desktop_test(request: pytest.FixtureRequest, gnome: GnomeDesktop,
                  artifacts: Path) -> Iterator[None]:
    """Replaces the X11 folder's per-test fixture: no Xvfb here, the GNOME session instead.

    Each test starts with no notifications and Do Not Disturb off; on failure the
    screen and the shell's log are saved.
    """
    gnome.set_do_not_disturb(False)
    gnome.clear_notifications()
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        gnome.screenshot(artifacts / "failure.png")
        (artifacts / "gnome-shell.log").write_text(gnome.log_tail("gnome-shell", 20000))


@pytest.fixture
def launch(gnome: GnomeDesktop, artifacts: Path) -> Iterator[Callable[..., Any]]:
    """Programs in the session (see ``outcome.launcher``); the watcher has no item after."""
    with launcher(gnome, artifacts, lambda: wait_until(
            lambda: not gnome.sni_items(), 5,
            lambda: f"the watcher to drop the items; has {gnome.sni_items()}")) as start:
        yield start


def start(gnome: GnomeDesktop, launch: Callable[..., Any], text: str,
          env_extra: Mapping[str, str] | None = None) -> tuple[Any, SniItem]:
    """Start movebreak; wait for its StatusNotifierItem and the app's ready line."""
    gnome.move_pointer(640, 400)  # the test's user is at the desk
    app = launch([*MOVEBREAK, "-v"], env_extra=env_extra, config_text=text)
    item = gnome.wait_for_sni_item(lambda i: gnome.sni_property(i, "Id") == "movebreak",
                                   timeout=15)
    app.wait_for_log(READY, timeout=15)
    return app, item


def status(gnome: GnomeDesktop, app: Any) -> dict[str, Any]:
    """``movebreak status --json`` of the running app (its control channel)."""
    done = gnome.run([*MOVEBREAK, "status", "--json"], env=app.env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def menu_entry(menu: MenuItem, label: str, parent: str | None = None) -> MenuItem:
    scope = menu
    if parent is not None:
        scope = next(m for m in menu.walk() if m.label == parent)
    found = [m for m in scope.walk() if m.label == label]
    assert found, f"no menu entry {label!r}; menu: {[m.label for m in menu.walk()]}"
    return found[0]


def invoked_copies(gnome: GnomeDesktop, notification_id: int, at_least: int) -> list[Any]:
    """The ``ActionInvoked`` signals seen on the bus for one notification, once enough came."""
    found = [s for n in gnome.notifications() if n.id == notification_id
             for s in n.signals if s.member == "ActionInvoked"]
    return found if len(found) >= at_least else []


def action_lines(app: Any) -> list[str]:
    return [line for line in app.errors().splitlines() if ACTION_LINE in line]


# --------------------------------------------------------------------------- tests


def test_icon_registers_and_shows_in_the_top_bar(gnome, launch, artifacts):
    app, item = start(gnome, launch, config("1h"))
    assert "tray backend: pystray._appindicator" in app.errors()
    assert gnome.sni_property(item, "Status") == "Active"

    box = wait_until(lambda: gnome.panel_icon(item), 5, "the extension's panel button")
    x, y, w, h = box
    assert y == 0 and h <= 40 and x > gnome.screen[0] // 2, box  # right part of the top bar

    def painted() -> Any:
        shot = gnome.screenshot()
        crop = shot.crop((x, y, x + w, y + h))
        return shot if colour_share(crop, COLOURS[Status.WAITING], tolerance=14) > 0.04 else None

    shot = wait_until(painted, 8, "the waiting-colour icon in its panel button")
    shot.save(artifacts / "top-bar.png")
    shot.crop((x - 200, 0, gnome.screen[0], 32)).resize(((gnome.screen[0] - x + 200) * 4, 128)
                                                        ).save(artifacts / "top-bar-right.png")


def test_menu_over_dbusmenu_pauses_and_resumes(gnome, launch, artifacts):
    app, item = start(gnome, launch, config("1h"))
    menu = gnome.menu_layout(item)
    labels = [m.label for m in menu.children if m.visible and m.type != "separator"]
    assert labels[0].startswith("Next: 2-minute reset at"), labels
    assert labels[-1] == "Quit" and "Skip this one" in labels
    gnome.menu_click(item, menu_entry(menu, "30 min", parent="Pause").id)
    wait_until(lambda: status(gnome, app)["paused"] or None, 5, "the app to be paused")
    assert "quit" not in app.errors().lower().split("ready")[-1]
    menu = gnome.menu_layout(item)  # the menu follows: Resume is now the enabled one
    assert menu_entry(menu, "Resume").enabled and not menu_entry(menu, "Pause").enabled
    gnome.menu_click(item, menu_entry(menu, "Resume").id)
    wait_until(lambda: not status(gnome, app)["paused"] or None, 5, "the app to resume")
    assert app.running


UNREADABLE_ICON = "Impossible to read image info"


def test_quick_icon_changes_never_leave_the_extension_an_unreadable_file(gnome, launch,
                                                                        artifacts):
    """pystray deleted each icon file before the next: the extension, reading it after the
    NewIcon signal, logged it unreadable and showed "•••" (13 times in one module run)."""
    app, item = start(gnome, launch, config("1h"))
    before = gnome.log_tail("gnome-shell", 10**7).count(UNREADABLE_ICON)
    for round_ in range(6):  # each pause and resume redraws the icon
        menu = gnome.menu_layout(item)
        gnome.menu_click(item, menu_entry(menu, "30 min", parent="Pause").id)
        wait_until(lambda: status(gnome, app)["paused"] or None, 5, f"pause {round_}")
        gnome.menu_click(item, menu_entry(gnome.menu_layout(item), "Resume").id)
        wait_until(lambda: not status(gnome, app)["paused"] or None, 5, f"resume {round_}")
    box = wait_until(lambda: gnome.panel_icon(item), 5, "the extension's panel button")
    x, y, w, h = box

    def painted() -> Any:
        shot = gnome.screenshot()
        crop = shot.crop((x, y, x + w, y + h))
        return shot if colour_share(crop, COLOURS[Status.WAITING], tolerance=14) > 0.04 else None

    wait_until(painted, 8, "the waiting icon drawn after the last change").save(
        artifacts / "after-changes.png")
    shell_log = gnome.log_tail("gnome-shell", 10**7)
    assert shell_log.count(UNREADABLE_ICON) == before, shell_log[-2000:]


def test_a_prompt_reaches_the_shell_with_its_buttons(gnome, launch, artifacts):
    app, item = start(gnome, launch, config("3s"))
    note = gnome.wait_for_notification(lambda n: n.summary.startswith(PROMPT), timeout=10)
    assert list(note.actions) == ["start", "snooze", "skip", "default"]
    shown = wait_until(lambda: [n for n in gnome.shell_notifications() if n["id"] == note.id],
                       5, "the shell to hold the notification")[0]
    assert shown["actions"] == ["Start", "Snooze 10 min", "Skip"], shown
    assert shown["title"] == note.summary
    # On screen: the banner at the top, drawn (not the wallpaper's flat blue).
    x, y, w, h = wait_until(lambda: gnome.banner_box(note.id), 5, "the prompt's banner")
    assert y < 100 and w > 200, (x, y, w, h)

    def drawn() -> Any:
        shot = gnome.screenshot()
        crop = shot.crop((x, y, x + w, y + h))
        return shot if len(crop.getcolors(w * h) or []) > 50 else None

    wait_until(drawn, 5, "the banner to be painted").save(artifacts / "banner.png")


PRESSES = 12
"""Skip presses in the exactly-once test. Whether GNOME's second copy of a press reaches
the app before the shell's NotificationClosed is a race (about 1 press in 5 on this
machine): twelve presses show a double-handling app with about 93 % certainty."""


def test_a_pressed_button_is_handled_exactly_once(gnome, launch, artifacts):
    """Each press of Skip: one skip, and the next prompt still comes on time.

    GNOME 43 sends every ``ActionInvoked`` twice (the shell's broadcast and the relay's
    unicast copy, both checked below on the bus): the app must act on one of them only.
    A second skip would also drop the next prompt ("skipped reset (ahead)").
    """
    every = 2.0
    app, item = start(gnome, launch, config("2s"))
    since = 0.0
    for press in range(1, PRESSES + 1):
        note = gnome.wait_for_notification(
            lambda n, t=since: n.summary.startswith(PROMPT) and n.received_at > t and n.open,
            timeout=every + 8)
        # As a person would: on the banner once it is on screen (its own button runs).
        wait_until(lambda n=note.id: gnome.banner_box(n), 5, "the prompt's banner")
        assert gnome.press_action(note.id, "skip") == "banner button"
        pressed = time.monotonic()
        copies = wait_until(lambda n=note.id: invoked_copies(gnome, n, at_least=2), 5,
                            "the relay's copy of ActionInvoked")
        assert [s.destination is None for s in copies] == [True, False], copies
        # The app has taken the press; a Notify after that is the sync point: the two
        # copies arrive within a millisecond, the next prompt seconds later. (A prompt
        # repeated just before the press must not count: it would be read too early.)
        wait_until(lambda n=press: len(action_lines(app)) >= n or None, 5,
                   lambda p=press: f"the app to act on press {p}; it logged {action_lines(app)}")
        taken = time.monotonic()
        again = gnome.wait_for_notification(
            lambda n, t=taken: n.summary.startswith(PROMPT) and n.received_at > t,
            timeout=3 * every + 5)
        acted = action_lines(app)
        assert len(acted) == press, (
            f"press {press}: {press} presses of Skip were acted on {len(acted)} times: {acted}")
        assert again.received_at - pressed < every + 2.5, (
            f"press {press}: the next prompt came {again.received_at - pressed:.1f} s later")
        since = pressed
    (artifacts / "presses.txt").write_text("\n".join(action_lines(app)) + "\n")


def test_a_started_routine_shows_its_timer_window(gnome, launch, artifacts):
    app, item = start(gnome, launch, config("1h"))
    menu = gnome.menu_layout(item)
    gnome.menu_click(item, menu_entry(menu, "Start a 2-minute reset now").id)
    window = wait_until(
        lambda: next((w for w in gnome.windows()
                      if "movebreak" in (w["wm_class"] or "").lower() and w["shown"]), None),
        10, lambda: f"the timer window; the shell has {gnome.windows()}")
    assert window["x11"], window  # Tk runs on Xwayland
    assert status(gnome, app)["running"]["routine"] == "reset"

    def drawn() -> Any:
        shot = gnome.screenshot()
        box = (window["x"], window["y"], window["x"] + window["width"],
               window["y"] + window["height"])
        crop = shot.crop(box)
        return shot if crop.getextrema() != shot.crop((0, 200, 20, 220)).getextrema() else None

    shot = wait_until(drawn, 5, "the timer window to be painted")
    shot.save(artifacts / "timer-window.png")


def test_away_and_back_through_mutter_idle_monitor(gnome, launch, artifacts):
    app, item = start(gnome, launch, AWAY)
    assert "idle time from gnome-mutter" in app.errors()
    wait_until(lambda: gnome.idle_ms() > 9000 or None, 15, "nine idle seconds in Mutter")
    assert not [n for n in gnome.notifications() if n.summary.startswith(PROMPT)]
    back = time.monotonic()
    gnome.move_pointer(300, 300)  # the user is back: real input through Clutter
    assert gnome.idle_ms() < 1000
    note = gnome.wait_for_notification(lambda n: n.summary.startswith(PROMPT), timeout=10)
    assert note.received_at - back < 3


def test_do_not_disturb_holds_a_prompt_until_it_ends(gnome, launch, artifacts):
    app, item = start(gnome, launch, config("3s"))
    gnome.set_do_not_disturb(True)
    held_from = time.monotonic()
    wait_until(lambda: status(gnome, app)["headline"].startswith("Held: do not disturb") or None,
               10, lambda: f"the held headline; status {status(gnome, app)}")
    first_line = gnome.menu_layout(item).children[0].label
    assert first_line.startswith("Held: do not disturb"), first_line
    with pytest.raises(DesktopTimeout):  # two intervals pass without a prompt
        gnome.wait_for_notification(lambda n: n.received_at > held_from, timeout=6.5)
    assert not gnome.notify_calls(since=held_from)
    gnome.screenshot(artifacts / "held.png")
    gnome.set_do_not_disturb(False)
    ended = time.monotonic()
    # The app looks again within 20 s while quiet (presence.QUIET_WATCH).
    note = gnome.wait_for_notification(
        lambda n: n.summary.startswith(PROMPT) and n.received_at > ended, timeout=30)
    # Once: the slots that fell due during the hold are merged into this one prompt (a
    # replay would follow within milliseconds). With resets every 3 s the next regular one
    # may come 3 s after the last held slot, so look only just after the release.
    time.sleep(0.5)
    assert [c for c in gnome.notify_calls(since=held_from) if c[1].startswith(PROMPT)
            and c[2] < note.received_at + 0.5] == [(note.id, note.summary, note.received_at)]
    assert "(merged into reset)" in app.errors()
    assert not status(gnome, app)["headline"].startswith("Held")


def test_a_forced_gtk_tray_on_gnome_docks_in_the_extensions_xembed_tray(gnome, launch,
                                                                          artifacts):
    """``PYSTRAY_BACKEND=gtk`` on GNOME Wayland: the extension also hosts XEmbed icons, but a
    GtkStatusIcon docks only from GDK's X11 backend. The icon must really show."""
    gnome.move_pointer(640, 400)
    app = launch([*MOVEBREAK, "-v"], env_extra={"PYSTRAY_BACKEND": "gtk"},
                 config_text=config("1h"))
    app.wait_for_log(READY, timeout=15)
    box = wait_until(lambda: gnome.panel_icon(None), 8,
                     lambda: "a legacy (XEmbed) tray icon in the top bar; the app said: "
                     + app.wait_for_log("tray: ", timeout=1))
    x, y, w, h = box

    def painted() -> Any:
        shot = gnome.screenshot()
        crop = shot.crop((x, y, x + w, y + h))
        return shot if colour_share(crop, COLOURS[Status.WAITING], tolerance=14) > 0.04 else None

    wait_until(painted, 8, "the waiting-colour icon in its panel button").save(
        artifacts / "gtk-legacy-tray.png")
    said = app.wait_for_log("tray: gtk", timeout=5)
    assert "GTK on X11" in said, said


def test_a_forced_gtk_tray_without_the_extension_says_why_it_cannot_show(gnome, launch,
                                                                         artifacts):
    """GNOME without "Ubuntu AppIndicators" has no tray at all: the app must not claim an
    icon ("tray icon shown") and must say what to install."""
    gnome.set_appindicator_extension(False)
    try:
        gnome.move_pointer(640, 400)
        app = launch([*MOVEBREAK, "-v"], env_extra={"PYSTRAY_BACKEND": "gtk"},
                     config_text=config("2s"))
        app.wait_for_log(READY, timeout=15)
        said = app.wait_for_log("running without a tray icon", timeout=5)
        assert "tray icon shown" not in app.errors(), app.errors()
        assert "no XEmbed system tray" in said, said
        assert "gnome-shell-extension-appindicator" in said, said
        assert "Ubuntu AppIndicators" in said, said
        # Without the icon the reminders still come, through the shell's notifications.
        gnome.wait_for_notification(lambda n: n.summary.startswith(PROMPT), timeout=10)
        assert app.running
    finally:
        gnome.set_appindicator_extension(True)


def test_a_session_comes_up_fast_and_leaves_nothing_behind(gnome, artifacts):
    """The harness itself: a second session next to the module's (namespaces keep them
    apart) comes up in seconds, and its teardown ends every process it had, including
    the ones the bus double-forked (dconf-service, the gjs relay)."""
    other = GnomeDesktop(log_dir=artifacts / "second-session")
    with other:
        procs = other.pids()
        names = {p.comm for p in procs}
        assert {"gnome-shell", "Xwayland", "dbus-daemon", "gjs"} <= names, names
        assert other.name_owner("org.freedesktop.Notifications") is not None
        tmp = other.tmp
    (artifacts / "timings.json").write_text(json.dumps(other.timings, indent=1))
    assert other.timings["up"] < 10_000, other.timings
    left = [p for p in procs if still_running(p)]
    assert left == [], left
    assert not tmp.exists()
    assert gnome.name_owner("org.kde.StatusNotifierWatcher") is not None  # ours still runs
