"""movebreak on sway 1.7 (wlroots) with waybar's tray and mako, all real, all private."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.desktop


def test_stack_is_up(sway) -> None:
    assert sway.tray_items() == []
    assert sway.modes() == ["default"]
    print(sway.timings)
