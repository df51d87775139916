"""The icon's design, drawn with Pillow: one figure, a colour and a mark per state.

Drawn four times larger and scaled down, so it stays crisp from 16 to 64 px. The
states differ in hue and in shape (pause bars, a progress ring, an alert dot), so
they tell apart at a glance and for colour-blind users too.

The running tray does not import this module (unless its strip is missing):
``assets/make_icons.py`` draws every frame it shows into a committed strip, which
``frames.py`` reads (see there why).
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from movebreak.core.state import Status
from movebreak.tray.frames import FRAME_SIZE, FRAMES, PROGRESS_STEPS

COLOURS: dict[Status, tuple[int, int, int]] = {
    Status.WAITING: (31, 138, 112),  # teal
    Status.DUE: (232, 121, 23),  # orange
    Status.RUNNING: (37, 99, 235),  # blue
    Status.PAUSED: (107, 114, 128),  # grey
    Status.MEETING: (124, 58, 237),  # purple
    Status.HELD: (51, 65, 85),  # slate: a presentation or do-not-disturb holds prompts
}
WHITE = (255, 255, 255, 255)
_SCALE = 4


def _figure(draw: ImageDraw.ImageDraw, s: int) -> None:
    """A person stretching, arms up in a V, on a canvas of side ``s``."""
    w = max(1, s // 14)
    cx = s // 2
    head_r = s // 11
    draw.ellipse((cx - head_r, s * 0.17 - head_r, cx + head_r, s * 0.17 + head_r), fill=WHITE)
    neck, hip = s * 0.32, s * 0.58
    draw.line((cx, neck, cx, hip), fill=WHITE, width=w)
    draw.line((cx, neck + w, cx - s * 0.2, s * 0.16), fill=WHITE, width=w)
    draw.line((cx, neck + w, cx + s * 0.2, s * 0.16), fill=WHITE, width=w)
    draw.line((cx, hip, cx - s * 0.14, s * 0.82), fill=WHITE, width=w)
    draw.line((cx, hip, cx + s * 0.14, s * 0.82), fill=WHITE, width=w)


def _pause_bars(draw: ImageDraw.ImageDraw, s: int) -> None:
    bar_w, top, bottom = s * 0.12, s * 0.3, s * 0.7
    for left in (s * 0.33, s * 0.55):
        draw.rounded_rectangle((left, top, left + bar_w, bottom), radius=s // 40, fill=WHITE)


def draw_icon(status: Status, size: int = 64, progress: float | None = None) -> Image.Image:
    """The tray icon for ``status`` at ``size`` px; ``progress`` (0..1) draws a ring."""
    s = size * _SCALE
    image = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    margin = s // 32
    draw.ellipse((margin, margin, s - margin, s - margin), fill=(*COLOURS[status], 255))
    if status in (Status.PAUSED, Status.HELD):
        _pause_bars(draw, s)
    else:
        _figure(draw, s)
    if status is Status.RUNNING and progress is not None:
        ring = s // 10
        box = (
            margin + ring // 2,
            margin + ring // 2,
            s - margin - ring // 2,
            s - margin - ring // 2,
        )
        draw.arc(box, -90, -90 + 360 * max(0.0, min(1.0, progress)), fill=WHITE, width=ring // 2)
    if status is Status.DUE:
        dot = s * 0.3
        draw.ellipse(
            (s - dot - margin, margin, s - margin, margin + dot),
            fill=(220, 38, 38, 255),
            outline=WHITE,
            width=s // 40,
        )
    return image.resize((size, size), Image.Resampling.LANCZOS)


def draw_strip() -> Image.Image:
    """Every frame the tray shows, side by side in ``FRAMES`` order (what ``frames.py`` reads)."""
    strip = Image.new("RGBA", (FRAME_SIZE * len(FRAMES), FRAME_SIZE), (0, 0, 0, 0))
    for index, (status, step) in enumerate(FRAMES):
        progress = None if step is None else step / PROGRESS_STEPS
        strip.paste(draw_icon(status, FRAME_SIZE, progress), (index * FRAME_SIZE, 0))
    return strip
