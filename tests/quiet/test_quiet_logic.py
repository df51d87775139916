"""Quiet-reason logic that runs anywhere: Windows' states, GNOME's key, the detector."""

from __future__ import annotations

import logging

import pytest

from movebreak.quiet.base import QuietReason, QuietUnavailable
from movebreak.quiet.detect import QuietDetector, detect
from movebreak.quiet.gnome import GnomeDndProbe, is_gnome_like, parse_gsettings_bool
from movebreak.quiet.windows import QUNS_REASONS, Quns, WindowsQuietProbe, reason_from

# ------------------------------------------------------------------ Windows


@pytest.mark.parametrize(("quns", "reason"), [
    (Quns.NOT_PRESENT, QuietReason.SCREEN_LOCKED),
    (Quns.BUSY, QuietReason.FULLSCREEN),
    (Quns.RUNNING_D3D_FULL_SCREEN, QuietReason.FULLSCREEN),
    (Quns.PRESENTATION_MODE, QuietReason.PRESENTATION),
    (Quns.ACCEPTS_NOTIFICATIONS, None),
    (Quns.QUIET_TIME, QuietReason.DO_NOT_DISTURB),
    (Quns.APP, QuietReason.FULLSCREEN),
])
def test_every_notification_state_has_a_reason(quns, reason):
    assert reason_from(int(quns), focus_assist=0) is reason


def test_the_table_covers_every_documented_state():
    assert set(QUNS_REASONS) == set(Quns)


@pytest.mark.parametrize(("focus_assist", "reason"), [
    (0, None), (1, QuietReason.DO_NOT_DISTURB), (2, QuietReason.DO_NOT_DISTURB), (None, None),
])
def test_quiet_assist_holds_prompts_when_on(focus_assist, reason):
    assert reason_from(int(Quns.ACCEPTS_NOTIFICATIONS), focus_assist) is reason


def test_the_notification_state_wins_over_focus_assist():
    assert reason_from(int(Quns.BUSY), 2) is QuietReason.FULLSCREEN


def test_an_unknown_future_state_holds_nothing_by_itself():
    assert reason_from(42, 0) is None
    assert reason_from(None, None) is None


def test_the_windows_probe_says_why_it_cannot_run_here():
    with pytest.raises(QuietUnavailable, match="only on Windows"):
        WindowsQuietProbe()


# ------------------------------------------------------------------ GNOME


@pytest.mark.parametrize(("desktop", "gnome"), [
    ("GNOME", True), ("ubuntu:GNOME", True), ("Budgie:GNOME", True), ("Unity", True),
    ("KDE", False), ("XFCE", False), ("", False), ("GNOME-Flashback:GNOME", True),
])
def test_which_desktops_honour_show_banners(desktop, gnome):
    assert is_gnome_like({"XDG_CURRENT_DESKTOP": desktop}) is gnome


def test_gsettings_output():
    assert parse_gsettings_bool("true\n") is True
    assert parse_gsettings_bool("false\n") is False
    with pytest.raises(QuietUnavailable):
        parse_gsettings_bool("No such schema “org.gnome.desktop.notifications”\n")


def test_no_banners_is_do_not_disturb():
    assert GnomeDndProbe(lambda: False).reason() is QuietReason.DO_NOT_DISTURB
    assert GnomeDndProbe(lambda: True).reason() is None


# ------------------------------------------------------------------ the detector


class Probe:
    """A probe that answers from a list, raising QuietUnavailable for ``"broken"``."""

    def __init__(self, name: str, answers: list, sees_fullscreen: bool = False) -> None:
        self.name = name
        self.sees_fullscreen = sees_fullscreen
        self.answers = answers
        self.asked = 0
        self.closed = False

    def reason(self):
        answer = self.answers[min(self.asked, len(self.answers) - 1)]
        self.asked += 1
        if answer == "broken":
            raise QuietUnavailable("went away")
        return answer

    def close(self):
        self.closed = True


def test_first_reason_in_order_wins_and_later_probes_are_not_asked():
    fullscreen = Probe("fs", [QuietReason.FULLSCREEN])
    dnd = Probe("dnd", [QuietReason.DO_NOT_DISTURB])
    assert QuietDetector([fullscreen, dnd]).quiet_reason() is QuietReason.FULLSCREEN
    assert dnd.asked == 0


def test_a_broken_probe_is_dropped_with_one_warning(caplog):
    broken = Probe("gone", ["broken"])
    dnd = Probe("dnd", [None, QuietReason.DO_NOT_DISTURB])
    detector = QuietDetector([broken, dnd])
    with caplog.at_level(logging.WARNING, logger="movebreak.quiet"):
        assert detector.quiet_reason() is None
        assert detector.quiet_reason() is QuietReason.DO_NOT_DISTURB
    assert broken.asked == 1
    assert detector.probe_names == ["dnd"]
    assert len(caplog.records) == 1 and "gone stopped answering" in caplog.text


def test_close_closes_probes_and_shared_connections():
    closed: list[str] = []
    probe = Probe("p", [None])
    QuietDetector([probe], closers=[lambda: closed.append("bus")]).close()
    assert probe.closed and closed == ["bus"]


def test_macos_has_no_probe_and_says_so(caplog):
    with caplog.at_level(logging.INFO, logger="movebreak.quiet"):
        detector = detect({}, platform="darwin")
    assert detector.probe_names == []
    assert detector.quiet_reason() is None
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert "no public API" in caplog.text


def test_nothing_to_ask_gives_one_warning(tmp_path, caplog):
    env = {"DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path / 'none'}"}
    with caplog.at_level(logging.INFO, logger="movebreak.quiet"):
        assert detect(env, platform="linux").probe_names == []
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert "notification server: no D-Bus session bus" in caplog.text


def test_the_detector_sees_fullscreen_only_with_a_probe_that_can():
    assert not QuietDetector([Probe("dnd", [None])]).sees_fullscreen
    assert not QuietDetector([]).sees_fullscreen
    assert QuietDetector([Probe("dnd", [None]), Probe("fs", [None], True)]).sees_fullscreen
