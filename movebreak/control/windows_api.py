"""The few Win32 calls the named pipe needs, through ctypes (Windows only, untested here).

Kept apart so ``windows_pipe`` stays importable, and its pure parts testable, on
any platform: nothing here runs until a Windows app binds its pipe.
"""

from __future__ import annotations

import ctypes
import sys
from ctypes import wintypes
from typing import Any

if sys.platform != "win32":  # also tells the type checker to read on only for Windows
    raise ImportError("movebreak.control.windows_api runs on Windows only")

_INVALID_HANDLE = wintypes.HANDLE(-1).value
_PIPE_TIMEOUT_MS = 2000
_SDDL_REVISION_1 = 1
_TOKEN_QUERY = 0x0008
_TOKEN_USER = 1
_PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
_OPEN_EXISTING = 3


class _SecurityAttributes(ctypes.Structure):
    _fields_ = [
        ("nLength", wintypes.DWORD),
        ("lpSecurityDescriptor", wintypes.LPVOID),
        ("bInheritHandle", wintypes.BOOL),
    ]


def _dll(name: str) -> Any:
    return ctypes.WinDLL(name, use_last_error=True)


def current_user_sid() -> str:
    """This process's user SID as text ("S-1-5-21-...")."""
    return _process_user_sid(_dll("kernel32").GetCurrentProcess())


def _process_user_sid(process: Any) -> str:
    """The user SID of a process handle's token; OSError when it cannot be read."""
    kernel32, advapi32 = _dll("kernel32"), _dll("advapi32")
    token = wintypes.HANDLE()
    if not advapi32.OpenProcessToken(process, _TOKEN_QUERY, ctypes.byref(token)):
        raise OSError(ctypes.get_last_error(), "OpenProcessToken failed")
    try:
        needed = wintypes.DWORD()
        advapi32.GetTokenInformation(token, _TOKEN_USER, None, 0, ctypes.byref(needed))
        buffer = ctypes.create_string_buffer(needed.value)
        if not advapi32.GetTokenInformation(
            token, _TOKEN_USER, buffer, needed, ctypes.byref(needed)
        ):
            raise OSError(ctypes.get_last_error(), "GetTokenInformation failed")
        sid = ctypes.cast(buffer, ctypes.POINTER(wintypes.LPVOID))[0]  # TOKEN_USER.User.Sid
        text = wintypes.LPWSTR()
        if not advapi32.ConvertSidToStringSidW(wintypes.LPVOID(sid), ctypes.byref(text)):
            raise OSError(ctypes.get_last_error(), "ConvertSidToStringSidW failed")
        try:
            return str(text.value)
        finally:
            kernel32.LocalFree(text)
    finally:
        kernel32.CloseHandle(token)


def pipe_peer_sid(handle: int, *, server: bool) -> str | None:
    """The user SID of the process at the pipe's other end (its server, or its client).

    ``GetNamedPipeServerProcessId`` / ``GetNamedPipeClientProcessId``, then that
    process's token. None when any step fails (e.g. the process is another user's and
    we may not open it): the caller treats "cannot tell" as "not ours".
    """
    kernel32 = _dll("kernel32")
    pid = wintypes.ULONG()
    ask = kernel32.GetNamedPipeServerProcessId if server else kernel32.GetNamedPipeClientProcessId
    if not ask(wintypes.HANDLE(handle), ctypes.byref(pid)):
        return None
    kernel32.OpenProcess.restype = wintypes.HANDLE
    process = kernel32.OpenProcess(_PROCESS_QUERY_LIMITED_INFORMATION, False, pid.value)
    if not process:
        return None
    try:
        return _process_user_sid(wintypes.HANDLE(process))
    except OSError:
        return None
    finally:
        kernel32.CloseHandle(wintypes.HANDLE(process))


def open_pipe(name: str, access: int, flags: int) -> tuple[int | None, int]:
    """CreateFileW(OPEN_EXISTING) of a pipe with ``flags``: (handle, 0) or (None, error)."""
    kernel32 = _dll("kernel32")
    kernel32.CreateFileW.restype = wintypes.HANDLE
    handle = kernel32.CreateFileW(name, access, 0, None, _OPEN_EXISTING, flags, None)
    if handle in (None, _INVALID_HANDLE):
        return None, int(ctypes.get_last_error())
    return int(handle), 0


def create_pipe(
    name: str, open_mode: int, pipe_mode: int, sddl: str, buffer_size: int
) -> tuple[int | None, int]:
    """CreateNamedPipeW with one instance and ``sddl`` as its DACL: (handle, 0) or (None, error)."""
    kernel32, advapi32 = _dll("kernel32"), _dll("advapi32")
    descriptor = wintypes.LPVOID()
    if not advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW(
        sddl, _SDDL_REVISION_1, ctypes.byref(descriptor), None
    ):
        return None, ctypes.get_last_error()
    try:
        attributes = _SecurityAttributes(ctypes.sizeof(_SecurityAttributes), descriptor, False)
        kernel32.CreateNamedPipeW.restype = wintypes.HANDLE
        handle = kernel32.CreateNamedPipeW(
            name, open_mode, pipe_mode, 1, buffer_size, buffer_size, _PIPE_TIMEOUT_MS,
            ctypes.byref(attributes),
        )
        if handle in (None, _INVALID_HANDLE):
            return None, ctypes.get_last_error()
        return int(handle), 0
    finally:
        kernel32.LocalFree(descriptor)


def connect_pipe(handle: int) -> int:
    """Block until a client connects; 0 or the Windows error code."""
    if _dll("kernel32").ConnectNamedPipe(wintypes.HANDLE(handle), None):
        return 0
    return int(ctypes.get_last_error())


def read(handle: int, size: int) -> bytes:
    """ReadFile; b"" when the client closed its end."""
    buffer = ctypes.create_string_buffer(size)
    done = wintypes.DWORD()
    kernel32 = _dll("kernel32")
    if not kernel32.ReadFile(wintypes.HANDLE(handle), buffer, size, ctypes.byref(done), None):
        error = ctypes.get_last_error()
        if error == 109:  # ERROR_BROKEN_PIPE: the client is gone
            return b""
        raise OSError(error, "ReadFile failed")
    return buffer.raw[: done.value]


def write(handle: int, payload: bytes) -> None:
    """WriteFile and flush, ignoring a client that already left."""
    kernel32 = _dll("kernel32")
    done = wintypes.DWORD()
    kernel32.WriteFile(wintypes.HANDLE(handle), payload, len(payload), ctypes.byref(done), None)
    kernel32.FlushFileBuffers(wintypes.HANDLE(handle))


def disconnect_pipe(handle: int) -> None:
    _dll("kernel32").DisconnectNamedPipe(wintypes.HANDLE(handle))


def close(handle: int) -> None:
    _dll("kernel32").CloseHandle(wintypes.HANDLE(handle))
