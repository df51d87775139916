"""Draw the pictogram of each built-in exercise (issue 17): one figure style, in code.

    .venv/bin/python assets/draw_pictograms.py            # rewrite movebreak/assets/exercises/
    .venv/bin/python assets/draw_pictograms.py OUT_DIR    # write them somewhere else

Every picture is the same little person: thick round-jointed limbs, the far arm and leg
a shade darker than the near ones, a round head, on a dark rounded tile that sits on the
timer window's background and reads on light and dark notification themes alike. The
one thing the exercise uses (a band, a wall, a desk, a door frame, stairs) is drawn in
the accent colour, and the movement in an amber arrow. Poses are written in a 160-unit
square, drawn at 4x the output size and downsampled, so edges are smooth at 160 px (the
timer window) and 96 px (notifications).

Pillow only, no fonts, no randomness: the same Pillow writes the same bytes, and
``tests/packaging/test_pictograms.py`` fails when the committed PNGs differ from what
this script draws now.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parent.parent
PACKAGE_DIR = REPO / "movebreak" / "assets" / "exercises"
SIZES = (160, 96)  # the timer window; a notification's image
OVERSAMPLE = 4
UNIT = 160  # poses are written in a 160 x 160 square

TILE = (0x33, 0x41, 0x55, 255)
NEAR = (0xF8, 0xFA, 0xFC, 255)
FAR = (0x9C, 0xA8, 0xBA, 255)
PROP = (0x34, 0xD3, 0x99, 255)  # the band, wall, desk: the window's accent green
ARROW = (0xFB, 0xBF, 0x24, 255)  # the motion: the window's cue amber
FLOOR = (0x64, 0x74, 0x8B, 255)

LIMB, TORSO, HEAD_R = 9.0, 11.0, 10.5
FLOOR_Y = 146.0

Point = tuple[float, float]


class Canvas:
    """Drawing in pose units (0..160) onto an oversampled RGBA image."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.k = size * OVERSAMPLE / UNIT
        self.image = Image.new("RGBA", (size * OVERSAMPLE,) * 2, (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.image)
        edge = size * OVERSAMPLE - 1
        self.draw.rounded_rectangle((0, 0, edge, edge), radius=18 * self.k, fill=TILE)

    def _p(self, point: Point) -> tuple[float, float]:
        return point[0] * self.k, point[1] * self.k

    def dot(self, at: Point, radius: float, colour: tuple[int, ...]) -> None:
        x, y = self._p(at)
        r = radius * self.k
        self.draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)

    def line(self, points: Sequence[Point], width: float, colour: tuple[int, ...]) -> None:
        """A polyline with round ends and round joints."""
        scaled = [self._p(p) for p in points]
        self.draw.line(scaled, fill=colour, width=round(width * self.k), joint="curve")
        for point in points:
            self.dot(point, width / 2, colour)

    def rect(self, box: tuple[float, float, float, float], colour: tuple[int, ...]) -> None:
        x0, y0 = self._p(box[:2])
        x1, y1 = self._p(box[2:])
        self.draw.rounded_rectangle((x0, y0, x1, y1), radius=1.5 * self.k, fill=colour)

    def floor(self, x0: float = 12, x1: float = 148) -> None:
        self.line([(x0, FLOOR_Y), (x1, FLOOR_Y)], 3, FLOOR)

    def head(self, at: Point, colour: tuple[int, ...] = NEAR) -> None:
        self.dot(at, HEAD_R, colour)

    def limb(self, points: Sequence[Point], far: bool = False) -> None:
        self.line(points, LIMB, FAR if far else NEAR)

    def torso(self, neck: Point, hip: Point) -> None:
        self.line([neck, hip], TORSO, NEAR)

    def prop(self, points: Sequence[Point], width: float = 5) -> None:
        self.line(points, width, PROP)

    def arrow(self, points: Sequence[Point], both: bool = False) -> None:
        """A motion arrow along ``points`` with its head at the last point (and the first)."""
        self.line(points, 4.5, ARROW)
        self._head(points[-2], points[-1])
        if both:
            self._head(points[1], points[0])

    def curved_arrow(self, centre: Point, radius: float, start: float, end: float,
                     both: bool = False, squash: float = 1.0) -> None:
        """An arrow along a circle (or an ellipse, ``squash`` < 1) from ``start`` to ``end``
        degrees, measured clockwise from 3 o'clock as on screen."""
        steps = max(8, int(abs(end - start) / 6))
        points = [
            (centre[0] + radius * math.cos(math.radians(a)),
             centre[1] + radius * squash * math.sin(math.radians(a)))
            for a in (start + (end - start) * i / steps for i in range(steps + 1))
        ]
        self.arrow(points, both)

    def _head(self, before: Point, tip: Point) -> None:
        angle = math.atan2(tip[1] - before[1], tip[0] - before[0])
        length, half = 11.0, 7.5
        back = (tip[0] - length * 0.55 * math.cos(angle), tip[1] - length * 0.55 * math.sin(angle))
        # the point sits a little beyond the line's end so the round cap does not show
        point = (tip[0] + length * 0.45 * math.cos(angle), tip[1] + length * 0.45 * math.sin(angle))
        left = (back[0] + half * math.sin(angle), back[1] - half * math.cos(angle))
        right = (back[0] - half * math.sin(angle), back[1] + half * math.cos(angle))
        self.draw.polygon([self._p(point), self._p(left), self._p(right)], fill=ARROW)

    def finish(self) -> Image.Image:
        return self.image.resize((self.size, self.size), Image.Resampling.LANCZOS)


# --- the poses ---------------------------------------------------------------------------
# Side views face right. A pose draws far limbs first, then the body, then near limbs.


def band_pull_apart(c: Canvas) -> None:
    """Front view: arms straight out at shoulder height, the band stretched hand to hand."""
    c.floor()
    c.limb([(72, 88), (68, 116), (66, 144)])
    c.limb([(88, 88), (92, 116), (94, 144)])
    c.torso((80, 42), (80, 88))
    c.head((80, 26))
    c.limb([(80, 46), (52, 48), (26, 50)])
    c.limb([(80, 46), (108, 48), (134, 50)])
    c.prop([(24, 50), (22, 58), (138, 58), (136, 50)], 4)
    c.arrow([(44, 76), (20, 76)])
    c.arrow([(116, 76), (140, 76)])


def face_pull(c: Canvas) -> None:
    """Side view: band from an anchor at face height to the hands at the forehead,
    elbows high and back."""
    c.floor()
    c.prop([(148, 14), (148, 146)], 6)  # the door
    c.limb([(62, 90), (58, 118), (52, 144)], far=True)
    c.limb([(66, 46), (52, 36), (74, 16)], far=True)
    c.prop([(84, 18), (146, 24)], 4)
    c.torso((64, 44), (62, 90))
    c.head((70, 28))
    c.limb([(62, 90), (72, 118), (78, 144)])
    c.limb([(64, 48), (50, 40), (84, 18)])
    c.arrow([(136, 40), (100, 36)])


def wall_pec_stretch(c: Canvas) -> None:
    """Front view beside a wall: forearm flat on it, elbow at shoulder height, the body
    turning away."""
    c.floor()
    c.prop([(16, 10), (16, 146)], 7)
    c.limb([(86, 90), (88, 118), (90, 144)])
    c.limb([(96, 90), (102, 118), (108, 144)])
    c.torso((92, 44), (92, 90))
    c.head((94, 28))
    c.limb([(92, 48), (104, 72), (110, 94)])
    c.limb([(92, 48), (58, 48), (26, 48), (26, 16)])
    c.curved_arrow((92, 66), 34, 160, 40, squash=0.35)


def hip_flexor_stretch(c: Canvas) -> None:
    """Side view, half kneeling: back knee down, hips pushed forward, torso tall."""
    c.floor()
    c.limb([(74, 112), (104, 112), (106, 144), (116, 144)], far=True)
    c.limb([(74, 112), (62, 142), (32, 142)])
    c.torso((76, 66), (74, 112))
    c.head((78, 50))
    c.limb([(76, 70), (86, 90), (96, 106)])
    c.arrow([(34, 106), (56, 106)])


def easy_cardio(c: Canvas) -> None:
    """Side view walking up stairs, arms swinging."""
    steps = [(8, 146), (48, 146), (48, 128), (84, 128), (84, 110), (120, 110), (120, 92),
             (152, 92)]
    c.prop(steps, 5)
    c.limb([(70, 84), (52, 104), (34, 124), (24, 124)], far=True)  # the lower foot
    c.limb([(70, 38), (60, 56), (52, 74)], far=True)
    c.torso((72, 38), (70, 84))
    c.head((78, 22))
    c.limb([(70, 84), (94, 90), (86, 108), (98, 108)])
    c.limb([(72, 42), (86, 58), (98, 48)])
    c.arrow([(104, 60), (138, 38)])


def thoracic_rotation(c: Canvas) -> None:
    """Side view on hands and knees: one hand behind the head, that elbow rotating up."""
    c.floor()
    c.limb([(52, 108), (52, 140), (22, 142)], far=True)
    c.limb([(98, 104), (100, 142)], far=True)
    c.torso((98, 104), (52, 108))
    c.head((116, 98))
    c.limb([(52, 108), (58, 142), (26, 143)])
    c.limb([(98, 104), (94, 74), (110, 90)])  # elbow up, hand behind the head
    c.curved_arrow((98, 104), 40, 60, -62)


def shoulder_circles(c: Canvas) -> None:
    """Front view standing tall, arms relaxed; a circle at each shoulder."""
    c.floor()
    c.limb([(74, 92), (70, 118), (68, 144)])
    c.limb([(86, 92), (90, 118), (92, 144)])
    c.torso((80, 48), (80, 92))
    c.head((80, 30))
    c.limb([(62, 52), (98, 52)], far=False)
    c.limb([(62, 52), (58, 78), (56, 102)])
    c.limb([(98, 52), (102, 78), (104, 102)])
    c.curved_arrow((52, 46), 15, 200, 500)
    c.curved_arrow((108, 46), 15, -20, -320)


def deep_squat_hold(c: Canvas) -> None:
    """Side view in a deep squat, heels down, holding on to a door frame."""
    c.floor()
    c.prop([(140, 8), (140, 146)], 7)
    c.limb([(64, 126), (92, 110), (80, 142), (94, 144)], far=True)
    c.limb([(86, 84), (110, 90), (136, 86)], far=True)
    c.torso((86, 82), (64, 126))
    c.head((96, 66))
    c.limb([(64, 126), (100, 114), (86, 142), (100, 144)])
    c.limb([(86, 86), (112, 96), (136, 92)])
    c.arrow([(36, 88), (36, 124)])


def lunges(c: Canvas) -> None:
    """Side view: a long step, front knee over the ankle, back knee towards the floor."""
    c.floor()
    c.limb([(84, 112), (70, 138), (44, 140)], far=True)
    c.limb([(84, 66), (76, 88), (74, 108)], far=True)
    c.torso((84, 66), (84, 112))
    c.head((86, 50))
    c.limb([(84, 112), (114, 112), (116, 144), (128, 144)])
    c.limb([(84, 70), (92, 90), (96, 108)])
    c.arrow([(44, 96), (44, 128)], both=True)


def desk_push_ups(c: Canvas) -> None:
    """Side view: hands on a desk's edge, body straight from head to heels."""
    c.floor()
    c.prop([(112, 98), (156, 98)], 7)
    c.prop([(118, 98), (118, 146)], 5)
    c.prop([(150, 98), (150, 146)], 5)
    c.limb([(56, 104), (20, 143)], far=True)
    c.limb([(92, 66), (118, 96)], far=True)
    c.torso((92, 66), (56, 104))
    c.head((103, 54))
    c.limb([(56, 104), (24, 143)])
    c.limb([(92, 68), (120, 96)])
    c.arrow([(122, 44), (142, 66)], both=True)


def band_rows(c: Canvas) -> None:
    """Side view: a band anchored at chest height, elbows pulled back past the ribs."""
    c.floor()
    c.prop([(148, 14), (148, 146)], 6)
    c.limb([(66, 90), (60, 118), (54, 144)], far=True)
    c.limb([(68, 50), (46, 64), (70, 70)], far=True)
    c.prop([(76, 66), (146, 60)], 4)
    c.torso((68, 46), (66, 90))
    c.head((72, 30))
    c.limb([(66, 90), (76, 118), (82, 144)])
    c.limb([(68, 50), (48, 66), (76, 66)])
    c.arrow([(134, 44), (98, 44)])


def walk_and_talk(c: Canvas) -> None:
    """Side view walking, a phone at the ear."""
    c.floor()
    c.limb([(76, 90), (62, 116), (46, 140)], far=True)
    c.limb([(80, 46), (70, 66), (64, 86)], far=True)
    c.torso((80, 44), (76, 90))
    c.head((84, 28))
    c.limb([(76, 90), (94, 116), (104, 142)])
    c.limb([(80, 48), (100, 50), (94, 28)])  # hand at the ear
    c.prop([(96, 34), (94, 18)], 7)  # the phone
    c.arrow([(110, 130), (144, 130)])


def stand_to_read(c: Canvas) -> None:
    """Side view standing at a raised desk, hands on it, knees soft; weight shifting."""
    c.floor()
    c.prop([(94, 80), (152, 80)], 7)
    c.prop([(140, 80), (140, 146)], 5)
    c.prop([(112, 78), (128, 64)], 4)  # the papers, propped up
    c.limb([(62, 92), (58, 118), (54, 144)], far=True)
    c.limb([(66, 48), (70, 70), (94, 76)], far=True)
    c.torso((66, 46), (62, 92))
    c.head((72, 30))
    c.limb([(62, 92), (70, 118), (70, 144)])
    c.limb([(66, 50), (74, 70), (98, 76)])
    c.arrow([(30, 128), (60, 128)], both=True)


POSES: dict[str, Callable[[Canvas], None]] = {
    "band-pull-apart": band_pull_apart,
    "face-pull": face_pull,
    "wall-pec-stretch": wall_pec_stretch,
    "hip-flexor-stretch": hip_flexor_stretch,
    "easy-cardio": easy_cardio,
    "thoracic-rotation": thoracic_rotation,
    "shoulder-circles": shoulder_circles,
    "deep-squat-hold": deep_squat_hold,
    "lunges": lunges,
    "desk-push-ups": desk_push_ups,
    "band-rows": band_rows,
    "walk-and-talk": walk_and_talk,
    "stand-to-read": stand_to_read,
}


def draw(name: str, size: int) -> Image.Image:
    """The pictogram ``name`` as an RGBA image ``size`` pixels square."""
    canvas = Canvas(size)
    POSES[name](canvas)
    return canvas.finish()


def write_all(folder: Path) -> list[Path]:
    """Write every pictogram at every size: ``folder/SIZE/NAME.png``."""
    written = []
    for size in SIZES:
        (folder / str(size)).mkdir(parents=True, exist_ok=True)
        for name in POSES:
            path = folder / str(size) / f"{name}.png"
            draw(name, size).save(path, format="PNG", optimize=False)
            written.append(path)
    return written


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else PACKAGE_DIR
    for path in write_all(folder):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
