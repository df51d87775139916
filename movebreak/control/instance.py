"""The single-instance check ``movebreak`` (run) makes before anything else.

Kept apart from the control commands' CLI (argparse, the client, the duration
parser) so the path to the tray icon imports only the server it binds.

Exit codes: a second ``movebreak`` exits 0 when it finds one running and answering
(what the user wanted, one running app, is true; an autostart entry or a
``Restart=on-failure`` unit must not treat it as a crash), and 1 when the running
one holds the lock but does not answer.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

from movebreak.control.errors import AlreadyRunning

if TYPE_CHECKING:
    from movebreak.control.target import ControlTarget

ALREADY_RUNNING_EXIT = 0
STUCK_INSTANCE_EXIT = 1


class InstanceServer(Protocol):
    """The control server of either platform: the lock, then the listener."""

    def bind(self) -> None: ...

    def start(self, target: ControlTarget) -> InstanceServer: ...

    def stop(self) -> None: ...


def control_server(folder: Path | None = None, probe_timeout: float = 1.0) -> InstanceServer:
    """This platform's control server (not yet bound)."""
    if sys.platform == "win32":
        from movebreak.control.windows_pipe import PipeServer

        return PipeServer()
    from movebreak.control.server import ControlServer, Limits

    return ControlServer(folder, Limits(probe_timeout=probe_timeout))


def ensure_single_instance(
    folder: Path | None = None, err: TextIO | None = None, probe_timeout: float = 1.0
) -> InstanceServer | int:
    """Take the single-instance lock before anything else starts.

    Returns the bound server (call ``start(app)`` once the app exists, ``stop()``
    at exit), or, when another instance owns the lock, prints one line and returns
    the exit code for ``movebreak`` to return. ``probe_timeout`` bounds the wait
    for the running one to answer ``ping``. A folder that cannot be made private
    raises ControlError with the reason.
    """
    server = control_server(folder, probe_timeout)
    try:
        server.bind()
    except AlreadyRunning as running:
        print(running, file=err or sys.stderr)
        return ALREADY_RUNNING_EXIT if running.answering else STUCK_INSTANCE_EXIT
    return server
