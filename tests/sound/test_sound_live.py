"""Cues heard for real: libcanberra into a private PulseAudio server's null sink.

A guided routine runs on an injected clock (``at(seconds)``) with the real sound
adapter; the test records the sink's monitor with ``parec`` and reads the levels with
``sox``. Each cue should peak near -13 dBFS (movebreak's own files), and nothing at
all should reach the sink when ``[sound] enabled = false`` or, for a prompt, while the
desktop's do-not-disturb is on.
"""

from __future__ import annotations

import time
from itertools import pairwise
from pathlib import Path

from movebreak.app.guided import GuidedRoutine
from movebreak.app.sound_cues import prompt_cue
from movebreak.config.loader import config_from_text, default_config
from movebreak.config.model import Config
from movebreak.core.events import Event, Outcome
from movebreak.core.session_events import Side
from movebreak.guide.display import NoDisplay
from movebreak.notify.base import LogNotifier
from movebreak.sound.canberra import CanberraOutput
from movebreak.sound.command import CommandOutput, paplay_command
from movebreak.sound.player import CuePlayer
from movebreak.sound.settings import SOUNDS, CueSound
from tests.session.session_helpers import at, routine, timed
from tests.sound.conftest import Recording

OWN_PEAK = (0.17, 0.27)  # the files peak at 0.22 (-13 dBFS); resampling may move it a little
HEARD = 0.5  # seconds a short cue takes to reach the monitor and play out, with margin


def couch_stretch(config: Config, player: CuePlayer) -> GuidedRoutine:
    """A 10 s-a-side couch stretch started at ``at(0)``, with no window."""
    stretch = routine(timed("Couch stretch", 10, each_side=True))
    return GuidedRoutine(stretch, 0, config, NoDisplay(), LogNotifier(), False, at(0), player)


def test_switch_sides_sounds_through_libcanberra_in_a_guided_routine(record: Recording):
    player = CuePlayer(CanberraOutput())
    start = record.mark()
    guided = couch_stretch(default_config(), player)  # the step's cue
    time.sleep(HEARD + 0.3)
    assert guided.deadline(at(0)) == at(7)  # one wake-up for the 3-2-1, 3 s before the end
    countdown = record.mark()
    assert guided.tick(at(7)) is None
    time.sleep(2.6)  # three ticks, one second apart
    assert guided.deadline(at(7)) == at(10)
    switch = record.mark()
    guided.tick(at(10))
    time.sleep(HEARD + 0.3)
    player.close()
    assert guided.session.view(at(10)).side is Side.SECOND

    step = record.level(start, countdown - start)
    ticks = [record.level(countdown + s, 0.5) for s in (0, 1, 2)]
    before = record.level(switch - 0.25, 0.25)
    after = record.level(switch, HEARD + 0.2)
    assert OWN_PEAK[0] < step.peak < OWN_PEAK[1]
    assert all(OWN_PEAK[0] < t.peak < OWN_PEAK[1] for t in ticks), ticks
    assert before.peak < 0.01  # the 3-2-1 was over: what follows is the switch cue
    assert OWN_PEAK[0] < after.peak < OWN_PEAK[1], after
    assert after.rms > 0.02


def test_nothing_reaches_the_sink_when_sound_is_off(record: Recording, tmp_path: Path):
    config = config_from_text("[sound]\nenabled = false\n", str(tmp_path / "config.toml"))
    player = CuePlayer(CanberraOutput())
    start = record.mark()
    guided = couch_stretch(config, player)
    assert guided.deadline(at(0)) == at(10)  # no 3-2-1 to play: no extra wake-up
    guided.tick(at(10))
    guided.tick(at(20))
    assert guided.result is not None
    time.sleep(HEARD + 0.5)
    player.close()
    silence = record.level(start, record.mark() - start)
    assert silence.peak == 0.0


def test_a_prompt_sounds_unless_do_not_disturb_is_on(record: Recording):
    player = CuePlayer(CanberraOutput())
    prompted = Event(Outcome.PROMPTED, at(0), "reset")
    dnd = {"on": True}
    sink = prompt_cue(player, lambda: default_config().sound, lambda: dnd["on"])
    held = record.mark()
    sink(prompted)
    time.sleep(HEARD + 0.3)
    dnd["on"] = False
    heard = record.mark()
    sink(prompted)
    sink(Event(Outcome.COMPLETED, at(1), "reset"))  # not a prompt: no cue
    time.sleep(HEARD + 0.6)
    player.close()
    assert record.level(held, heard - held).peak == 0.0
    prompt = record.level(heard, record.mark() - heard)
    assert OWN_PEAK[0] < prompt.peak < OWN_PEAK[1]


def test_theme_names_volume_and_the_paplay_fallback(record: Recording):
    canberra = CanberraOutput()
    marks = [record.mark()]
    canberra.play(CueSound(SOUNDS / "done.wav", theme="complete"), 100)  # the theme's sound
    time.sleep(1.6)
    marks.append(record.mark())
    canberra.play(CueSound(SOUNDS / "done.wav", theme="no-such-event"), 100)  # ours instead
    time.sleep(HEARD + 0.3)
    marks.append(record.mark())
    canberra.play(CueSound(SOUNDS / "done.wav"), 50)  # -18 dB
    time.sleep(HEARD + 0.3)
    marks.append(record.mark())
    canberra.close()
    paplay = CommandOutput("paplay", paplay_command)
    paplay.play(CueSound(SOUNDS / "step.wav"), 100)
    paplay.close()  # waits for the player to finish
    time.sleep(0.3)
    marks.append(record.mark())
    theme, fallback, half, fallback_process = (
        record.level(a, b - a) for a, b in pairwise(marks))
    assert theme.peak > 0.05 and abs(theme.peak - 0.22) > 0.02  # not our file: the theme's
    assert OWN_PEAK[0] < fallback.peak < OWN_PEAK[1]
    assert 0.022 < half.peak < 0.034  # 0.22 x 0.125
    assert OWN_PEAK[0] < fallback_process.peak < OWN_PEAK[1]
