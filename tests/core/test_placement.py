"""Where the timer window opens, given the screen and where notifications are drawn."""

from __future__ import annotations

import pytest

from movebreak.core.placement import (
    Anchor,
    Rect,
    clamp,
    dunst_anchor,
    mako_anchor,
    notification_zone,
    place_window,
    server_anchor,
)

SCREEN = Rect(0, 0, 1920, 1080)
WORK = Rect(0, 0, 1920, 1040)  # a 40 px panel at the bottom
SIZE = (400, 300)


@pytest.mark.parametrize(("name", "anchor"), [
    ("dunst", Anchor.TOP_RIGHT),
    ("mako", Anchor.TOP_RIGHT),
    ("xfce4-notifyd", Anchor.TOP_RIGHT),
    ("notify-osd", Anchor.TOP_RIGHT),
    ("gnome-shell", Anchor.TOP_RIGHT),  # not what GNOME says: unknown, the common corner
    ("GNOME Shell", Anchor.TOP_CENTER),
    ("Plasma", Anchor.BOTTOM_RIGHT),
    ("someone-else", Anchor.TOP_RIGHT),
    (None, Anchor.TOP_RIGHT),
])
def test_each_server_draws_where_it_is_known_to(name: str | None, anchor: Anchor) -> None:
    assert server_anchor(name) is anchor


@pytest.mark.parametrize("anchor", list(Anchor))
def test_the_window_never_covers_the_notification_zone(anchor: Anchor) -> None:
    placed = place_window(WORK, SIZE, anchor)
    assert placed.overlap(notification_zone(WORK, anchor)) == 0
    assert clamp(placed, [WORK]) == placed  # on the work area: not under the panel


def test_top_right_servers_get_the_bottom_left_above_the_panel() -> None:
    assert place_window(WORK, SIZE, Anchor.TOP_RIGHT) == Rect(16, 1040 - 300 - 16, 400, 300)


def test_a_bottom_left_server_sends_the_window_elsewhere() -> None:
    placed = place_window(WORK, SIZE, Anchor.BOTTOM_LEFT)
    assert placed.overlap(notification_zone(WORK, Anchor.BOTTOM_LEFT)) == 0
    assert placed.y > WORK.height // 2  # still low: bottom centre


def test_a_panel_on_the_left_moves_the_window_off_it() -> None:
    work = Rect(64, 0, 1856, 1080)
    assert place_window(work, SIZE, Anchor.TOP_RIGHT).x == 64 + 16


def test_a_tiny_screen_gets_the_corner_covering_least() -> None:
    work = Rect(0, 0, 640, 480)
    placed = place_window(work, SIZE, Anchor.TOP_RIGHT)
    zone = notification_zone(work, Anchor.TOP_RIGHT)
    old_corner = Rect(640 - 400 - 16, 16, 400, 300)  # where the window used to open
    assert 0 < placed.overlap(zone) < old_corner.overlap(zone) // 3
    assert placed == Rect(16, 480 - 300 - 16, 400, 300)


def test_a_window_larger_than_the_screen_is_cut_to_it() -> None:
    placed = place_window(Rect(0, 0, 320, 240), SIZE, Anchor.TOP_RIGHT)
    assert (placed.width, placed.height) == (320, 240)


def test_the_users_position_wins() -> None:
    placed = place_window(WORK, SIZE, Anchor.TOP_RIGHT, saved=(1500, 40))
    assert (placed.x, placed.y) == (1500, 40)


def test_a_position_partly_off_screen_is_pulled_back_on() -> None:
    placed = place_window(WORK, SIZE, Anchor.TOP_RIGHT, saved=(1800, 1000))
    assert placed == Rect(1920 - 400, 1040 - 300, 400, 300)


def test_a_position_on_an_unplugged_monitor_comes_to_the_first_one() -> None:
    # dragged onto a second monitor right of the first, then that monitor was unplugged
    placed = place_window(WORK, SIZE, Anchor.TOP_RIGHT, saved=(2500, 200), screens=[WORK])
    assert placed == Rect(1920 - 400, 200, 400, 300)
    assert clamp(placed, [WORK]) == placed


def test_a_position_on_a_second_monitor_stays_there() -> None:
    second = Rect(1920, 0, 1280, 1024)
    placed = place_window(WORK, SIZE, Anchor.TOP_RIGHT, saved=(2500, 200),
                          screens=[WORK, second])
    assert (placed.x, placed.y) == (2500, 200)


def test_negative_positions_are_clamped_too() -> None:
    placed = place_window(WORK, SIZE, Anchor.TOP_RIGHT, saved=(-5000, -20))
    assert (placed.x, placed.y) == (0, 0)


@pytest.mark.parametrize(("text", "anchor"), [
    ("[global]\n    origin = bottom-right\n    offset = 10x10\n", Anchor.BOTTOM_RIGHT),
    ("[global]\norigin = top-center  # a comment\n", Anchor.TOP_CENTER),
    ('[global]\norigin = "left-center"\n', None),  # not a dunst value: unknown
    ("[global]\ngeometry = \"300x5-30+20\"\n", Anchor.TOP_RIGHT),
    ("[global]\ngeometry = 300x5+30-20\n", Anchor.BOTTOM_LEFT),
    ("[urgency_low]\norigin = bottom-left\n", None),  # only [global] places
    ("", None),
])
def test_dunstrc_origin(text: str, anchor: Anchor | None) -> None:
    assert dunst_anchor(text) is anchor


@pytest.mark.parametrize(("text", "anchor"), [
    ("font=Sans 10\nanchor=bottom-center\n", Anchor.BOTTOM_CENTER),
    ("anchor=center-right\n", Anchor.CENTER_RIGHT),
    ("anchor=top-left\n[urgency=high]\nanchor=bottom-right\n", Anchor.TOP_LEFT),
    ("[app-name=x]\nanchor=bottom-right\n", None),
    ("anchor=sideways\n", None),
])
def test_mako_config_anchor(text: str, anchor: Anchor | None) -> None:
    assert mako_anchor(text) is anchor
