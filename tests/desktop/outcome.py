"""What every desktop stack's tests share before any harness is imported.

Kept free of the harness's imports (python-xlib, Pillow, jeepney), so a conftest can say
what is missing instead of failing to import.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS_ROOT = Path(__file__).resolve().parents[2] / "test-artifacts" / "desktop"
"""Screenshots and logs of every desktop test: ``<root>/<test name>/``."""


def unavailable(message: str) -> None:
    """Skip on a developer machine; fail under CI, where the desktop tests must really run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"desktop tests cannot run under CI=true: {message}", pytrace=False)
    pytest.skip(message)


@contextmanager
def launcher(desktop: Any, artifacts: Path, tray_empty: Callable[[], object]
             ) -> Iterator[Callable[..., Any]]:
    """The ``launch`` fixture of every stack: start programs on ``desktop`` with their logs
    in ``artifacts``; at the end stop them and wait until ``tray_empty`` says the tray
    lost their icons, so the next test never sees this test's.

    ``launch(args, env_extra=None, config_text=None, name="app")`` returns an ``AppHandle``.
    """
    handles: list[Any] = []

    def start(args: Sequence[str], env_extra: Mapping[str, str] | None = None,
              config_text: str | None = None, **kwargs: Any) -> Any:
        handle = desktop.start_app(args, env_extra, config_text, out_dir=artifacts, **kwargs)
        handles.append(handle)
        return handle

    yield start
    for handle in reversed(handles):
        handle.stop()
    if handles:
        tray_empty()
