"""The exercise pictures are drawn by assets/draw_pictograms.py, never edited by hand."""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops

from movebreak.config.loader import default_config
from movebreak.guide.pictures import EXERCISES, builtin_names, picture_path

from .conftest import REPO, load_script


@pytest.fixture(scope="module")
def pictograms():
    return load_script("assets/draw_pictograms.py")


def test_committed_pictures_are_what_the_script_draws_now(pictograms, tmp_path):
    fresh = pictograms.write_all(tmp_path)
    assert len(fresh) == len(pictograms.POSES) * len(pictograms.SIZES)
    for path in fresh:
        committed = EXERCISES / path.parent.name / path.name
        assert committed.is_file(), f"{committed} missing: run assets/draw_pictograms.py"
        with Image.open(committed) as old, Image.open(path) as new:
            assert old.size == new.size == (int(path.parent.name),) * 2
            assert old.mode == new.mode == "RGBA"
            diff = ImageChops.difference(old, new)
            assert max(high for _low, high in diff.getextrema()) == 0, (
                f"{committed} is not what assets/draw_pictograms.py draws: "
                "run .venv/bin/python assets/draw_pictograms.py")
    extra = {p.relative_to(EXERCISES) for p in EXERCISES.rglob("*.png")}
    assert extra == {p.relative_to(tmp_path) for p in fresh}, "a picture no script draws"


def test_the_script_writes_the_same_bytes_every_time(pictograms, tmp_path):
    first = pictograms.write_all(tmp_path / "a")
    second = pictograms.write_all(tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_every_built_in_step_has_a_picture_at_both_sizes():
    steps = [s for routine in default_config().routines.values() for s in routine.steps]
    assert len(steps) >= 13
    for step in steps:
        assert step.image in builtin_names(), f"{step.name}: no picture"
        for size in (160, 96):
            path = picture_path(step.image, size)
            assert path is not None and path.is_file(), path
    # no two steps share one picture: each shows its own movement
    assert len({s.image for s in steps}) == len(steps)


def test_the_pictures_are_package_data():
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"assets/exercises/*/*.png"' in pyproject
