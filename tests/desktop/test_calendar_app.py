"""Calendars in the running app: a real .ics file, an audio call, and a video call."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from harness import DesktopTimeout
from test_app import ALL_DAY, icon_shows, start

from movebreak.core.state import Status

pytestmark = pytest.mark.desktop


def ics(*events: tuple[str, datetime, datetime, str]) -> str:
    """A calendar file as a calendar app exports it (UTC times)."""
    stamp = "%Y%m%dT%H%M%SZ"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//movebreak tests//EN"]
    for uid, begin, end, extra in events:
        lines += ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{begin:{stamp}}",
                  f"DTSTART:{begin:{stamp}}", f"DTEND:{end:{stamp}}", *extra.splitlines(),
                  "END:VEVENT"]
    return "\r\n".join([*lines, "END:VCALENDAR", ""])


def calendar_config(folder) -> str:
    return (ALL_DAY + '[reset]\nevery = "4s"\n[morning]\nenabled = false\n'
            '[prompts]\nlate_grace = "30s"\n'
            f'[calendar]\nrefresh = "1m"\n[[calendar.sources]]\nname = "work"\npath = "{folder}"\n')


def test_audio_call_prompts_standing_and_a_video_call_holds_resets(
        launch, desktop, artifacts, gtk_tray, tmp_path):
    now = datetime.now(UTC).replace(microsecond=0)
    audio_at = now + timedelta(seconds=5)
    (tmp_path / "work.ics").write_text(ics(
        ("call-1", audio_at, audio_at + timedelta(minutes=30),
         "SUMMARY:Supplier call\nLOCATION:Phone\nDESCRIPTION:Dial +1 555 0100, PIN 1234#"),
    ))
    app, icon = start(launch, desktop, calendar_config(tmp_path))
    stand = desktop.wait_for_notification(lambda n: n.summary.startswith("Stand for this call"),
                                          timeout=15)
    assert "split stance" in stand.body
    icon_shows(desktop, Status.DUE, artifacts, "stand-prompt")

    # Now a video call covering the next minutes: resets wait, the icon says "meeting".
    video_from = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    (tmp_path / "work.ics").write_text(ics(
        ("video-1", video_from, video_from + timedelta(minutes=30),
         "SUMMARY:Design review\nLOCATION:https://meet.google.com/abc-defg-hij"),
    ))
    app.config_path.write_text(calendar_config(tmp_path) + "# touched\n")  # reloads calendars
    desktop.pick_action("skip", stand.id)
    icon_shows(desktop, Status.MEETING, artifacts, "in-video-call")
    quiet_from = time.monotonic()
    with pytest.raises(DesktopTimeout):  # two reset intervals pass in silence
        desktop.wait_for_notification(lambda n: n.received_at > quiet_from, timeout=9)
