"""Draw movebreak's app icons from the tray's own design: PNGs, a Windows .ico, a macOS .icns.

The tray draws its states at run time with ``movebreak.tray.art.draw_icon``; the app
icon is that same drawing in the "waiting" state, so the launcher, the notification and
the tray look like one thing. Each size is drawn on its own (``draw_icon`` draws four
times larger and scales down), which keeps the 16 px icon crisp instead of shrinking
the 512 px one.

What is committed and what is generated (see ``assets/README.md``): only the files
inside the Python package (``movebreak/assets/movebreak.png``, ``movebreak.ico`` and
the tray's frame strip ``tray-frames.png``) are committed, because ``pip install``
from a checkout or an sdist never runs this script; every other icon is generated at
build time by the packaging scripts, and a test keeps the committed copies equal to
what this script draws.

    python assets/make_icons.py OUT_DIR            # PNGs, .ico and .icns into OUT_DIR
    python assets/make_icons.py --package          # refresh the committed in-package icons
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from movebreak.core.state import Status
from movebreak.tray.art import draw_icon, draw_strip
from movebreak.tray.frames import STRIP_NAME

REPO = Path(__file__).resolve().parents[1]
PACKAGE_ASSETS = REPO / "movebreak" / "assets"

APP_ICON_STATUS = Status.WAITING
"""The tray's resting look is the app's face."""

PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
"""The freedesktop hicolor sizes; 22 and 24 are panel sizes, 512 is AppStream's largest."""

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
"""Windows picks from these for the taskbar, Explorer and notifications; 256 is ICO's limit."""

ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)
"""macOS wants 16 to 512 at 1x and 2x, hence a 1024 master."""

PACKAGE_PNG_SIZE = 256
"""The notification icon inside the package: sharp on HiDPI, about 20 KB."""


@dataclass(frozen=True)
class IconSet:
    """Where ``write_icons`` put each file."""

    pngs: dict[int, Path]
    ico: Path
    icns: Path


def png_name(size: int) -> str:
    """``movebreak-48.png``: the packaging scripts map these onto their own layouts."""
    return f"movebreak-{size}.png"


def render(sizes: tuple[int, ...]) -> dict[int, Image.Image]:
    """The app icon drawn once per size (not resampled from one big image)."""
    return {size: draw_icon(APP_ICON_STATUS, size) for size in sizes}


def save_ico(images: dict[int, Image.Image], target: Path) -> None:
    """A multi-size .ico; each entry is its own drawing, not a rescale of the largest."""
    largest = max(ICO_SIZES)
    images[largest].save(
        target,
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != largest],
    )


def save_icns(images: dict[int, Image.Image], target: Path) -> None:
    """A .icns from the 1024 px master plus the exact drawings Pillow can use per slot."""
    largest = max(ICNS_SIZES)
    images[largest].save(
        target, format="ICNS", append_images=[images[s] for s in ICNS_SIZES if s != largest]
    )


def write_icons(out_dir: Path) -> IconSet:
    """Write every PNG size, the .ico and the .icns into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    images = render(tuple(sorted(set(PNG_SIZES) | set(ICO_SIZES) | set(ICNS_SIZES))))
    pngs = {}
    for size in PNG_SIZES:
        pngs[size] = out_dir / png_name(size)
        images[size].save(pngs[size], format="PNG", optimize=True)
    icon_set = IconSet(pngs=pngs, ico=out_dir / "movebreak.ico", icns=out_dir / "movebreak.icns")
    save_ico(images, icon_set.ico)
    save_icns(images, icon_set.icns)
    return icon_set


def write_package_icons(package_assets: Path = PACKAGE_ASSETS) -> list[Path]:
    """The committed in-package icons: the notification PNG, the Windows .ico, the tray strip."""
    package_assets.mkdir(parents=True, exist_ok=True)
    images = render(tuple(sorted({PACKAGE_PNG_SIZE, *ICO_SIZES})))
    png = package_assets / "movebreak.png"
    images[PACKAGE_PNG_SIZE].save(png, format="PNG", optimize=True)
    ico = package_assets / "movebreak.ico"
    save_ico(images, ico)
    strip = package_assets / STRIP_NAME
    draw_strip().save(strip, format="PNG", optimize=True)
    return [png, ico, strip]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", nargs="?", type=Path, help="where the icon set goes")
    parser.add_argument(
        "--package", action="store_true", help=f"rewrite the icons in {PACKAGE_ASSETS}"
    )
    args = parser.parse_args(argv)
    if args.out_dir is None and not args.package:
        parser.error("give OUT_DIR, --package, or both")
    if args.package:
        for path in write_package_icons():
            print(path)
    if args.out_dir is not None:
        icon_set = write_icons(args.out_dir)
        print(f"{len(icon_set.pngs)} PNGs, {icon_set.ico.name}, {icon_set.icns.name} "
              f"in {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
