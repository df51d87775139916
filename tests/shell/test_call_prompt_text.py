"""The stand prompt names its call, and the call's title cannot turn into markup or controls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from movebreak.app.messages import notice_for
from movebreak.config.loader import load_config
from movebreak.core.agenda import Meeting
from movebreak.core.engine import CALL_TITLE_LIMIT, Engine
from movebreak.core.events import MEETING_ROUTINE, Event, Outcome
from movebreak.core.meeting_facts import MeetingKind
from movebreak.core.notice_text import clean_body
from movebreak.core.state import Source, TimetableState

START = datetime(2026, 11, 30, 9, 45, tzinfo=UTC)


def _engine_with_call(title: str) -> Engine:
    config = load_config(Path("/nonexistent/movebreak.toml"))
    call = Meeting(START, START + timedelta(minutes=45), MeetingKind.AUDIO, title)
    return Engine(config, UTC, (call,))


def test_the_stand_prompt_names_its_call_bounded_and_neutralised():
    title = "Supplier \x1b[2Jcall \u202e" + "z" * 500
    engine = _engine_with_call(title)
    plan = engine.upcoming(TimetableState(), START - timedelta(hours=2), START + timedelta(hours=1))
    prompt = next(p for p in plan if p.routine == MEETING_ROUTINE)
    assert prompt.at == START
    assert prompt.reason.startswith("audio-only call: Supplier \\x1b[2Jcall \\u202e")
    assert len(prompt.reason) <= len("audio-only call: ") + CALL_TITLE_LIMIT

    event = Event(Outcome.PROMPTED, START, MEETING_ROUTINE, Source.MEETING, 0, prompt.reason)
    notice = notice_for(event, engine.config)
    assert notice is not None
    assert notice.body.splitlines()[0] == prompt.reason
    assert "\x1b" not in notice.body and "\u202e" not in notice.body


def test_a_server_that_reads_markup_gets_the_title_as_text():
    body = "audio-only call: <b>R&D</b> <a href='x'>sync</a>"
    assert clean_body(body, {"body"}) == body
    assert clean_body(body, {"body", "body-markup"}) == (
        "audio-only call: &lt;b&gt;R&amp;D&lt;/b&gt; &lt;a href='x'&gt;sync&lt;/a&gt;"
    )
