"""Notice text on its way to a notification server: cleaned, bounded, escaped as needed."""

from __future__ import annotations

import pytest

from movebreak.core.notice_text import (
    BODY_MAX,
    ELLIPSIS,
    SUMMARY_MAX,
    bounded,
    clean_body,
    clean_summary,
)

HOSTILE = 'Sync <img src="file:///etc/passwd"> <a href="https://evil.example/">R&D</a> a<b'


@pytest.mark.parametrize("capability", ["body-markup", "body-hyperlinks", "body-images"])
def test_each_markup_capability_gets_the_body_escaped(capability: str) -> None:
    assert clean_body(HOSTILE, {"body", capability}) == (
        'Sync &lt;img src="file:///etc/passwd"&gt; '
        '&lt;a href="https://evil.example/"&gt;R&amp;D&lt;/a&gt; a&lt;b')


def test_a_server_without_markup_gets_the_body_as_is() -> None:
    assert clean_body(HOSTILE, {"body", "actions"}) == HOSTILE


def test_the_summary_is_plain_text_never_escaped() -> None:
    assert clean_summary("R&D <b>stand-up</b>") == "R&D <b>stand-up</b>"


@pytest.mark.parametrize("mark", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066",
                                  "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"])
def test_direction_overrides_isolates_and_marks_are_dropped(mark: str) -> None:
    assert clean_summary(f"Pay {mark}fdp.exe") == "Pay fdp.exe"
    assert clean_body(f"Pay {mark}fdp.exe") == "Pay fdp.exe"


def test_control_characters_go_the_body_keeps_its_lines() -> None:
    text = "Step 1\x1b[2J\x00\x07\x7f\x9b\r\nStep\t2\rStep 3"
    assert clean_body(text) == "Step 1[2J\nStep\t2\nStep 3"
    assert clean_summary(text) == "Step 1[2J Step 2 Step 3"


def test_lengths_are_bounded_with_an_ellipsis() -> None:
    summary = clean_summary("x" * 5000)
    body = clean_body("y" * 50_000, {"body-markup"})
    assert len(summary) == SUMMARY_MAX and summary.endswith(ELLIPSIS)
    assert len(body) == BODY_MAX and body.endswith(ELLIPSIS)
    assert clean_summary("short") == "short"


def test_escaping_comes_after_the_cut_so_no_entity_is_split() -> None:
    body = clean_body("&" * 5000, {"body-markup"})
    assert body == "&amp;" * (BODY_MAX - 1) + ELLIPSIS


def test_a_cut_keeps_an_accent_with_its_letter() -> None:
    text = "ab" + "e\u0301" * 10  # e + combining acute
    cut = bounded(text, 6)
    assert cut == "abe\u0301" + ELLIPSIS
