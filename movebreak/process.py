"""How to start one of our own modules as a child process, however movebreak was installed.

From a venv ``python -m movebreak.X`` works; the .deb runs Debian's python with a
private library folder that a child would not see, so the child gets that folder
on ``PYTHONPATH``; a frozen app cannot run ``-m`` at all, so it runs itself with a
hidden subcommand that ``cli.main`` hands to the module.

``python -m`` puts the current folder first on ``sys.path``: started from a folder
holding a ``calendar.py`` (or ``json.py``), the child imported that instead of the
standard library's module, and ran it. Children therefore start with ``-P`` (and
``PYTHONSAFEPATH=1``, for any grandchild) in ``/`` (:data:`CHILD_CWD`). Not ``-I``:
it would also drop ``PYTHONPATH`` (the .deb's library folder) and the user site.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

import movebreak

HIDDEN_RUN = "--run-module"
#: Where our children run: a folder nobody plants modules in, and relative paths in
#: their requests are already resolved by the app.
CHILD_CWD = "/"


def module_command(module: str) -> list[str]:
    """The argv that runs ``module``'s ``main()`` in a new process."""
    if getattr(sys, "frozen", False):
        return [sys.executable, HIDDEN_RUN, module]
    return [sys.executable, "-P", "-m", module]  # -P: the current folder is not on sys.path


def module_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for that process: ours, with our package's folder on the path."""
    env = dict(os.environ if base is None else base)
    env["PYTHONSAFEPATH"] = "1"
    root = str(Path(movebreak.__file__).resolve().parent.parent)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if root not in paths:
        env["PYTHONPATH"] = os.pathsep.join([root, *paths])
    return env
