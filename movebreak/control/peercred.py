"""Who is on the other end of a Unix socket: the kernel's word, not the client's.

Linux gives ``SO_PEERCRED`` (pid, uid, gid, fixed when the client connected);
macOS and the BSDs give ``LOCAL_PEERCRED`` (a ``struct xucred``). Parsing the raw
bytes is kept pure so both layouts are tested on any machine.
"""

from __future__ import annotations

import socket
import struct
import sys
from dataclasses import dataclass

# struct ucred { pid_t pid; uid_t uid; gid_t gid; } on Linux.
_UCRED = struct.Struct("=iII")
# struct xucred { u_int cr_version; uid_t cr_uid; short cr_ngroups; gid_t cr_groups[16]; }
_XUCRED_HEAD = struct.Struct("=II")
_XUCRED_SIZE = 76
XUCRED_VERSION = 0
# <sys/un.h> on macOS and FreeBSD: the socket level and option number.
SOL_LOCAL = 0
LOCAL_PEERCRED = 0x001


@dataclass(frozen=True)
class Peer:
    """The connecting process as the kernel reports it (pid is unknown on macOS)."""

    uid: int
    pid: int | None = None


def parse_ucred(raw: bytes) -> Peer:
    """Linux ``SO_PEERCRED`` bytes to a Peer."""
    if len(raw) < _UCRED.size:
        raise OSError(f"SO_PEERCRED returned {len(raw)} bytes, expected {_UCRED.size}")
    pid, uid, _gid = _UCRED.unpack_from(raw)
    return Peer(uid, pid or None)


def parse_xucred(raw: bytes) -> Peer:
    """macOS/BSD ``LOCAL_PEERCRED`` bytes to a Peer."""
    if len(raw) < _XUCRED_HEAD.size:
        raise OSError(f"LOCAL_PEERCRED returned {len(raw)} bytes, expected {_XUCRED_SIZE}")
    version, uid = _XUCRED_HEAD.unpack_from(raw)
    if version != XUCRED_VERSION:
        raise OSError(f"LOCAL_PEERCRED returned xucred version {version}")
    return Peer(uid)


def peer_of(sock: socket.socket) -> Peer | None:
    """The peer of a connected Unix socket; None where the platform cannot say.

    Raises OSError when the platform can say but the call failed: the caller
    refuses that connection rather than trusting it.
    """
    if sys.platform.startswith("linux"):
        return parse_ucred(sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _UCRED.size))
    if sys.platform == "darwin" or "bsd" in sys.platform:
        option = getattr(socket, "LOCAL_PEERCRED", LOCAL_PEERCRED)
        return parse_xucred(sock.getsockopt(SOL_LOCAL, option, _XUCRED_SIZE))
    return None


def peer_allowed(peer_uid: int | None, own_uid: int) -> bool:
    """Only our own user may command the app.

    ``None`` (a platform without peer credentials) is let through: there the 0700
    folder is the only guard, as it is for every file the app keeps.
    """
    return peer_uid is None or peer_uid == own_uid
