"""The malloc arena setting is accepted by this platform's C library."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_glibc_accepts_one_arena_and_threads_still_allocate():
    code = ("import threading; from movebreak.app.memory import share_one_malloc_arena as s\n"
            "assert s()\n"
            "out = []\n"
            "t = threading.Thread(target=lambda: out.append(bytearray(1 << 20))); t.start(); "
            "t.join()\n"
            "print(len(out[0]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=30, check=True)
    assert result.stdout.strip() == str(1 << 20)

