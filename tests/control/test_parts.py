"""The pure and local parts: folder choice and checks, peer credentials, the Windows names."""

from __future__ import annotations

import os
import stat
import struct
from pathlib import Path

import pytest

from movebreak.control.errors import ControlError
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
    current_pipe_name,
    owner_only_sddl,
    pipe_name,
    read_message,
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


def test_pipe_names_are_per_user_and_safe():
    name = pipe_name("CORP\\Ana Lima")
    assert name.startswith("\\\\.\\pipe\\movebreak-corp_ana_lima-")
    assert name == pipe_name("corp\\ana lima")  # Windows user names ignore case
    assert pipe_name("corp\\ana.lima") != pipe_name("corp\\ana_lima")
    assert "\\" not in name.removeprefix("\\\\.\\pipe\\")
    assert len(pipe_name("x" * 500)) < 256
    assert current_pipe_name().startswith("\\\\.\\pipe\\movebreak-")


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
