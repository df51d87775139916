"""Config loading: defaults, user overrides, and errors that name file, line and key."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from movebreak.config.errors import ConfigError
from movebreak.config.loader import builtin_text, config_from_text, default_config, load_config
from movebreak.core.durations import DurationRange, RepRange


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        config_from_text(text, "config.toml")
    return [str(p) for p in caught.value.problems]


def test_defaults_have_the_four_routines_with_real_instructions():
    config = default_config()
    assert set(config.routines) == {"reset", "morning", "meeting-stand", "standing-block"}
    for routine in config.routines.values():
        for step in routine.steps:
            assert len(step.instruction.split()) >= 8, step.name
            assert step.duration or step.reps
    morning = config.routine("morning")
    assert morning.planned_time() == timedelta(minutes=15)
    reset = config.routine("reset")
    assert all(reset.planned_time(r) <= timedelta(minutes=2, seconds=15) for r in range(4))
    assert config.standing.enabled is False


def test_the_shipped_commented_file_is_the_defaults():
    assert config_from_text(builtin_text("config.toml"), "c.toml").reset == default_config().reset


def test_missing_file_means_defaults(tmp_path):
    assert load_config(tmp_path / "nope.toml").source == "built-in defaults"


def test_one_key_changes_one_key():
    config = config_from_text('[reset]\nevery = "45m"\n', "config.toml")
    assert config.reset.every == timedelta(minutes=45)
    assert config.reset.routine == "reset" and config.morning.enabled


def test_user_routine_and_partial_override():
    text = """
[reset]
routine = "eyes"

[routines.eyes]
title = "Eye break"

[[routines.eyes.steps]]
name = "Look far away"
duration = "20-30s"
instruction = "Look at something six metres away."

[[routines.eyes.steps]]
name = "Shoulder rolls"
reps = "10-12"
each_side = true
instruction = "Roll your shoulders slowly."

[routines.morning]
title = "Wake-up"
"""
    config = config_from_text(text, "config.toml")
    eyes = config.routine("eyes")
    assert eyes.steps[0].duration == DurationRange(timedelta(seconds=20), timedelta(seconds=30))
    assert eyes.steps[1].reps == RepRange(10, 12) and eyes.steps[1].each_side
    assert config.routine("morning").title == "Wake-up"
    assert len(config.routine("morning").steps) == 7


def test_error_names_file_line_and_key():
    text = '# my config\n\n[reset]\nenabled = true\nevery = "soon"\n'
    assert problems(text) == [
        'config.toml:5: reset.every: expected a duration such as "45m" or "1h30m", got "soon"']


def test_every_problem_is_reported_in_line_order():
    text = '[work]\ndays = ["mon", "funday"]\nstart = "25:00"\n[reset]\nevry = "5m"\n'
    found = problems(text)
    assert [p.split(":")[1] for p in found] == ["2", "3", "5"]
    assert "work.days" in found[0] and "funday" in found[0]
    assert "reset.evry: unknown key" in found[2]


def test_step_errors_point_into_arrays_of_tables():
    text = """[routines.x]
title = "X"

[[routines.x.steps]]
name = "ok"
duration = "10s"
instruction = "Fine."

[[routines.x.steps]]
name = "bad"
duration = "45-30s"
instruction = "Backwards."
"""
    assert problems(text) == [
        'config.toml:11: routines.x.steps[1].duration: the range "45-30s" runs backwards']


def test_unknown_routine_reference():
    [found] = problems('[reset]\nroutine = "nap"\n')
    assert found.startswith("config.toml:2: reset.routine: no routine named \"nap\"")


def test_toml_syntax_error_has_a_line():
    [found] = problems('[reset]\nevery = "5m"\nenabled = = true\n')
    assert found.startswith("config.toml:3: not valid TOML")


def test_working_day_must_end_after_it_starts():
    [found] = problems('[work]\nstart = "18:00"\nend = "09:00"\n')
    assert found.startswith("config.toml:3: work.end:")


def test_the_working_day_may_end_at_midnight_but_not_start_there():
    config = config_from_text('[work]\nstart = "00:00"\nend = "24:00"\n', "config.toml")
    assert config.work.end == time.max
    [found] = problems('[work]\nstart = "24:00"\n')
    assert found.startswith("config.toml:2: work.start:") and '"09:00"' in found


def test_unreadable_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in str(caught.value)


# --- a step's picture (issue 17) ---------------------------------------------------------

PICTURE_ROUTINE = """[routines.mine]
title = "Mine"

[[routines.mine.steps]]
name = "Reach"
duration = "20s"
instruction = "Reach up."
image = "{image}"
"""


def _with_picture(tmp_path, image: str):
    path = tmp_path / "config.toml"
    return config_from_text(PICTURE_ROUTINE.format(image=image), str(path))


def test_a_step_names_a_built_in_picture(tmp_path):
    config = _with_picture(tmp_path, "lunges")
    assert config.routines["mine"].steps[0].image == "lunges"
    assert config.notes == ()


def test_a_step_picture_path_is_relative_to_the_config_folder(tmp_path):
    (tmp_path / "pics").mkdir()
    picture = tmp_path / "pics" / "reach.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    config = _with_picture(tmp_path, "pics/reach.png")
    assert config.routines["mine"].steps[0].image == str(picture.resolve())
    assert config.notes == ()


@pytest.mark.parametrize(
    ("image", "setup", "says"),
    [
        ("pics/gone.png", None, "no such file: "),
        ("notes.txt", "text", "not a PNG or GIF picture: "),
        ("./pics", "folder", "a folder, not a picture: "),
        ("lungs", None, 'no built-in picture named "lungs"'),
    ],
)
def test_a_picture_that_cannot_be_shown_is_a_located_note_and_no_picture(
    tmp_path, image, setup, says
):
    if setup == "text":
        (tmp_path / image).write_text("hello", encoding="utf-8")
    elif setup == "folder":
        (tmp_path / image).mkdir()
    config = _with_picture(tmp_path, image)  # the config still loads
    assert config.routines["mine"].steps[0].image == ""
    [note] = config.notes
    assert note.path == str(tmp_path / "config.toml")
    assert note.line == 8  # the image = line
    assert note.key == "routines.mine.steps[0].image"
    assert says in note.message
    assert str(note).startswith(f"{tmp_path / 'config.toml'}:8: routines.mine.steps[0].image: ")


def test_an_unreadable_picture_is_a_note(tmp_path):
    import os

    if os.geteuid() == 0:  # root reads anything: make it unreadable another way
        picture = tmp_path / "loop.png"
        picture.symlink_to(picture)
    else:
        picture = tmp_path / "locked.png"
        picture.write_bytes(b"\x89PNG\r\n\x1a\n")
        picture.chmod(0)
    config = _with_picture(tmp_path, picture.name)
    assert config.routines["mine"].steps[0].image == ""
    [note] = config.notes
    assert "cannot read" in note.message and note.line == 8


def test_the_calendar_table_is_read_with_the_same_words_as_the_rest():
    """One reader: a bad duration or an unknown key reads alike in any table."""
    found = problems(
        "[reset]\nevery = 5\nevry = 1\n"
        "[away]\noffer_reset_after = 5\n"
        "[calendar]\ntimeout = 5\nrefresh = 5\naudio_reminder = 5\nrefesh = 1\n"
    )
    bad = 'expected a duration such as "45m" or "1h30m", got 5'
    assert f"config.toml:2: reset.every: {bad}" in found
    assert f"config.toml:7: calendar.timeout: {bad}" in found
    assert f'config.toml:5: away.offer_reset_after: {bad} (or "off")' in found
    assert f'config.toml:9: calendar.audio_reminder: {bad} (or "off")' in found
    unknown = [p.split(": ")[1] for p in found if "unknown key" in p]
    assert unknown == ["reset.evry", "calendar.refesh"]
