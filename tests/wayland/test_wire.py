"""The Wayland wire format, byte for byte (what libwayland would put on the socket)."""

from __future__ import annotations

import struct

import pytest

from movebreak.wayland import wire


def test_header_is_object_then_size_and_opcode_little_endian() -> None:
    data = wire.encode(1, 1, "n", 2)  # wl_display.get_registry(new_id 2)
    assert data == struct.pack("<III", 1, 12 << 16 | 1, 2)


def test_registry_bind_spells_out_interface_version_and_id() -> None:
    data = wire.encode(2, 0, "usun", 7, "wl_seat", 1, 5)
    # name 7; "wl_seat" is 7 bytes + NUL = 8 (no padding); version 1; id 5
    assert data[8:] == struct.pack("<II", 7, 8) + b"wl_seat\0" + struct.pack("<II", 1, 5)
    assert struct.unpack_from("<I", data, 4)[0] >> 16 == len(data) == 32


@pytest.mark.parametrize(("text", "length", "padded"), [
    ("", 1, 4), ("abc", 4, 4), ("abcd", 5, 8), ("org_kde_kwin_idle", 18, 20),
])
def test_strings_count_their_nul_and_pad_to_four(text: str, length: int, padded: int) -> None:
    raw = wire.encode_args("s", (text,))
    assert struct.unpack_from("<I", raw)[0] == length
    assert len(raw) == 4 + padded
    assert wire.decode_args("s", raw) == [text]


def test_null_string_and_arrays_round_trip() -> None:
    raw = wire.encode_args("sai", (None, b"\x03\0\0\0\x02\0\0\0\x01", -5))
    assert wire.decode_args("sai", raw) == [None, b"\x03\0\0\0\x02\0\0\0\x01", -5]


def test_fixed_is_24_8() -> None:
    raw = wire.encode_args("f", (1.5,))
    assert raw == struct.pack("<i", 384)
    assert wire.decode_args("f", struct.pack("<i", -256)) == [-1.0]


def test_uint_array_reads_a_toplevel_state() -> None:
    assert wire.uint_array(struct.pack("<III", 2, 3, 0)) == [2, 3, 0]
    with pytest.raises(wire.WireError):
        wire.uint_array(b"\0\0\0")


def test_split_keeps_an_incomplete_message_for_later() -> None:
    first = wire.encode(3, 0, "u", 42)
    second = wire.encode(4, 1, "s", "hello")
    messages, rest = wire.split(first + second[:7])
    assert messages == [wire.Message(3, 0, struct.pack("<I", 42))]
    assert rest == second[:7]
    messages, rest = wire.split(rest + second[7:])
    assert [(m.object_id, m.opcode) for m in messages] == [(4, 1)]
    assert wire.decode_args("s", messages[0].payload) == ["hello"]
    assert rest == b""


@pytest.mark.parametrize(("signature", "args"), [
    ("u", (-1,)), ("u", (2**32,)), ("i", (2**31,)), ("s", (3,)), ("a", ("x",)), ("h", (3,)),
    ("uu", (1,)),
])
def test_unsendable_arguments_are_refused(signature: str, args: tuple[wire.Arg, ...]) -> None:
    with pytest.raises(wire.WireError):
        wire.encode_args(signature, args)


@pytest.mark.parametrize(("signature", "payload"), [
    ("u", b"\0\0"),                                   # short
    ("s", struct.pack("<I", 9) + b"abc\0"),           # string runs past the end
    ("s", struct.pack("<I", 3) + b"abc\0"),           # no NUL
    ("u", struct.pack("<II", 1, 2)),                  # bytes left over
])
def test_malformed_payloads_are_errors(signature: str, payload: bytes) -> None:
    with pytest.raises(wire.WireError):
        wire.decode_args(signature, payload)


def test_a_size_below_the_header_is_an_error() -> None:
    with pytest.raises(wire.WireError):
        wire.split(struct.pack("<II", 1, 4 << 16))
