"""The malloc arena setting is accepted by this platform's C library."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _python(code: str) -> str:
    """What ``code`` prints in a fresh interpreter: its malloc state is its own."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=30, check=True).stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_glibc_accepts_one_arena_and_threads_still_allocate():
    code = ("import threading; from movebreak.app.memory import share_one_malloc_arena as s\n"
            "assert s()\n"
            "out = []\n"
            "t = threading.Thread(target=lambda: out.append(bytearray(1 << 20))); t.start(); "
            "t.join()\n"
            "print(len(out[0]))")
    assert _python(code).strip() == str(1 << 20)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_free_heap_pages_go_back_to_the_kernel():
    """Many small blocks freed below one kept block: only a trim returns their pages."""
    code = ("from movebreak.app.memory import give_back_free_memory as trim\n"
            "import ctypes\n"
            "def rss():\n"
            "    return int(open('/proc/self/statm').read().split()[1]) * 4096\n"
            "blocks = [ctypes.create_string_buffer(1000) for _ in range(20000)]\n"
            "keep = ctypes.create_string_buffer(1000)\n"
            "before = rss(); del blocks; freed = rss()\n"
            "assert trim()\n"
            "print(before - freed, freed - rss())")
    kept_after_free, returned_by_trim = map(int, _python(code).split())
    assert returned_by_trim > 10 * 1024 * 1024  # the 20 MB of freed blocks, give or take
    assert kept_after_free < returned_by_trim
