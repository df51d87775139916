"""Windows: ``SHQueryUserNotificationState`` and Focus Assist, through ctypes.

``SHQueryUserNotificationState`` (shell32) is what Windows itself consults before
showing a toast; its QUNS values map onto our reasons below. It does not report
Focus Assist ("Do not disturb" in Windows 11), so that is read as well, from the
undocumented but long-stable WNF state ``WNF_SHEL_QUIETHOURS_ACTIVE_PROFILE_CHANGED``
through ``NtQueryWnfStateData`` (ntdll): 0 off, 1 priority only, 2 alarms only. If
that call fails (an older or newer Windows), only the documented state is used.

The mappings are the logic; they are pure and tested without Windows.
"""

from __future__ import annotations

import ctypes
from enum import IntEnum
from typing import Any

from movebreak.quiet.base import QuietReason, QuietUnavailable


class Quns(IntEnum):
    """``QUERY_USER_NOTIFICATION_STATE`` (shellapi.h)."""

    NOT_PRESENT = 1  # screen saver, locked, or another user's session in front
    BUSY = 2  # a fullscreen app, or presentation settings
    RUNNING_D3D_FULL_SCREEN = 3  # an exclusive-mode Direct3D game
    PRESENTATION_MODE = 4  # the user switched presentation settings on
    ACCEPTS_NOTIFICATIONS = 5
    QUIET_TIME = 6  # the first hour after a new account's first login or an upgrade
    APP = 7  # a Windows Store app runs fullscreen


QUNS_REASONS: dict[int, QuietReason | None] = {
    Quns.NOT_PRESENT: QuietReason.SCREEN_LOCKED,
    Quns.BUSY: QuietReason.FULLSCREEN,
    Quns.RUNNING_D3D_FULL_SCREEN: QuietReason.FULLSCREEN,
    Quns.PRESENTATION_MODE: QuietReason.PRESENTATION,
    Quns.ACCEPTS_NOTIFICATIONS: None,
    Quns.QUIET_TIME: QuietReason.DO_NOT_DISTURB,
    Quns.APP: QuietReason.FULLSCREEN,
}

FOCUS_ASSIST_OFF = 0
"""1 (priority only) and 2 (alarms only) both hold our prompts: we are neither."""

_WNF_QUIET_HOURS_PROFILE = (0xA3BF1C75, 0x0D83063E)  # WNF_SHEL_QUIETHOURS_ACTIVE_PROFILE_CHANGED


def reason_from(quns: int | None, focus_assist: int | None) -> QuietReason | None:
    """Combine both answers: the notification state first, then Focus Assist.

    An unknown QUNS value (a future Windows) holds nothing rather than everything.
    """
    reason = QUNS_REASONS.get(quns) if quns is not None else None
    if reason is not None:
        return reason
    if focus_assist is not None and focus_assist != FOCUS_ASSIST_OFF:
        return QuietReason.DO_NOT_DISTURB
    return None


class WindowsQuietProbe:
    """``QuietProbe`` for Windows: fullscreen, presentation, locked, Focus Assist."""

    name = "windows-notification-state"
    sees_fullscreen = True  # QUNS_BUSY: a fullscreen app, QUNS_PRESENTATION_MODE

    def __init__(self) -> None:
        loader: Any = getattr(ctypes, "WinDLL", None)
        if loader is None:
            raise QuietUnavailable("SHQueryUserNotificationState exists only on Windows")
        try:
            self._shell32 = loader("shell32")
            self._ntdll = loader("ntdll")
        except OSError as error:
            raise QuietUnavailable(f"cannot load shell32/ntdll: {error}") from error

    def notification_state(self) -> int:
        state = ctypes.c_int(0)
        if self._shell32.SHQueryUserNotificationState(ctypes.byref(state)) != 0:
            raise QuietUnavailable("SHQueryUserNotificationState failed")
        return state.value

    def focus_assist(self) -> int | None:
        """Focus Assist's profile, or None where the undocumented call does not work."""
        name = (ctypes.c_uint32 * 2)(*_WNF_QUIET_HOURS_PROFILE)
        stamp = ctypes.c_uint32(0)
        value = ctypes.c_uint32(0)
        size = ctypes.c_uint32(ctypes.sizeof(value))
        try:
            status = self._ntdll.NtQueryWnfStateData(
                ctypes.byref(name), None, None, ctypes.byref(stamp), ctypes.byref(value),
                ctypes.byref(size),
            )
        except (AttributeError, OSError):
            return None
        return value.value if status == 0 and size.value >= 1 else None

    def reason(self) -> QuietReason | None:
        return reason_from(self.notification_state(), self.focus_assist())

    def close(self) -> None:
        """Nothing to release."""
