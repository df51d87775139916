"""The timer window shows each step's picture beside its instruction (issue 17).

The real window process runs on a private Xvfb (no window manager: it sits where its
geometry puts it) and is fed the ``show`` messages of the built-in routines walked step
by step with the core's ``Session``, so the picture travels the same way as in the app:
routines.toml -> Step.image -> SessionView -> show message -> Tk. For every step the
screen is grabbed and the picture found beside the instruction must be that step's
pictogram: close to it, and closer to it than to any other built-in picture.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image, ImageChops, ImageGrab, ImageStat

from movebreak.config.loader import default_config
from movebreak.core.session import Session
from movebreak.guide.messages import encode, show_message
from movebreak.guide.pictures import builtin_names, picture_path
from tests.idle.xvfb import XServer, private_x_server, stop

pytestmark = pytest.mark.desktop

BG = (0x1F, 0x29, 0x37)
TILE = (0x33, 0x41, 0x55)  # the pictograms' tile (assets/draw_pictograms.py)
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def expected(name: str) -> Image.Image:
    """The pictogram as Tk should paint it: composited over the window's background."""
    with Image.open(picture_path(name)) as picture:
        base = Image.new("RGBA", picture.size, (*BG, 255))
        return Image.alpha_composite(base, picture.convert("RGBA")).convert("RGB")


def distance(a: Image.Image, b: Image.Image) -> float:
    """The mean per-channel difference, 0 (same) to 255."""
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


def tile_box(shot: Image.Image) -> tuple[int, int, int, int] | None:
    """Where the screen shows the pictograms' tile colour, if anywhere."""
    mask = Image.eval(ImageChops.difference(shot, Image.new("RGB", shot.size, TILE))
                      .convert("L"), lambda v: 255 if v == 0 else 0)
    return mask.getbbox()


@pytest.fixture
def window() -> Iterator[tuple[XServer, subprocess.Popen[bytes]]]:
    with private_x_server() as server:
        child = subprocess.Popen([sys.executable, "-m", "movebreak.guide.window"],
                                 env=server.env, stdin=subprocess.PIPE,
                                 stdout=subprocess.DEVNULL)
        try:
            yield server, child
        finally:
            assert child.stdin is not None
            child.stdin.close()
            try:
                child.wait(5)
            except subprocess.TimeoutExpired:
                stop(child)


def shown_picture(server: XServer, want: Image.Image, timeout: float = 5.0) -> Image.Image:
    """The picture on screen once it matches ``want`` (or the last one seen, at timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        shot = ImageGrab.grab(xdisplay=server.display).convert("RGB")
        box = tile_box(shot)
        seen = shot.crop((box[0], box[1], box[0] + want.width, box[1] + want.height)) \
            if box else Image.new("RGB", want.size, BG)
        if distance(seen, want) < 2 or time.monotonic() > deadline:
            return seen
        time.sleep(0.1)


def test_each_built_in_step_shows_its_picture_beside_the_instruction(window, tmp_path):
    server, child = window
    assert child.stdin is not None
    pictures = {name: expected(name) for name in builtin_names()}
    walked = []
    for routine in default_config().routines.values():
        session = Session(routine)  # every step, not one prompt's rotation
        now = NOW
        session.start(now)
        while session.result is None:
            view = session.view(now)
            assert view.image, f"{routine.id}: {view.step_name} has no picture"
            child.stdin.write(encode(show_message(view)))
            child.stdin.flush()
            seen = shown_picture(server, pictures[view.image])
            seen.save(tmp_path / f"{view.image}.png")
            distances = {name: distance(seen, p) for name, p in pictures.items()}
            assert distances[view.image] < 2, (view.step_name, distances[view.image])
            nearest = min(distances, key=lambda name: distances[name])
            assert nearest == view.image, (view.step_name, nearest, distances)
            # beside the instruction: at the window's left edge (with no ``place`` message,
            # its default corner: the bottom left, x = 16), under the step's name and dose,
            # with the text to its right, the buttons below it
            box = tile_box(ImageGrab.grab(xdisplay=server.display).convert("RGB"))
            assert box is not None and 16 + 8 <= box[0] <= 16 + 16 and 200 < box[1] < 600 - 200
            walked.append(view.image)
            now += timedelta(seconds=5)
            session.next(now)
    assert set(walked) == builtin_names()
    # a step without a picture: no tile, the instruction takes the whole width again
    child.stdin.write(encode({**show_message(session.view(now)), "picture": ""}))
    child.stdin.flush()
    deadline = time.monotonic() + 5
    while tile_box(ImageGrab.grab(xdisplay=server.display).convert("RGB")) is not None:
        assert time.monotonic() < deadline, "the last picture stayed on a step without one"
        time.sleep(0.1)
