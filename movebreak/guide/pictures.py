"""Which picture shows a step: a built-in pictogram by name, or a file of the user's own.

A step's ``image`` (``Step.image``) is either the name of a built-in pictogram
(``wall-pec-stretch``: lower-case words joined by ``-``, as ``routines.toml`` names them)
or, for a picture of the user's own, the absolute path the config loader resolved from
the path they wrote (relative to the config file's folder). ``picture_path`` maps that
to a file without touching the disk; ``picture_problem`` is the one check that reads
it, done once when the config loads. The pictograms are drawn by
``assets/draw_pictograms.py`` at two sizes: 160 px for the timer window, 96 px for a
notification's image.
"""

from __future__ import annotations

import re
from pathlib import Path

from movebreak.core.routines import Step

EXERCISES = Path(__file__).resolve().parent.parent / "assets" / "exercises"
WINDOW_SIZE = 160
NOTIFICATION_SIZE = 96
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")  # what Tk's photo image reads


def is_builtin_name(image: str) -> bool:
    """True for a pictogram's name (``lunges``), False for a file path (``me/lunge.png``)."""
    return bool(_NAME.match(image))


def builtin_names() -> frozenset[str]:
    """The names of the packaged pictograms (lists their folder)."""
    return frozenset(path.stem for path in (EXERCISES / str(WINDOW_SIZE)).glob("*.png"))


def picture_path(image: str, size: int = WINDOW_SIZE) -> Path | None:
    """The file that shows ``image`` at ``size`` px (built-in ones: 160 or 96); None for
    no picture. A user's own file is one size: the window scales it down to fit."""
    if not image:
        return None
    if is_builtin_name(image):
        return EXERCISES / str(size) / f"{image}.png"
    return Path(image)


def step_picture(step: Step, size: int = WINDOW_SIZE) -> Path | None:
    """The picture of ``step`` at ``size`` px, or None when it has none."""
    return picture_path(step.image, size)


def picture_problem(path: Path) -> str | None:
    """Why the file at ``path`` cannot be shown as a picture; None when it can."""
    try:
        with path.open("rb") as file:
            head = file.read(8)
    except FileNotFoundError:
        return f"no such file: {path}"
    except IsADirectoryError:
        return f"a folder, not a picture: {path}"
    except OSError as error:
        return f"cannot read {path}: {error.strerror or error}"
    if not head.startswith(_SIGNATURES):
        return f"not a PNG or GIF picture: {path}"
    return None
