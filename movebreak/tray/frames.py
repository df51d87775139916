"""The tray's pictures, read from a strip that ``assets/make_icons.py`` drew ahead of time.

Why not draw them at run time: since Pillow 13, importing ``ImageDraw`` imports
``ImageFont``, which maps FreeType and HarfBuzz into the process (1.7 MB of PSS in a
bare Python; 1.5 MB less for the running app), kept for the whole day to draw 19
pictures that never change. So the design stays in code (``art.py``), and when the
tray's look changes it decodes the committed strip (31 KB) and keeps the one 64 px
frame it needs; ``tests/packaging/test_icons.py`` fails when the strip no longer
matches what ``art.py`` draws.

The strip holds every ``Status`` once, in the enum's order, and the running state
again at each step of its progress ring.
"""

from __future__ import annotations

import logging
from functools import cache
from importlib import resources
from typing import IO

from PIL import Image

from movebreak.core.state import Status

log = logging.getLogger(__name__)

FRAME_SIZE = 64
"""The side of each frame: what the tray hands pystray, which scales it for the panel."""

PROGRESS_STEPS = 12
"""The ring fills in twelfths: it visibly moves, yet a 2-minute reset redraws every 10 s only."""

STRIP_NAME = "tray-frames.png"

Frame = tuple[Status, int | None]
"""A state and, for the running state, its ring step (``None``: no ring)."""


def _frames() -> tuple[Frame, ...]:
    frames: list[Frame] = []
    for status in Status:
        frames.append((status, None))
        if status is Status.RUNNING:
            frames.extend((status, step) for step in range(PROGRESS_STEPS + 1))
    return tuple(frames)


FRAMES = _frames()


def progress_step(progress: float | None) -> int | None:
    """The ring step shown for ``progress`` (0..1), or ``None`` when there is none."""
    if progress is None:
        return None
    return round(max(0.0, min(1.0, progress)) * PROGRESS_STEPS)


def frame_of(status: Status, progress: float | None) -> Frame:
    """The frame that shows ``status``; only the running state has a ring."""
    return (status, progress_step(progress) if status is Status.RUNNING else None)


def _open_strip() -> IO[bytes]:
    return resources.files("movebreak").joinpath("assets", STRIP_NAME).open("rb")


def load_frame(frame: Frame) -> Image.Image:
    """The picture for ``frame``, cut from the packaged strip.

    A strip that is missing, unreadable or of another layout (a damaged install, or
    art changed without running ``make_icons.py``) is logged once and the picture is
    drawn instead, at the cost of the memory this module exists to save.
    """
    index = FRAMES.index(frame)
    try:
        with _open_strip() as file, Image.open(file) as strip:
            expected = (FRAME_SIZE * len(FRAMES), FRAME_SIZE)
            if strip.size != expected:
                raise OSError(f"{STRIP_NAME} is {strip.size}, not {expected}")
            box = (index * FRAME_SIZE, 0, (index + 1) * FRAME_SIZE, FRAME_SIZE)
            return strip.crop(box).convert("RGBA")
    except OSError as error:
        _warn_once(str(error))
    from movebreak.tray.art import draw_icon

    status, step = frame
    return draw_icon(status, FRAME_SIZE, None if step is None else step / PROGRESS_STEPS)


@cache
def _warn_once(reason: str) -> None:
    log.warning("the tray's pictures could not be read (%s); drawing them instead", reason)
