"""The zone the working hours are read in: the configured one, or the computer's.

tzlocal finds the computer's zone (``TZ``, ``/etc/localtime``, the distribution's
files). It refuses a ``TZ`` it cannot map to a zoneinfo name: a typo, or a POSIX
rule such as ``CET-1CEST`` that the C library accepts. The app must still start, so
it falls back with one warning: to ``/etc/localtime``, a real zone with its DST
rules; failing that, to the current UTC offset, right until the next DST change.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from movebreak.config.model import Config

log = logging.getLogger(__name__)

SYSTEM_ZONE_FILE = Path("/etc/localtime")
_ADVICE = 'set timezone = "Area/City" in the config to choose one'


def resolve_timezone(config: Config) -> tzinfo:
    """The configured zone (checked when the config was read), or the computer's."""
    from zoneinfo import ZoneInfo

    if config.timezone != "local":
        return ZoneInfo(config.timezone)
    return local_zone()


def local_zone(
    env: Mapping[str, str] | None = None, zone_file: Path = SYSTEM_ZONE_FILE
) -> tzinfo:
    """The computer's zone; never raises (see the module's docstring for the fallbacks)."""
    import tzlocal

    env = os.environ if env is None else env
    try:
        return tzlocal.get_localzone()
    except Exception as error:  # ZoneInfoNotFoundError, ValueError: a TZ it cannot use
        problem = f"the computer's time zone (TZ={env.get('TZ', '')!r}) is not usable: {error}"
    try:
        from zoneinfo import ZoneInfo

        with zone_file.open("rb") as handle:
            zone = ZoneInfo.from_file(handle, key=str(zone_file))
        log.warning("%s; using %s instead (%s)", problem, zone_file, _ADVICE)
        return zone
    except (OSError, ValueError):
        pass
    fixed = datetime.now().astimezone().tzinfo
    assert fixed is not None  # astimezone() always sets one
    log.warning("%s; using the current UTC offset %s, which ignores DST (%s)",
                problem, fixed, _ADVICE)
    return fixed
