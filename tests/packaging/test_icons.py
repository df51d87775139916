"""The icons come from the tray's own drawing, at every size each platform asks for."""

from __future__ import annotations

from PIL import Image, ImageChops

from movebreak.core.state import Status
from movebreak.tray.art import draw_icon

from .conftest import REPO


def largest_difference(a: Image.Image, b: Image.Image) -> int:
    """The biggest per-channel difference between two RGBA images of one size."""
    diff = ImageChops.difference(a.convert("RGBA"), b.convert("RGBA"))
    return max(high for _low, high in diff.getextrema())


def test_every_png_size_is_the_tray_drawing_at_that_size(make_icons, tmp_path):
    icons = make_icons.write_icons(tmp_path)
    assert sorted(icons.pngs) == [16, 22, 24, 32, 48, 64, 128, 256, 512]
    for size, path in icons.pngs.items():
        with Image.open(path) as image:
            assert image.size == (size, size)
            assert image.mode == "RGBA"
            assert largest_difference(image, draw_icon(Status.WAITING, size)) == 0


def test_the_ico_holds_each_windows_size_drawn_on_its_own(make_icons, tmp_path):
    icons = make_icons.write_icons(tmp_path)
    with Image.open(icons.ico) as ico:
        assert ico.info["sizes"] == {(s, s) for s in (16, 24, 32, 48, 64, 128, 256)}
        for size in (16, 32, 256):
            ico.size = (size, size)
            ico.load()
            assert largest_difference(ico, draw_icon(Status.WAITING, size)) == 0


def test_the_icns_reaches_1024_for_retina(make_icons, tmp_path):
    icons = make_icons.write_icons(tmp_path)
    with Image.open(icons.icns) as icns:
        assert icns.format == "ICNS"
        assert (512, 512, 2) in icns.info["sizes"]
        assert (16, 16, 2) in icns.info["sizes"]


def test_committed_package_icons_match_what_the_script_draws(make_icons, tmp_path):
    """movebreak/assets is committed (pip never runs the script): it must not drift."""
    fresh = make_icons.write_package_icons(tmp_path)
    for path in fresh:
        committed = REPO / "movebreak" / "assets" / path.name
        assert committed.is_file(), f"{committed} missing: run assets/make_icons.py --package"
        with Image.open(committed) as old, Image.open(path) as new:
            assert old.size == new.size
            # Lossless PNG from the same code: only a different Pillow could move a pixel.
            assert largest_difference(old, new) <= 2, (
                f"{committed} no longer matches movebreak/tray/art.py: "
                "run .venv/bin/python assets/make_icons.py --package"
            )


def test_the_notification_png_is_256_px(make_icons, tmp_path):
    png = make_icons.write_package_icons(tmp_path)[0]
    with Image.open(png) as image:
        assert image.size == (256, 256)
