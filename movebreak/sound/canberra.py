"""Linux: libcanberra in-process through ctypes, the way desktop apps play event sounds.

libcanberra talks to PulseAudio (or PipeWire's PulseAudio server) and reads the
freedesktop sound theme, so a theme name such as "complete" sounds like the rest of the
desktop. One context is made at start-up and kept; a cue is one ``ca_context_play_full``
call that returns once the server has the stream: no process per cue. While nothing
plays, libcanberra's PulseAudio backend keeps one thread asleep on its server socket.
"""

from __future__ import annotations

import ctypes
import logging
import threading
from pathlib import Path

from movebreak.core.cues import decibels
from movebreak.sound.base import SoundUnavailable
from movebreak.sound.settings import CueSound

log = logging.getLogger(__name__)

LIBRARY = "libcanberra.so.0"
APP = (("application.name", "movebreak"), ("application.id", "io.github.movebreak"))
# libcanberra's error codes that mean the connection itself is gone (see canberra.h)
CA_ERROR_NOTFOUND = -9
CA_ERROR_DESTROYED = -10
CA_ERROR_STATE = -3
CA_ERROR_DISCONNECTED = -18
_BROKEN = (CA_ERROR_STATE, CA_ERROR_DESTROYED, CA_ERROR_DISCONNECTED)


def play_properties(sound: CueSound, volume: int, theme: bool = True) -> list[tuple[str, str]]:
    """The proplist of one play: a theme event (``theme``) or our file, at ``volume``."""
    props = [("media.role", "event")]
    if theme and sound.theme is not None:
        props.append(("event.id", sound.theme))
    else:
        props += [("media.filename", str(sound.file)), ("canberra.cache-control", "never")]
    db = decibels(volume)
    if db is not None and db != 0:
        props.append(("canberra.volume", str(db)))
    return props


class _Library:
    """The few entry points we use, typed once."""

    def __init__(self, name: str) -> None:
        try:
            lib = ctypes.CDLL(name)
        except OSError as error:
            raise SoundUnavailable(f"{name} not found ({error}): install libcanberra0") from None
        pp = ctypes.POINTER(ctypes.c_void_p)
        for function, args in (
            ("ca_context_create", [pp]),
            ("ca_context_destroy", [ctypes.c_void_p]),
            ("ca_context_open", [ctypes.c_void_p]),
            ("ca_context_change_props_full", [ctypes.c_void_p, ctypes.c_void_p]),
            ("ca_context_play_full",
             [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_void_p, ctypes.c_void_p,
              ctypes.c_void_p]),
            ("ca_proplist_create", [pp]),
            ("ca_proplist_destroy", [ctypes.c_void_p]),
            ("ca_proplist_sets", [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]),
        ):
            getattr(lib, function).argtypes = args
            getattr(lib, function).restype = ctypes.c_int
        lib.ca_strerror.argtypes = [ctypes.c_int]
        lib.ca_strerror.restype = ctypes.c_char_p
        self.lib = lib

    def error(self, code: int) -> str:
        text = self.lib.ca_strerror(code)
        return text.decode(errors="replace") if text else f"error {code}"

    def proplist(self, props: list[tuple[str, str]]) -> ctypes.c_void_p:
        handle = ctypes.c_void_p()
        if self.lib.ca_proplist_create(ctypes.byref(handle)) < 0:
            raise SoundUnavailable("libcanberra: out of memory")
        for key, value in props:
            self.lib.ca_proplist_sets(handle, key.encode(), value.encode())
        return handle


class CanberraOutput:
    """A libcanberra context, opened once; ``play`` starts a cue and returns."""

    name = "libcanberra"

    def __init__(self, library: str = LIBRARY) -> None:
        self._ca = _Library(library)
        self._lock = threading.Lock()
        self._next_id = 1
        self._context = self._open()

    def _open(self) -> ctypes.c_void_p:
        lib = self._ca.lib
        context = ctypes.c_void_p()
        code = lib.ca_context_create(ctypes.byref(context))
        if code < 0:
            raise SoundUnavailable(f"libcanberra: {self._ca.error(code)}")
        props = self._ca.proplist(list(APP))
        lib.ca_context_change_props_full(context, props)
        lib.ca_proplist_destroy(props)
        code = lib.ca_context_open(context)  # the sound server, now rather than at a cue
        if code < 0:
            lib.ca_context_destroy(context)
            raise SoundUnavailable(f"libcanberra cannot reach a sound server: "
                                   f"{self._ca.error(code)}")
        return context

    def play(self, sound: CueSound, volume: int) -> None:
        with self._lock:
            code = self._play(sound, volume, theme=True)
            if code == CA_ERROR_NOTFOUND and sound.theme is not None:
                log.info("the sound theme has no %r; playing movebreak's own cue", sound.theme)
                code = self._play(sound, volume, theme=False)
            if code in _BROKEN:  # the server restarted: one new connection, one retry
                self._ca.lib.ca_context_destroy(self._context)
                self._context = self._open()
                code = self._play(sound, volume, theme=True)
        if code < 0:
            what = sound.theme or Path(sound.file).name
            log.warning("could not play %s: %s", what, self._ca.error(code))

    def _play(self, sound: CueSound, volume: int, theme: bool) -> int:
        props = self._ca.proplist(play_properties(sound, volume, theme))
        try:
            self._next_id += 1
            return int(self._ca.lib.ca_context_play_full(self._context, self._next_id, props,
                                                         None, None))
        finally:
            self._ca.lib.ca_proplist_destroy(props)

    def close(self) -> None:
        with self._lock:
            if self._context:
                self._ca.lib.ca_context_destroy(self._context)
                self._context = ctypes.c_void_p()
