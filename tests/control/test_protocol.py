"""The wire format on its own: every command round-trips, and garbage gets a clear code."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from movebreak.control.protocol import (
    MAX_REQUEST_BYTES,
    ErrorCode,
    LineReader,
    ProtocolError,
    Reply,
    decode_reply,
    decode_request,
    encode_reply,
    encode_request,
    make_request,
)
from movebreak.core.commands import Done, Pause, Ping, Quit, Resume, Skip, Snooze, Start, Status

EVERY_REQUEST = [
    Ping(),
    Status(),
    Start("reset"),
    Start("morning"),
    Start("my-own routine"),
    Snooze(timedelta(minutes=10)),
    Skip(),
    Done(),
    Pause(timedelta(hours=1)),
    Pause(None),
    Resume(),
    Quit(),
]


@pytest.mark.parametrize("request_", EVERY_REQUEST, ids=repr)
def test_every_request_round_trips_as_one_json_line(request_):
    line = encode_request(request_)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert json.loads(line)["v"] == 1
    assert decode_request(line.rstrip(b"\n")) == request_


def test_arguments_become_lengths_and_routine_ids():
    assert make_request("snooze", "10m").length == timedelta(minutes=10)
    assert make_request("pause", "1h30m").length == timedelta(hours=1, minutes=30)
    assert make_request("pause", "until-tomorrow").length is None
    assert make_request("start", "morning").routine == "morning"


def code_of(line: bytes) -> ErrorCode:
    with pytest.raises(ProtocolError) as caught:
        decode_request(line)
    assert caught.value.message  # every refusal says why, in words
    return caught.value.code


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (b"", ErrorCode.MALFORMED),
        (b"not json", ErrorCode.MALFORMED),
        (b"\xff\xfe", ErrorCode.MALFORMED),
        (b"[1, 2]", ErrorCode.MALFORMED),
        (b'{"cmd": "ping"}', ErrorCode.MALFORMED),
        (b'{"v": 1}', ErrorCode.MALFORMED),
        (b'{"v": 1, "cmd": 7}', ErrorCode.MALFORMED),
        (b'{"v": 2, "cmd": "ping"}', ErrorCode.VERSION),
        (b'{"v": true, "cmd": "ping"}', ErrorCode.VERSION),
        (b'{"v": "1", "cmd": "ping"}', ErrorCode.VERSION),
        (b'{"v": 1, "cmd": "reboot"}', ErrorCode.UNKNOWN_COMMAND),
        (b'{"v": 1, "cmd": "hold"}', ErrorCode.UNKNOWN_COMMAND),  # a window's, not the channel's
        (b'{"v": 1, "cmd": "snooze"}', ErrorCode.BAD_ARGUMENT),
        (b'{"v": 1, "cmd": "skip", "arg": "now"}', ErrorCode.BAD_ARGUMENT),
        (b'{"v": 1, "cmd": "start"}', ErrorCode.BAD_ARGUMENT),
        (b'{"v": 1, "cmd": "start", "arg": 3}', ErrorCode.BAD_ARGUMENT),
        (b'{"v": 1, "cmd": "start", "arg": "a\\nb"}', ErrorCode.BAD_ARGUMENT),
        (b'{"v": 1, "cmd": "snooze", "arg": "soon"}', ErrorCode.BAD_ARGUMENT),
        (b'{"v": 1, "cmd": "snooze", "arg": "0m"}', ErrorCode.BAD_ARGUMENT),
        (b'{"v": 1, "cmd": "snooze", "arg": "until-tomorrow"}', ErrorCode.BAD_ARGUMENT),
        (b'{"v": 1, "cmd": "pause", "arg": "9999h"}', ErrorCode.BAD_ARGUMENT),
        (b'{"v": 1, "cmd": "pause", "arg": "99999999999999999999h"}', ErrorCode.BAD_ARGUMENT),
        (b"[" * 100_000, ErrorCode.TOO_LARGE),
        (b"[" * 4000 + b"]" * 4000, ErrorCode.TOO_LARGE),
    ],
)
def test_malformed_requests_get_a_code_and_a_message(line, code):
    assert code_of(line) is code


def test_deeply_nested_json_within_the_limit_is_malformed_not_a_crash():
    assert code_of(b"[" * 2000 + b"]" * 2000) is ErrorCode.MALFORMED


def test_unknown_command_lists_the_known_ones():
    with pytest.raises(ProtocolError, match="known: ping, status, start"):
        make_request("reboot")


def test_unknown_keys_are_ignored_for_forward_compatibility():
    assert decode_request(b'{"v": 1, "cmd": "skip", "from": "v2"}') == Skip()


def test_replies_round_trip_both_ways():
    ok = Reply.success({"pid": 42, "state": "waiting"})
    assert decode_reply(encode_reply(ok).rstrip(b"\n")) == ok
    bad = Reply.failure(ErrorCode.UNKNOWN_ROUTINE, "no routine 'x'")
    assert decode_reply(encode_reply(bad)) == bad
    assert json.loads(encode_reply(bad))["error"]["code"] == "unknown-routine"


@pytest.mark.parametrize(
    "line", [b'{"v": 1}', b'{"v": 1, "ok": true, "data": []}', b'{"v": 1, "ok": false}']
)
def test_garbage_replies_are_refused(line):
    with pytest.raises(ProtocolError):
        decode_reply(line)


def test_a_reply_with_a_future_error_code_still_reads():
    reply = decode_reply(b'{"v": 1, "ok": false, "error": {"code": "new", "message": "m"}}')
    assert reply == Reply.failure(ErrorCode.INTERNAL, "m")


def test_reply_data_that_is_not_json_ready_raises_type_error():
    with pytest.raises(TypeError):
        encode_reply(Reply.success({"at": object()}))


def test_line_reader_splits_at_the_first_newline_across_chunks():
    reader = LineReader(100)
    assert reader.feed(b'{"v": 1, ') is None
    assert reader.feed(b'"cmd": "skip"}\r\n{"ignored"') == b'{"v": 1, "cmd": "skip"}'


def test_line_reader_bounds_lines_with_and_without_a_newline():
    exact = LineReader(MAX_REQUEST_BYTES)
    assert exact.feed(b"x" * MAX_REQUEST_BYTES + b"\n") == b"x" * MAX_REQUEST_BYTES
    with pytest.raises(ProtocolError) as caught:
        LineReader(MAX_REQUEST_BYTES).feed(b"x" * (MAX_REQUEST_BYTES + 1))
    assert caught.value.code is ErrorCode.TOO_LARGE
    with pytest.raises(ProtocolError):
        LineReader(10).feed(b"x" * 11 + b"\n")


def test_line_reader_finish_gives_an_unterminated_message_or_none():
    reader = LineReader(100)
    assert reader.finish() is None
    reader.feed(b'{"v": 1, "cmd": "ping"}')
    assert reader.finish() == b'{"v": 1, "cmd": "ping"}'
