"""The stats chart: one stacked bar per day, drawn with Pillow into a PNG.

Pillow is already a dependency (the tray icon), so the chart costs no extra
install and no plotting library's start-up time; the shape is simple enough that a
hundred lines of drawing stay readable. The module is imported only when a chart
is asked for, so the running app never pays for it.

Reading it: each bar is the day's resets, stacked from the bottom as done,
snoozed, skipped, then missed (away or unanswered); "3/5" above a bar is done of
prompted. A dot under the date marks the morning routine: filled when done,
hollow when prompted but not done. Colours are from the Okabe-Ito palette, which
stays distinct for the common kinds of colour blindness.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from PIL import Image, ImageDraw, ImageFont

from movebreak.core.stats import DayStats, Summary

Color = tuple[int, int, int]

BACKGROUND: Color = (255, 255, 255)
INK: Color = (34, 34, 34)
MUTED: Color = (120, 120, 120)
GRID: Color = (228, 228, 228)
MORNING: Color = (0, 114, 178)
# Stacking order, bottom to top.
SEGMENTS: tuple[tuple[str, str, Color], ...] = (
    ("done", "done", (0, 158, 115)),
    ("snoozed", "snoozed", (230, 159, 0)),
    ("skipped", "skipped", (213, 94, 0)),
    ("missed", "missed / no answer", (176, 176, 176)),
)

HEIGHT = 460
LEFT, RIGHT, BOTTOM = 76, 28, 104  # margins around the plot (the legend sets its top)
MIN_WIDTH = 640


@dataclass(frozen=True)
class ChartLayout:
    """Where things were drawn, so tests can sample the bars' pixels."""

    left: int
    top: int
    right: int
    bottom: int
    unit: float  # pixels per prompt
    bar_width: int
    centers: tuple[int, ...]


def segment_counts(day: DayStats) -> dict[str, int]:
    """The stacked amounts of one bar; "missed" takes in the unanswered prompts."""
    return {
        "done": day.done,
        "snoozed": day.snoozed,
        "skipped": day.skipped,
        "missed": day.missed + day.unanswered,
    }


def render_chart(summary: Summary) -> tuple[Image.Image, ChartLayout]:
    """Draw the chart of ``summary.days``; return the image and its layout."""
    days = summary.days
    slot = max(12, min(80, 900 // len(days)))
    width = max(MIN_WIDTH, LEFT + RIGHT + slot * len(days))
    image = Image.new("RGB", (width, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    fonts = _Fonts()

    _draw_titles(draw, fonts, summary, width)
    legend_bottom = _draw_legend(draw, fonts, width)
    left, top, right, bottom = LEFT, legend_bottom + 24, width - RIGHT, HEIGHT - BOTTOM
    slot = (right - left) // len(days)
    top_value, tick = _scale(max((d.prompted for d in days), default=0))
    unit = (bottom - top) / top_value
    bar_width = max(8, min(64, int(slot * 0.62)))
    centers = tuple(left + slot * i + slot // 2 for i in range(len(days)))

    for value in range(0, top_value + 1, tick):
        y = round(bottom - value * unit)
        draw.line([(left, y), (right, y)], fill=GRID if value else MUTED, width=1)
        draw.text((left - 8, y), str(value), fill=MUTED, font=fonts.small, anchor="rm")
    for day, x in zip(days, centers, strict=True):
        _draw_bar(draw, fonts, day, x, bar_width, bottom, unit, labelled=slot >= 36)
        _draw_day_label(draw, fonts, day, x, bottom, slot)
    _draw_axis_labels(image, draw, fonts, left, right, top, bottom)
    return image, ChartLayout(left, top, right, bottom, unit, bar_width, centers)


def chart_png(summary: Summary) -> bytes:
    """The chart as PNG bytes (the caller writes them where it likes)."""
    image, _layout = render_chart(summary)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# --- drawing helpers -----------------------------------------------------------------


class _Fonts:
    """Pillow's bundled scalable font, so the chart looks the same on every machine."""

    def __init__(self) -> None:
        self.title = _font(22)
        self.normal = _font(15)
        self.small = _font(13)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except (OSError, ImportError, TypeError):  # Pillow built without FreeType
        return ImageFont.load_default()


def _scale(highest: int) -> tuple[int, int]:
    """A y-axis top and a tick step giving 4 to 6 gridlines at round numbers."""
    highest = max(highest, 4)
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if highest / step <= 6:
            return -(-highest // step) * step, step
    step = 10 ** len(str(highest // 6))
    return -(-highest // step) * step, step


def _draw_titles(draw: ImageDraw.ImageDraw, fonts: _Fonts, summary: Summary, width: int) -> None:
    first, last = summary.days[0].day, summary.days[-1].day
    span = f"{_date_text(last)} {last.year}"
    if first != last:
        span = f"{_date_text(first)} to {span}"
    done = sum(d.done for d in summary.days)
    prompted = sum(d.prompted for d in summary.days)
    parts = [span, f"{done} of {prompted} resets done"]
    if prompted:
        parts[-1] += f" ({round(100 * done / prompted)} %)"
    streak = "day" if summary.streak == 1 else "days"
    parts.append(f"morning streak {summary.streak} {streak}")
    draw.text((LEFT, 18), "Resets per day", fill=INK, font=fonts.title)
    draw.text((LEFT, 50), "  ·  ".join(parts), fill=MUTED, font=fonts.normal)


def _date_text(day: date) -> str:
    """A date as "Mon 3 Mar", without platform-specific strftime flags."""
    return f"{day:%a} {day.day} {day:%b}"


def _legend_items() -> list[tuple[str, Color, str]]:
    """(marker, colour, label) in reading order: the bar colours, then the dots."""
    items = [("box", colour, label) for _key, label, colour in SEGMENTS]
    items += [("dot", MORNING, "morning routine done"), ("ring", MORNING, "not done")]
    return items


def _draw_legend(draw: ImageDraw.ImageDraw, fonts: _Fonts, width: int) -> int:
    """Draw the legend from y=84, wrapping to a new row as needed; return its bottom."""
    x, y = LEFT, 84
    for marker, colour, label in _legend_items():
        item_width = 20 + int(draw.textlength(label, font=fonts.small))
        if x + item_width > width - RIGHT and x > LEFT:
            x, y = LEFT, y + 24
        if marker == "box":
            draw.rectangle([x, y - 7, x + 14, y + 7], fill=colour)
        else:
            _dot(draw, x + 7, y, filled=marker == "dot")
        draw.text((x + 20, y), label, fill=INK, font=fonts.small, anchor="lm")
        x += item_width + 22
    return y + 10


def _dot(draw: ImageDraw.ImageDraw, x: int, y: int, *, filled: bool, radius: int = 6) -> None:
    box = [x - radius, y - radius, x + radius, y + radius]
    if filled:
        draw.ellipse(box, fill=MORNING)
    else:
        draw.ellipse(box, outline=MORNING, width=2)


def _draw_bar(
    draw: ImageDraw.ImageDraw,
    fonts: _Fonts,
    day: DayStats,
    x: int,
    bar_width: int,
    bottom: int,
    unit: float,
    *,
    labelled: bool,
) -> None:
    counts = segment_counts(day)
    x0, x1 = x - bar_width // 2, x + bar_width // 2
    level = 0
    for key, _label, colour in SEGMENTS:
        if counts[key]:
            y0 = round(bottom - (level + counts[key]) * unit)
            y1 = round(bottom - level * unit)
            draw.rectangle([x0, y0, x1, y1 - 1], fill=colour)
            # A thin white seam keeps neighbouring segments apart in print and on
            # low-contrast screens.
            draw.line([(x0, y0), (x1, y0)], fill=BACKGROUND, width=1)
            level += counts[key]
    if day.prompted and labelled:
        label = f"{day.done}/{day.prompted}"
        y = round(bottom - level * unit) - 6
        draw.text((x, y), label, fill=INK, font=fonts.small, anchor="md")


def _draw_day_label(
    draw: ImageDraw.ImageDraw,
    fonts: _Fonts,
    day: DayStats,
    x: int,
    bottom: int,
    slot: int,
) -> None:
    """Weekday and date under each bar; on crowded charts, under each Monday only."""
    weekend = day.day.weekday() >= 5
    colour = MUTED if weekend else INK
    if slot >= 28:
        name = f"{day.day:%a}"[: 3 if slot >= 44 else 2]
        draw.text((x, bottom + 8), name, fill=colour, font=fonts.small, anchor="mt")
        draw.text((x, bottom + 25), f"{day.day.day}", fill=colour, font=fonts.small, anchor="mt")
    elif day.day.weekday() == 0:
        draw.line([(x, bottom), (x, bottom + 5)], fill=MUTED)
        draw.text((x, bottom + 8), f"{day.day:%a}", fill=colour, font=fonts.small, anchor="mt")
        draw.text(
            (x, bottom + 25), _date_text(day.day)[4:], fill=colour, font=fonts.small, anchor="mt"
        )
    if day.morning_prompted or day.morning_done:
        radius = max(3, min(6, slot // 2 - 2))
        _dot(draw, x, bottom + 52, filled=day.morning_done, radius=radius)


def _draw_axis_labels(
    image: Image.Image,
    draw: ImageDraw.ImageDraw,
    fonts: _Fonts,
    left: int,
    right: int,
    top: int,
    bottom: int,
) -> None:
    draw.text(((left + right) // 2, HEIGHT - 14), "day", fill=MUTED, font=fonts.normal, anchor="md")
    label = "resets prompted"
    size = (int(draw.textlength(label, font=fonts.normal)) + 4, 22)
    strip = Image.new("RGB", size, BACKGROUND)
    ImageDraw.Draw(strip).text((2, 2), label, fill=MUTED, font=fonts.normal)
    rotated = strip.rotate(90, expand=True)
    image.paste(rotated, (14, (top + bottom) // 2 - rotated.height // 2))
