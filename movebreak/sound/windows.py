"""Windows: ``winsound.PlaySound(file, SND_ASYNC)``, the system's own asynchronous player.

``PlaySound`` has no volume, so below 100 % it plays a scaled copy of the WAV kept in
the temporary folder (made once per file and volume, in pure Python). Theme names are
a freedesktop thing; on Windows movebreak's own file plays.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import struct
import tempfile
import wave
from pathlib import Path
from typing import Any

from movebreak.core.cues import amplitude
from movebreak.sound.base import SoundUnavailable
from movebreak.sound.settings import CueSound

log = logging.getLogger(__name__)


def scaled_wav(data: bytes, gain: float) -> bytes:
    """A 16-bit PCM WAV with every sample times ``gain`` (other formats come back as is)."""
    with wave.open(io.BytesIO(data)) as source:
        if source.getsampwidth() != 2 or gain >= 1:
            return data
        params = source.getparams()
        frames = source.readframes(source.getnframes())
    count = len(frames) // 2
    samples = struct.unpack(f"<{count}h", frames[: count * 2])
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setparams(params)
        target.writeframes(struct.pack(f"<{count}h", *(round(s * gain) for s in samples)))
    return out.getvalue()


class WinsoundOutput:
    name = "winsound"

    def __init__(self, winsound: Any = None, cache: Path | None = None) -> None:
        if winsound is None:
            try:
                import winsound  # type: ignore[import-not-found,no-redef,unused-ignore]  # Windows only
            except ImportError as error:
                raise SoundUnavailable(f"winsound: {error}") from None
        self._winsound = winsound
        self._cache = cache or Path(tempfile.gettempdir()) / "movebreak-sounds"

    def file_at(self, path: Path, volume: int) -> Path:
        """``path`` itself at 100 %, else its scaled copy in the cache."""
        if volume >= 100 or path.suffix.lower() != ".wav":
            return path
        data = path.read_bytes()
        key = hashlib.sha256(data).hexdigest()[:16]
        copy = self._cache / f"{path.stem}-{key}-{volume}.wav"
        if not copy.exists():
            self._cache.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(scaled_wav(data, amplitude(volume)))
        return copy

    def play(self, sound: CueSound, volume: int) -> None:
        ws = self._winsound
        try:
            path = self.file_at(Path(sound.file), volume)
            ws.PlaySound(str(path), ws.SND_FILENAME | ws.SND_ASYNC | ws.SND_NODEFAULT)
        except (OSError, RuntimeError, wave.Error) as error:
            log.warning("could not play %s: %s", sound.file, error)

    def close(self) -> None:
        ws = self._winsound
        with contextlib.suppress(RuntimeError):
            ws.PlaySound(None, ws.SND_PURGE)
