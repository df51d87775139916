"""The pure classifier: realistic invitation texts in, kind / reason / link out."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from movebreak.core.meetings import (
    Attendee,
    ClassifierConfig,
    Conference,
    EventFacts,
    KindRule,
    MeetingKind,
    classify,
    find_links,
    service_of,
    unwrap_url,
)

VIDEO, AUDIO, IN_PERSON, NONE = (
    MeetingKind.VIDEO, MeetingKind.AUDIO, MeetingKind.IN_PERSON, MeetingKind.NONE,
)
ME = ClassifierConfig(me=frozenset({"ana@example.com"}))
TEAMS_BODY = (
    "Microsoft Teams meeting\nJoin on your computer, mobile app or room device\n"
    "Click here to join the meeting<https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F"
    "%2Fteams.microsoft.com%2Fl%2Fmeetup-join%2F19%253ameeting_abc%2540thread.v2%2F0%3Fcontext%3D"
    "%257b%257d&data=05%7C01%7C&sdata=x&reserved=0>\nMeeting ID: 123 456 789 012\nPasscode: aB3\n"
    "Or call in (audio only)\n+1 323-555-0100,,123456789#   United States, Los Angeles\n"
    "Phone Conference ID: 123 456 789#\nFind a local number<https://dialin.teams.microsoft.com/x>"
)
ZOOM_BODY = (
    "Join Zoom Meeting\nhttps://us02web.zoom.us/j/85512345678?pwd=abc.1\n\n"
    "Meeting ID: 855 1234 5678"
    "\nPasscode: 482913\n\nOne tap mobile\n"
    "+16465588656,,85512345678#,,,,*482913# US (New York)\n\n"
    "Dial by your location\n• +1 646 558 8656 US (New York)\n\n"
    "Find your local number: https://us02web.zoom.us/u/kdQx7Yb3Ez"
)
MEET_BODY = (
    "Join with Google Meet: https://meet.google.com/kqd-xvbn-pwe\n\nJoin by phone\n"
    "(US) +1 650-555-0143 PIN: 318 992 417#\n\nMore phone numbers: https://tel.meet/kqd-xvbn-pwe?pin=1"
)


def kind_of(**facts: object) -> MeetingKind:
    return classify(EventFacts(**facts), ME).kind  # type: ignore[arg-type]


def test_teams_invite_with_audio_only_dial_in_is_video_and_the_link_is_unwrapped():
    result = classify(EventFacts(summary="Roadmap", location="Microsoft Teams Meeting",
                                 description=TEAMS_BODY), ME)
    assert result.kind is VIDEO
    assert result.link is not None
    assert result.link.startswith("https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc")
    assert "safelinks" not in result.link
    assert "Teams" in result.reason


def test_zoom_invite_with_dial_ins_is_video():
    result = classify(EventFacts(summary="Design review", description=ZOOM_BODY), ME)
    assert (result.kind, result.link) == (VIDEO, "https://us02web.zoom.us/j/85512345678?pwd=abc.1")


def test_google_meet_with_join_by_phone_is_video():
    result = classify(EventFacts(summary="Weekly", description=MEET_BODY), ME)
    assert (result.kind, result.link) == (VIDEO, "https://meet.google.com/kqd-xvbn-pwe")


def test_vendor_conference_property_beats_prose():
    facts = EventFacts(summary="x", conferences=(
        Conference("https://meet.google.com/aaa-bbbb-ccc", ("VIDEO",), "X-GOOGLE-CONFERENCE"),))
    result = classify(facts, ME)
    assert result.kind is VIDEO and "X-GOOGLE-CONFERENCE" in result.reason


def test_rfc7986_conference_with_phone_feature_only_is_audio():
    facts = EventFacts(summary="Bridge", conferences=(
        Conference("tel:+1-412-555-0123,,,654321", ("PHONE",)),))
    assert classify(facts, ME).kind is AUDIO


@pytest.mark.parametrize("summary", [
    "Walk and talk: Q3 plans", "1:1 (walk-and-talk)", "Phone call with Ravi", "Audio-only sync",
    "Walking 1:1 with Jo", "Quick phone sync",
])
def test_organizer_markers_make_audio_even_with_a_video_link(summary):
    result = classify(EventFacts(summary=summary, description=ZOOM_BODY), ME)
    assert result.kind is AUDIO
    assert result.link  # something to join with from the phone


def test_teams_boilerplate_audio_only_is_not_a_marker_but_a_real_one_is():
    assert kind_of(summary="Sync", description=TEAMS_BODY) is VIDEO
    body = "Let's do this one as a walk and talk, no screens.\n" + TEAMS_BODY
    assert kind_of(summary="Sync", description=body) is AUDIO


def test_dial_in_only_is_audio_with_a_tel_link():
    body = "Conference bridge\nUK: +44 20 7946 0000\nAccess code: 998877#"
    result = classify(EventFacts(summary="Supplier check-in", description=body), ME)
    assert (result.kind, result.link) == (AUDIO, "tel:+442079460000")
    assert "dial-in" in result.reason


def test_tel_uri_and_location_phone_number_are_audio():
    assert kind_of(summary="x", description="Call me: tel:+49-30-555-0101") is AUDIO
    result = classify(EventFacts(summary="Intro", location="+1 (415) 555-0199"), ME)
    assert (result.kind, result.link) == (AUDIO, "tel:+14155550199")


def test_meeting_ids_and_dates_are_not_phone_numbers():
    assert kind_of(summary="Notes", description="Meeting ID: 858 1234 5678\n2024-03-12") is NONE


def test_place_is_in_person_and_a_contact_number_does_not_make_it_audio():
    body = "Agenda in the wiki. If you get lost call reception: +49 30 555 0100"
    result = classify(EventFacts(summary="Planning", location="Building 4, Room 4.12",
                                 description=body), ME)
    assert result.kind is IN_PERSON and "Building 4" in result.reason


def test_room_resource_and_geo_are_places():
    room = Attendee("atlas@resource.calendar.google.com", "ACCEPTED", "RESOURCE", "Atlas 4.12")
    assert kind_of(summary="Review", attendees=(room,)) is IN_PERSON
    assert kind_of(summary="Coffee", has_geo=True) is IN_PERSON


def test_hybrid_room_plus_teams_is_video():
    assert kind_of(summary="Board", location="Room Elbe (3.14); Microsoft Teams Meeting") is VIDEO


@pytest.mark.parametrize(("facts", "reason"), [
    ({"status": "CANCELLED", "description": ZOOM_BODY}, "cancelled"),
    ({"summary": "Canceled: Retro", "location": "Room 1"}, "cancelled"),
    ({"attendees": (Attendee("ana@example.com", "DECLINED"),), "description": ZOOM_BODY},
     "declined"),
    ({"all_day": True, "location": "Lisbon"}, "all-day"),
    ({"transparency": "TRANSPARENT", "location": "Kantine"}, "free"),
    ({"busy_status": "FREE", "description": ZOOM_BODY}, "free"),
    ({"busy_status": "OOF"}, "out of office"),
    ({"summary": "OOO - parental leave"}, "out of office"),
    ({"summary": "Focus time", "description": ZOOM_BODY}, "focus"),
])
def test_not_a_meeting(facts, reason):
    result = classify(EventFacts(**facts), ME)
    assert result.kind is NONE
    assert reason in result.reason


def test_declined_needs_my_address_and_focus_needs_to_be_alone():
    declined_by_someone_else = EventFacts(
        summary="Sync", description=ZOOM_BODY,
        attendees=(Attendee("ana@example.com", "ACCEPTED"), Attendee("bo@example.com", "DECLINED")))
    assert classify(declined_by_someone_else, ME).kind is VIDEO
    with_people = EventFacts(summary="Focus group interview", description=ZOOM_BODY,
                             attendees=(Attendee("ana@example.com"), Attendee("bo@example.com")))
    assert classify(with_people, ME).kind is VIDEO


def test_personal_event_and_meeting_without_details():
    assert kind_of(summary="Write the report") is NONE
    people = (Attendee("ana@example.com", "ACCEPTED"), Attendee("bo@example.com", "ACCEPTED"))
    result = classify(EventFacts(summary="1:1", attendees=people, organizer="bo@example.com"), ME)
    assert result.kind is IN_PERSON and "1 other person" in result.reason
    assert kind_of(summary="Call with Bob") is AUDIO


def test_html_description_and_proofpoint_wrapped_links():
    html = ('<p>Join: <a href="https://urldefense.proofpoint.com/v2/url?u=https-3A__acme.zoom.us'
            '_j_91234567890&d=DwMF&c=x">here</a></p><p>Or call in (audio only)</p>')
    result = classify(EventFacts(summary="x", html_description=html), ME)
    assert (result.kind, result.link) == (VIDEO, "https://acme.zoom.us/j/91234567890")
    v3 = "https://urldefense.com/v3/__https://meet.google.com/abc-defg-hij__;!!x!y$"
    assert unwrap_url(v3) == "https://meet.google.com/abc-defg-hij"


@pytest.mark.parametrize(("link", "name"), [
    ("https://acme.zoom.us/j/123", "Zoom"),
    ("https://zoom.us/my/ana.lopez", "Zoom"),
    ("https://meet.google.com/abc-defg-hij", "Google Meet"),
    ("https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0", "Microsoft Teams"),
    ("https://teams.live.com/meet/9312345678901", "Microsoft Teams"),
    ("https://acme.webex.com/acme/j.php?MTID=m123", "Webex"),
    ("https://global.gotomeeting.com/join/123456789", "GoToMeeting"),
    ("https://meet.goto.com/123456789", "GoToMeeting"),
    ("https://chime.aws/1234567890", "Amazon Chime"),
    ("https://bluejeans.com/123456789", "BlueJeans"),
    ("https://whereby.com/acme-standup", "Whereby"),
    ("https://meet.jit.si/AcmeRetro", "Jitsi"),
    ("https://join.skype.com/abcDEF123", "Skype"),
    ("https://app.slack.com/huddle/T123/C456", "Slack huddle"),
    ("https://meet.example.org/weekly-retro", "video meeting"),
    ("zoommtg://zoom.us/join?confno=123", "Zoom"),
])
def test_services_are_recognised(link, name):
    assert service_of(link) == (name, VIDEO)


@pytest.mark.parametrize("link", [
    "https://zoom.us/", "https://us02web.zoom.us/u/kdQx7Yb3Ez", "https://aka.ms/JoinTeamsMeeting",
    "https://teams.microsoft.com/meetingOptions/?organizerId=1", "https://meet.google.com/",
    "https://www.youtube.com/watch?v=abc", "https://support.google.com/a/users/answer/9282720",
])
def test_non_meeting_links_are_not_video(link):
    assert service_of(link) is None or service_of(link)[1] is not VIDEO  # type: ignore[index]


def test_find_links_strips_punctuation_and_unwraps():
    text = ("See (https://acme.zoom.us/j/1?pwd=x). Or <https://eur01.safelinks.protection.outlook.com/"
            "?url=https%3A%2F%2Fmeet.google.com%2Fabc-defg-hij&data=1>, tel:+1-555-0100.")
    assert find_links(text) == [
        "https://acme.zoom.us/j/1?pwd=x", "https://meet.google.com/abc-defg-hij", "tel:+1-555-0100",
    ]


def test_user_rules_force_kinds_but_not_over_cancelled():
    rules = (
        KindRule(AUDIO, re.compile(r"(?<!\w)standup(?!\w)", re.I), label='rule 1 "standup"'),
        KindRule(IN_PERSON, None, calendar="office", label="rule 2"),
    )
    config = ClassifierConfig(me=ME.me, rules=rules)
    standup = classify(EventFacts(summary="Daily Standup", description=MEET_BODY), config)
    assert standup.kind is AUDIO and 'rule 1 "standup"' in standup.reason
    assert classify(EventFacts(summary="x", description=ZOOM_BODY, calendar="office"),
                    config).kind is IN_PERSON
    assert classify(EventFacts(summary="standup", status="CANCELLED"), config).kind is NONE
    # the keyword is a whole word: "standups-review" is not "standup"
    assert classify(EventFacts(summary="standups review", description=ZOOM_BODY),
                    config).kind is VIDEO


def test_calendar_default_kind_applies_only_without_evidence():
    config = ClassifierConfig(calendar_kinds={"calls": AUDIO})
    plain = classify(EventFacts(summary="Mum", calendar="calls", location="Berlin"), config)
    assert plain.kind is AUDIO and "calls" in plain.reason
    assert classify(EventFacts(summary="x", description=ZOOM_BODY, calendar="calls"),
                    config).kind is VIDEO


def test_me_unknown_counts_one_attendee_as_the_user():
    facts = EventFacts(summary="Focus time", organizer="ana@example.com",
                       attendees=(Attendee("ana@example.com", "ACCEPTED"),))
    assert classify(facts).kind is NONE


def test_core_module_imports_no_calendar_libraries():
    code = ("import sys, movebreak.core.meetings; "
            "print(any(m.split('.')[0] in {'icalendar', 'httpx', 'recurring_ical_events'} "
            "for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_description_built_to_backtrack_is_classified_at_once():
    """120 KB of nested parentheses took 98 s in the phone-number pattern; now milliseconds.

    The bound (a generous 10 s) only tells a hang from a pass; the figure is in
    bench/calendar_load.py --hostile.
    """
    import time

    started = time.monotonic()
    kind = kind_of(summary="Sync", description="(1/" * 40_000, url="https://zoom.us/j/123456789")
    assert kind is MeetingKind.VIDEO
    assert time.monotonic() - started < 10


def test_one_table_of_services_feeds_links_locations_and_titles():
    """Each service is one row; what its row says, the links and the clues both know."""
    from movebreak.core.meeting_clues import SERVICE_NAMES, VIDEO_WORDS
    from movebreak.core.meeting_services import SERVICES

    names = [s.name for s in SERVICES]
    assert len(names) == len(set(names))
    for svc in SERVICES:
        assert svc.links or svc.names, svc.name
        assert set(svc.said) <= set(svc.names) | {"meet"}, svc.name
        for scheme in svc.schemes:
            assert service_of(f"{scheme}://join?id=1") == (svc.name, VIDEO)
        for name in svc.names:
            written = re.sub(r"(.)\?", r"\1", name)  # "hangouts?" -> "hangouts"
            assert SERVICE_NAMES.fullmatch(written), name
        for name in svc.said:
            written = re.sub(r"(.)\?", r"\1", name)
            assert VIDEO_WORDS.search(f"Sync on {written}"), name
            assert VIDEO_WORDS.search(f"{written} call"), name
