"""The [sound] table: defaults, each cue's choice, and errors with their line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from movebreak.config.errors import ConfigError
from movebreak.config.loader import config_from_text, default_config
from movebreak.core.cues import Cue
from movebreak.sound.settings import SOUNDS, CueSound, cue_sound


def test_defaults_play_movebreaks_own_files_for_every_cue():
    sound = default_config().sound
    assert sound.enabled and sound.volume == 100
    for cue in Cue:
        chosen = cue_sound(sound, cue)
        assert chosen == CueSound(SOUNDS / cue.file_name)
        assert chosen is not None and chosen.file.is_file()


def test_a_theme_name_a_path_and_off(tmp_path):
    text = (
        '[sound]\nvolume = 40\nstep = "bell"\ndone = "sounds/fanfare.ogg"\n'
        'prompt = "off"\ncountdown = "~/tick.wav"\n'
    )
    sound = config_from_text(text, str(tmp_path / "config.toml")).sound
    assert sound.volume == 40
    assert cue_sound(sound, Cue.STEP) == CueSound(SOUNDS / "step.wav", theme="bell")
    assert cue_sound(sound, Cue.DONE) == CueSound(tmp_path / "sounds" / "fanfare.ogg")
    assert cue_sound(sound, Cue.PROMPT) is None
    assert cue_sound(sound, Cue.COUNTDOWN) == CueSound(Path("~/tick.wav").expanduser())
    assert cue_sound(sound, Cue.SWITCH_SIDES) == CueSound(SOUNDS / "switch-sides.wav")


def test_disabled_or_silent_plays_nothing():
    sound = default_config().sound
    assert cue_sound(replace(sound, enabled=False), Cue.STEP) is None
    assert cue_sound(replace(sound, volume=0), Cue.SWITCH_SIDES) is None


def test_mistakes_are_reported_with_their_line():
    text = '[sound]\nenabled = "yes"\nvolume = 101\nstep = "Bell Ring"\nbeep = true\n'
    with pytest.raises(ConfigError) as caught:
        config_from_text(text, "config.toml")
    found = {(p.key, p.line) for p in caught.value.problems}
    assert found == {("sound.enabled", 2), ("sound.volume", 3), ("sound.step", 4),
                     ("sound.beep", 5)}


def test_a_sound_that_is_not_a_table():
    with pytest.raises(ConfigError, match="expected a table"):
        config_from_text('sound = "loud"\n', "config.toml")
