"""The pure and local parts: folder choice and checks, peer credentials, the Windows names."""

from __future__ import annotations

import os
import stat
import struct
from pathlib import Path

import pytest

from movebreak.control.errors import AlreadyRunning, ControlError, HeldByAnotherUser, NotRunning
from movebreak.control.location import (
    MAX_SOCKET_PATH_BYTES,
    check_socket_path,
    choose_control_dir,
    ensure_private_dir,
    folder_problem,
)
from movebreak.control.peercred import (
    Peer,
    parse_ucred,
    parse_xucred,
    peer_allowed,
)
from movebreak.control.protocol import MAX_REQUEST_BYTES, ErrorCode, ProtocolError
from movebreak.control.windows_pipe import (
    ERROR_ACCESS_DENIED,
    ERROR_FILE_NOT_FOUND,
    ERROR_PIPE_BUSY,
    FILE_FLAG_FIRST_PIPE_INSTANCE,
    PIPE_ACCESS_DUPLEX,
    PIPE_REJECT_REMOTE_CLIENTS,
    SECURITY_IDENTIFICATION,
    SECURITY_SQOS_PRESENT,
    bind_failure,
    client_flags,
    open_failure,
    owner_only_sddl,
    peer_refusal,
    pipe_name,
    read_message,
    server_open_mode,
    server_pipe_mode,
)

from .conftest import need

NOBODY = 65534


def test_runtime_dir_is_preferred_and_the_cache_dir_is_the_fallback():
    cache = Path("/home/ana/.cache/movebreak")
    exists = {"/run/user/1000"}.__contains__
    env = {"XDG_RUNTIME_DIR": "/run/user/1000"}
    assert choose_control_dir(env, cache, exists) == Path("/run/user/1000/movebreak")
    assert choose_control_dir({}, cache, exists) == cache / "control"
    assert choose_control_dir({"XDG_RUNTIME_DIR": "relative"}, cache, exists) == cache / "control"
    gone = {"XDG_RUNTIME_DIR": "/run/user/1001"}
    assert choose_control_dir(gone, cache, exists) == cache / "control"


def test_folder_problems_are_named():
    me = 1000
    assert folder_problem(stat.S_IFDIR | 0o700, me, me) is None
    assert "symbolic link" in folder_problem(stat.S_IFLNK | 0o777, me, me)
    assert "not a folder" in folder_problem(stat.S_IFREG | 0o600, me, me)
    assert "belongs to uid 0" in folder_problem(stat.S_IFDIR | 0o700, 0, me)


def test_private_dir_is_created_0700_and_a_loose_one_is_tightened(short_dir):
    folder = ensure_private_dir(short_dir / "a" / "movebreak")
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    os.chmod(folder, 0o755)
    ensure_private_dir(folder)
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700


def test_someone_elses_folder_or_a_symlink_is_refused(short_dir):
    need(os.geteuid() == 0, "needs root to hand a folder to another user")
    planted = short_dir / "movebreak"
    planted.mkdir(mode=0o777)
    os.chown(planted, NOBODY, NOBODY)
    with pytest.raises(ControlError, match=f"belongs to uid {NOBODY}"):
        ensure_private_dir(planted)
    link = short_dir / "link"
    link.symlink_to(short_dir)
    with pytest.raises(ControlError, match="symbolic link"):
        ensure_private_dir(link)


def test_a_socket_path_too_long_to_bind_is_a_clear_error():
    check_socket_path(Path("/run/user/1000/movebreak/control.sock"))
    with pytest.raises(ControlError, match="XDG_RUNTIME_DIR"):
        check_socket_path(Path("/" + "x" * MAX_SOCKET_PATH_BYTES))


def test_linux_and_bsd_peer_credentials_parse():
    assert parse_ucred(struct.pack("=iII", 4242, 1000, 1000)) == Peer(1000, 4242)
    xucred = struct.pack("=IIh", 0, 501, 1) + b"\0" * 2 + struct.pack("=16I", *range(16))
    assert len(xucred) == 76
    assert parse_xucred(xucred) == Peer(501)
    with pytest.raises(OSError):
        parse_xucred(struct.pack("=II", 9, 501))  # an unknown layout is not trusted
    with pytest.raises(OSError):
        parse_ucred(b"\0\0")


def test_only_the_same_uid_is_allowed():
    assert peer_allowed(1000, 1000)
    assert not peer_allowed(NOBODY, 1000)
    assert not peer_allowed(0, 1000)  # not even root: it has its own ways in
    assert peer_allowed(None, 1000)  # no credentials on this platform: the folder guards


ANA = "S-1-5-21-1004336348-1177238915-682003330-1001"
EVE = "S-1-5-21-1004336348-1177238915-682003330-1002"


def test_pipe_names_are_per_user_sid():
    assert pipe_name(ANA) == f"\\\\.\\pipe\\movebreak-{ANA}"
    assert pipe_name(ANA) != pipe_name(EVE)
    with pytest.raises(ValueError):
        pipe_name("CORP\\Ana Lima")  # a user name is not an account: names change and fold
    with pytest.raises(ValueError):
        pipe_name(f"{ANA}\\..\\other")  # nothing but the SID gets into the name


def test_pipe_flags_lock_the_name_and_keep_the_client_unimpersonable():
    assert server_open_mode() & FILE_FLAG_FIRST_PIPE_INSTANCE  # an existing name fails
    assert server_open_mode() & PIPE_ACCESS_DUPLEX == PIPE_ACCESS_DUPLEX
    assert server_pipe_mode() & PIPE_REJECT_REMOTE_CLIENTS
    # winbase.h: SECURITY_SQOS_PRESENT 0x00100000, SECURITY_IDENTIFICATION = 1 << 16.
    assert (SECURITY_SQOS_PRESENT, SECURITY_IDENTIFICATION) == (0x00100000, 0x00010000)
    assert client_flags() == SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION


def test_only_our_own_sid_on_the_other_end_is_trusted():
    assert peer_refusal(ANA, ANA, "server") is None
    assert peer_refusal(ANA.lower().replace("s-", "S-", 1), ANA, "server") is None
    assert peer_refusal(EVE, ANA, "server") == f"its server runs as {EVE}, not as you ({ANA})"
    # Windows can always tell; failing to is the sign of someone else's process.
    assert peer_refusal(None, ANA, "client") == "cannot tell which user runs the client of the pipe"


def test_a_client_that_cannot_open_the_pipe_says_why():
    assert isinstance(open_failure(ERROR_FILE_NOT_FOUND, 2.0), NotRunning)
    held = open_failure(ERROR_ACCESS_DENIED, 2.0)
    assert isinstance(held, HeldByAnotherUser)
    assert "held by another user" in str(held)
    assert str(open_failure(ERROR_PIPE_BUSY, 2.0)) == \
        "movebreak did not accept the command within 2 s"


def test_a_name_held_by_another_user_is_not_already_running():
    def squatter() -> dict:
        raise HeldByAnotherUser(peer_refusal(EVE, ANA, "server") or "")

    outcome = bind_failure(ERROR_ACCESS_DENIED, pipe_name(ANA), squatter)
    assert isinstance(outcome, HeldByAnotherUser) and not isinstance(outcome, AlreadyRunning)
    assert str(outcome).startswith(
        f"the control pipe's name is held by another user (its server runs as {EVE}")


def test_a_name_held_by_us_is_already_running_answering_or_not():
    running = bind_failure(ERROR_ACCESS_DENIED, "p", lambda: {"pid": 42})
    assert isinstance(running, AlreadyRunning) and (running.pid, running.answering) == (42, True)

    def silent() -> dict:
        raise ControlError("movebreak did not answer")

    stuck = bind_failure(ERROR_PIPE_BUSY, "p", silent)
    assert isinstance(stuck, AlreadyRunning) and not stuck.answering
    other = bind_failure(87, "p", lambda: {"pid": 1})
    assert not isinstance(other, AlreadyRunning) and "Windows error 87" in str(other)


def test_pipe_dacl_grants_the_user_alone():
    sid = "S-1-5-21-1004336348-1177238915-682003330-512"
    assert owner_only_sddl(sid) == f"D:P(A;;GA;;;{sid})"
    with pytest.raises(ValueError):
        owner_only_sddl("S-1-5)(A;;GA;;;WD")  # no injecting "everyone"


def test_pipe_framing_is_the_socket_framing():
    chunks = iter([b'{"v":1,', b'"cmd":"skip"}\n', b"rest"])
    assert read_message(lambda _n: next(chunks, b""), MAX_REQUEST_BYTES) == b'{"v":1,"cmd":"skip"}'
    tail = iter([b'{"v":1,"cmd":"done"}'])
    assert read_message(lambda _n: next(tail, b""), MAX_REQUEST_BYTES) == b'{"v":1,"cmd":"done"}'
    flood = iter([b"x" * 4096] * 3)
    with pytest.raises(ProtocolError) as caught:
        read_message(lambda _n: next(flood, b""), MAX_REQUEST_BYTES)
    assert caught.value.code is ErrorCode.TOO_LARGE
