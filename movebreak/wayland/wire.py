"""The Wayland wire format: pure encoding and decoding, no I/O.

A message is a header of two 32-bit words in the host's byte order (little-endian on
every machine this runs on): the object id, then ``size << 16 | opcode`` where size
counts the whole message, header included. Arguments follow, each padded to 4 bytes:

- ``i`` int32, ``u`` uint32, ``o`` object id, ``n`` new id (all one word);
- ``f`` fixed 24.8 (one word; given and returned as a float);
- ``s`` string: uint32 length *including* the NUL, the bytes, NUL, padding; length 0
  is a null string (``None``);
- ``a`` array: uint32 byte length, the bytes, padding.

File descriptors (``h``) travel out of band and are not supported: nothing here needs
them. A ``new_id`` whose interface the protocol does not fix (``wl_registry.bind``) is
written as the three arguments ``s u n``: interface name, version, id.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

HEADER = struct.Struct("<II")
WORD = struct.Struct("<I")
SIGNED = struct.Struct("<i")
MAX_MESSAGE = 0xFFFF
"""The size field has 16 bits: no message is longer."""

Arg = int | float | str | bytes | None


class WireError(ValueError):
    """Bytes that are not a well-formed Wayland message, or arguments that cannot be sent."""


@dataclass(frozen=True)
class Message:
    """One message as it came off the socket: its target, opcode and raw arguments."""

    object_id: int
    opcode: int
    payload: bytes


def _pad(length: int) -> int:
    return (length + 3) & ~3


def encode_args(signature: str, args: tuple[Arg, ...]) -> bytes:
    """The argument bytes for ``args`` laid out as ``signature`` says."""
    if len(signature) != len(args):
        raise WireError(f"signature {signature!r} wants {len(signature)} args, got {len(args)}")
    out = bytearray()
    for kind, value in zip(signature, args, strict=True):
        if kind in "uon":
            if not isinstance(value, int) or not 0 <= value <= 0xFFFFFFFF:
                raise WireError(f"{kind!r} needs a uint32, got {value!r}")
            out += WORD.pack(value)
        elif kind == "i":
            if not isinstance(value, int) or not -(2**31) <= value < 2**31:
                raise WireError(f"'i' needs an int32, got {value!r}")
            out += SIGNED.pack(value)
        elif kind == "f":
            if not isinstance(value, int | float):
                raise WireError(f"'f' needs a number, got {value!r}")
            out += SIGNED.pack(round(value * 256))
        elif kind == "s":
            if value is None:
                out += WORD.pack(0)
                continue
            if not isinstance(value, str):
                raise WireError(f"'s' needs a str, got {value!r}")
            raw = value.encode() + b"\0"
            out += WORD.pack(len(raw)) + raw + b"\0" * (_pad(len(raw)) - len(raw))
        elif kind == "a":
            if not isinstance(value, bytes):
                raise WireError(f"'a' needs bytes, got {value!r}")
            out += WORD.pack(len(value)) + value + b"\0" * (_pad(len(value)) - len(value))
        else:
            raise WireError(f"unsupported argument type {kind!r}")
    return bytes(out)


def encode(object_id: int, opcode: int, signature: str = "", *args: Arg) -> bytes:
    """A whole message: header and arguments."""
    payload = encode_args(signature, args)
    size = HEADER.size + len(payload)
    if size > MAX_MESSAGE:
        raise WireError(f"message of {size} bytes does not fit the 16-bit size field")
    if not 0 <= opcode <= 0xFFFF:
        raise WireError(f"opcode {opcode} out of range")
    return HEADER.pack(object_id, size << 16 | opcode) + payload


def decode_args(signature: str, payload: bytes) -> list[Arg]:
    """The arguments of ``payload`` as ``signature`` says; ``WireError`` if it does not fit."""
    values: list[Arg] = []
    offset = 0
    for kind in signature:
        if offset + 4 > len(payload):
            raise WireError(f"payload ends before argument {kind!r} at byte {offset}")
        (word,) = WORD.unpack_from(payload, offset)
        offset += 4
        if kind in "uon":
            values.append(word)
        elif kind == "i":
            values.append(SIGNED.unpack_from(payload, offset - 4)[0])
        elif kind == "f":
            values.append(SIGNED.unpack_from(payload, offset - 4)[0] / 256)
        elif kind in "sa":
            end = offset + word
            if end > len(payload):
                raise WireError(f"{kind!r} of {word} bytes runs past the payload")
            raw = payload[offset:end]
            offset += _pad(word)
            if kind == "a":
                values.append(raw)
            elif word == 0:
                values.append(None)
            elif raw[-1:] != b"\0":
                raise WireError("string without its terminating NUL")
            else:
                values.append(raw[:-1].decode(errors="replace"))
        else:
            raise WireError(f"unsupported argument type {kind!r}")
    if offset != len(payload):
        raise WireError(f"{len(payload) - offset} bytes left after {signature!r}")
    return values


def uint_array(raw: bytes) -> list[int]:
    """An ``a`` argument holding uint32 values (such as a toplevel's ``state``)."""
    if len(raw) % 4:
        raise WireError(f"array of {len(raw)} bytes is not a whole number of uint32s")
    return [value for (value,) in WORD.iter_unpack(raw)]


def split(buffer: bytes) -> tuple[list[Message], bytes]:
    """The whole messages at the start of ``buffer``, and the incomplete rest."""
    messages: list[Message] = []
    offset = 0
    while len(buffer) - offset >= HEADER.size:
        object_id, word = HEADER.unpack_from(buffer, offset)
        size, opcode = word >> 16, word & 0xFFFF
        if size < HEADER.size or size % 4:
            raise WireError(f"bad message size {size} for object {object_id}")
        if len(buffer) - offset < size:
            break
        payload = bytes(buffer[offset + HEADER.size:offset + size])
        messages.append(Message(object_id, opcode, payload))
        offset += size
    return messages, bytes(buffer[offset:])
