"""The labelled corpus in tests/data/meetings holds the classifier's floor."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from movebreak.core.meetings import Attendee, ClassifierConfig, EventFacts, MeetingKind, classify

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("meetings_score", ROOT / "bench/meetings_score.py")
assert _spec and _spec.loader
bench = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("meetings_score", bench)
_spec.loader.exec_module(bench)

FILES = sorted(bench.CORPUS.glob("*.ics"))
CASES = bench.cases(FILES)


def test_the_corpus_is_big_and_labelled():
    assert len(CASES) >= 200
    assert all(c.expected in bench.KINDS and c.why for c in CASES)
    assert {c.expected for c in CASES} == set(bench.KINDS)


def test_the_corpus_holds_the_floor():
    s = bench.score(CASES)
    misses = [f"{c.file}/{c.uid}: {c.expected} != {c.got} ({c.reason})"
              for c in CASES if c.expected != c.got]
    assert s.false_audio == 0, misses
    assert s.accuracy >= 0.97, misses
    assert s.audio_recall >= 0.97, misses


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_no_file_has_a_false_audio(path: Path):
    assert bench.score([c for c in CASES if c.file == path.stem]).false_audio == 0


ME = ClassifierConfig(me=frozenset({"me@example.com"}))
WITH_BEN = (Attendee("me@example.com"), Attendee("ben@example.com"))


def test_other_people_without_link_or_place_hold_like_a_meeting_and_say_why():
    result = classify(EventFacts(summary="Sync", attendees=WITH_BEN), ME)
    assert result.kind is MeetingKind.IN_PERSON
    assert "no link, place or call" in result.reason


@pytest.mark.parametrize("body", [
    "Online meeting: https://conf.unknown-vendor.example/x/1\nDial-in: +1 415 555 0100 PIN 12#",
    "Dial-in: +1 415 555 0100 PIN 12#\nhttps://rooms.unknown.example/abc",
    "Join from a video system: sip:4455@vc.example.org\nDial +44 20 7946 0000, code 9#",
])
def test_an_unknown_online_meeting_beside_a_dial_in_is_never_audio(body: str):
    assert classify(EventFacts(summary="Sync", description=body, attendees=WITH_BEN),
                    ME).kind is MeetingKind.VIDEO


@pytest.mark.parametrize("location", [
    "Conference call", "Telecon", "Phone", "+1 (415) 555-0132", "Telefonkonferenz",
    "conférence téléphonique", "電話会議", "Telefono", "Call me",
])
def test_a_location_that_names_a_call_is_not_a_place(location: str):
    result = classify(EventFacts(summary="Sync", location=location, attendees=WITH_BEN), ME)
    assert result.kind is MeetingKind.AUDIO, result.reason


def test_audio_only_beside_a_dial_in_number_is_vendor_wording_not_the_meeting():
    body = ("Video: https://meet.jit.si/x\n"
            "Audio-only participants can dial +1.512.555.0101 PIN 11122233#")
    assert classify(EventFacts(summary="x", description=body, attendees=WITH_BEN),
                    ME).kind is MeetingKind.VIDEO


def test_a_title_naming_a_phone_call_and_a_video_means_does_not_beat_the_link():
    facts = EventFacts(summary="Phone interview via Zoom", description="https://x.zoom.us/j/1",
                       attendees=WITH_BEN)
    assert classify(facts, ME).kind is MeetingKind.VIDEO


def test_a_number_inside_an_address_is_the_reception_not_a_call():
    facts = EventFacts(summary="Visit", attendees=WITH_BEN,
                       location="Initech, 4120 Freidrich Lane, Austin – reception +1 512 555 0100")
    assert classify(facts, ME).kind is MeetingKind.IN_PERSON
    facts = EventFacts(summary="Audit", attendees=WITH_BEN,
                       location="Dial-in +1 917 555 0112 PIN 66")
    assert classify(facts, ME).kind is MeetingKind.AUDIO


@pytest.mark.parametrize(("summary", "kind"), [
    ("Signal call with Jonas", MeetingKind.AUDIO),
    ("Quick call on Signal", MeetingKind.AUDIO),
    ("Signal video call", MeetingKind.VIDEO),
])
def test_a_location_that_is_the_app_the_title_calls_through_is_not_a_place(summary, kind):
    facts = EventFacts(summary=summary, location="Signal", attendees=WITH_BEN)
    assert classify(facts, ME).kind is kind
