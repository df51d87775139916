"""Where the Wayland client looks for the compositor, and how it fails without one."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from movebreak.wayland.client import Connection, Global, WaylandError, connect, socket_path


def test_socket_in_the_runtime_folder_by_name() -> None:
    env = {"XDG_RUNTIME_DIR": "/run/user/1000", "WAYLAND_DISPLAY": "wayland-1"}
    assert socket_path(env) == Path("/run/user/1000/wayland-1")


def test_socket_default_name_and_absolute_path() -> None:
    assert socket_path({"XDG_RUNTIME_DIR": "/r"}) == Path("/r/wayland-0")
    assert socket_path({"WAYLAND_DISPLAY": "/elsewhere/w"}) == Path("/elsewhere/w")


def test_no_runtime_folder_is_an_error() -> None:
    with pytest.raises(WaylandError, match="XDG_RUNTIME_DIR"):
        socket_path({"WAYLAND_DISPLAY": "wayland-0"})


def test_no_compositor_listening_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(WaylandError, match="cannot connect"):
        connect({"XDG_RUNTIME_DIR": str(tmp_path), "WAYLAND_DISPLAY": "wayland-9"})


def test_bind_needs_the_registry_first(tmp_path: Path) -> None:
    path = tmp_path / "wayland-x"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(1)
    try:
        connection = Connection(path)
        with pytest.raises(WaylandError, match="before load_globals"):
            connection.bind(Global(1, "wl_seat", 7), 1)
        connection.close()
    finally:
        listener.close()
