"""Run a calendar load in a short-lived child process.

icalendar, dateutil and httpx together add tens of megabytes to a process; the tray
app lives all day, so it asks a child (``python -m movebreak.calendar``) and keeps
only the small JSON answer. The request is JSON on stdin, the answer JSON on stdout.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from movebreak.process import CHILD_CWD, module_command, module_env

from .models import CalendarWarning, LoadResult
from .settings import CalendarSettings, parse_calendar_settings

#: Address space the worker may use: a normal load needs under 150 MB; a runaway
#: expansion used to grow ~28 MB/s to gigabytes before the deadline killed it.
MEMORY_LIMIT = 768 * 2**20
#: CPU seconds the worker may use (a week of a five-year calendar takes under 1 s).
CPU_LIMIT = 30
#: Wall-clock seconds the app waits for a load (network included) before ending it.
DEADLINE = 45.0


def _tz_name(tz: tzinfo) -> str:
    from movebreak.libc_zone import LIBC_ZONE_NAME, LibcLocalZone

    if isinstance(tz, LibcLocalZone):  # the worker inherits TZ: its C library agrees
        return LIBC_ZONE_NAME
    key = getattr(tz, "key", None)
    if isinstance(key, str):
        return key
    offset = datetime(2000, 1, 1, tzinfo=tz).utcoffset() or timedelta(0)
    return f"offset:{int(offset.total_seconds())}"


def _tz_from_name(name: str) -> tzinfo:
    from movebreak.libc_zone import LIBC_ZONE_NAME, LibcLocalZone

    if name == LIBC_ZONE_NAME:
        return LibcLocalZone()
    if name.startswith("offset:"):
        return timezone(timedelta(seconds=int(name[7:])))
    return ZoneInfo(name)


def make_request(settings: CalendarSettings, cache_dir: Path | None, start: datetime,
                 end: datetime, tz: tzinfo, now: datetime | None = None) -> dict[str, Any]:
    """The JSON request a worker understands."""
    return {
        "settings": settings.to_raw(),
        "cache_dir": str(cache_dir) if cache_dir is not None else None,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "tz": _tz_name(tz),
        "now": now.isoformat() if now else None,
    }


def handle_request(request: dict[str, Any]) -> LoadResult:
    """Run one request in this process (what the child does)."""
    from .load import load_occurrences

    settings = parse_calendar_settings(request["settings"], Path("/"))
    cache_dir = Path(request["cache_dir"]) if request.get("cache_dir") else None
    now = datetime.fromisoformat(request["now"]) if request.get("now") else None
    return load_occurrences(
        settings, cache_dir, datetime.fromisoformat(request["start"]),
        datetime.fromisoformat(request["end"]), _tz_from_name(request["tz"]), now=now,
    )


def load_in_subprocess(
    settings: CalendarSettings,
    cache_dir: Path | None,
    start: datetime,
    end: datetime,
    tz: tzinfo,
    *,
    now: datetime | None = None,
    timeout: float = DEADLINE,
    on_start: Callable[[subprocess.Popen[str]], None] | None = None,
) -> LoadResult:
    """:func:`~movebreak.calendar.load.load_occurrences` in a child process.

    A crash or a hang of the child becomes a warning and an empty result, so the
    caller can keep its previous occurrences. ``on_start`` gets the child, so an app
    that quits can end a load still waiting on a slow server.
    """
    request = json.dumps(make_request(settings, cache_dir, start, end, tz, now))
    try:
        child = subprocess.Popen(
            module_command("movebreak.calendar"), env=module_env(), cwd=CHILD_CWD,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if on_start is not None:
            on_start(child)
        stdout, stderr = child.communicate(request, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as error:
        if "child" in locals():
            child.kill()
            child.communicate()
        return LoadResult((), (CalendarWarning("calendar worker", f"did not finish: {error}"),))
    if child.returncode != 0:
        tail = (stderr.strip().splitlines() or ["no output"])[-1]
        if child.returncode < 0:  # SIGXCPU: the CPU limit; SIGKILL: memory, or the deadline
            tail = f"ended by signal {-child.returncode} ({tail})"
        return LoadResult((), (CalendarWarning("calendar worker", f"failed: {tail}"),))
    return LoadResult.from_json(stdout, tz)


def limit_resources(memory: int = MEMORY_LIMIT, cpu: int = CPU_LIMIT) -> None:
    """Cap this process's memory and CPU time: a hostile calendar ends the worker, not the
    machine (the app keeps its last good meetings). Lowering our own limits needs no rights."""
    try:
        import resource
    except ImportError:  # not POSIX: the deadline still applies
        return
    for name, value in (("RLIMIT_AS", memory), ("RLIMIT_CPU", cpu)):
        kind = getattr(resource, name, None)
        if kind is None:
            continue
        _soft, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(kind, (value, hard))


def main() -> int:
    """Entry point of ``python -m movebreak.calendar``."""
    limit_resources()
    request = json.loads(sys.stdin.read())
    result = handle_request(request)
    sys.stdout.write(result.to_json())
    return 0
