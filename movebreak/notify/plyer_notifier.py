"""Plain notifications through plyer: the portable baseline, with no buttons.

plyer 2.1.0 on Linux takes the Flatpak portal whenever a folder ``/app`` exists,
then dbus-python, then ``notify-send`` (which ignores the timeout). We pass what
it accepts and treat any error as "could not show", so the chain falls back.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

from movebreak.core.notice_text import clean_body, clean_summary
from movebreak.notify.base import Notice

log = logging.getLogger(__name__)


class PlyerNotifier:
    """Shows a notice with ``plyer.notification.notify``."""

    name = "plyer"

    def __init__(self, app_icon: Path | None = None) -> None:
        self._icon = str(app_icon) if app_icon else ""

    def show(self, notice: Notice) -> bool:
        from plyer import notification

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "dbus package not installed": notify-send is fine
            notification.notify(
                title=clean_summary(notice.title),
                message=clean_body(notice.body),  # capabilities unknown: unescaped
                app_name="movebreak",
                app_icon=self._icon,
                timeout=max(1, round(notice.timeout.total_seconds())),
            )
        return True
