"""macOS: ``CGEventSourceSecondsSinceLastEventType`` from CoreGraphics, via ctypes.

Asked for the HID system state (what the hardware did, not one app's events) and any
input event type, it returns seconds since the last keyboard, mouse or trackpad
input: the same number ``ioreg``'s HIDIdleTime gives, without a subprocess and without
pulling in pyobjc's Quartz bindings. Thin on purpose: it cannot be run here.
"""

from __future__ import annotations

import ctypes

from movebreak.idle.base import IdleUnavailable

CORE_GRAPHICS = "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics"
HID_SYSTEM_STATE = 1  # kCGEventSourceStateHIDSystemState
ANY_INPUT_EVENT = 0xFFFFFFFF  # kCGAnyInputEventType, ~0 as a uint32


class MacIdleSource:
    """``IdleSource`` for the logged-in macOS user."""

    name = "macos"

    def __init__(self, library: str = CORE_GRAPHICS) -> None:
        try:
            core_graphics = ctypes.CDLL(library)
            self._seconds_since = core_graphics.CGEventSourceSecondsSinceLastEventType
        except (OSError, AttributeError) as error:
            raise IdleUnavailable(f"CoreGraphics is not available: {error}") from error
        self._seconds_since.argtypes = (ctypes.c_int32, ctypes.c_uint32)
        self._seconds_since.restype = ctypes.c_double

    def idle_seconds(self) -> float:
        return float(self._seconds_since(HID_SYSTEM_STATE, ANY_INPUT_EVENT))

    def close(self) -> None:
        """Nothing to release: the framework stays loaded for the process."""
