"""The core's boundary: it imports nothing of the shell, and nothing heavy.

The core is pure data and pure functions (see ``movebreak.core``); a shell type it
needs belongs in the core and the shell imports it from there. These tests keep an
import that crosses back out from creeping in, directly or through a package's
``__init__``.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import movebreak.core

CORE_DIR = Path(movebreak.core.__file__).parent
CORE_MODULES = sorted(
    f"movebreak.core.{p.stem}" for p in CORE_DIR.glob("*.py") if p.stem != "__init__"
)
#: Modules that mean I/O, threads, a GUI or a database: none belongs in the core.
FORBIDDEN = ("sqlite3", "threading", "logging", "tkinter", "gi", "PIL", "pystray")

_PROBE = """
import importlib, json, sys
before = set(sys.modules)
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def _imported_by_core() -> list[str]:
    """Every module that importing all of the core loads, in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *CORE_MODULES],
        capture_output=True, text=True, check=True, timeout=60,
    )
    return json.loads(result.stdout)


def test_importing_the_core_loads_no_shell_and_nothing_heavy() -> None:
    loaded = _imported_by_core()
    assert "movebreak.core.engine" in loaded  # the probe did import the core
    heavy = [m for m in loaded if m.split(".")[0] in FORBIDDEN]
    shell = [
        m for m in loaded
        if m.startswith("movebreak.") and not m.startswith("movebreak.core")
    ]
    assert heavy == []
    assert shell == []


def _imported_names(tree: ast.Module) -> list[tuple[int, str]]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: inside the core's own package
                continue
            names.append((node.lineno, node.module or ""))
    return names


def test_no_core_module_names_a_shell_module() -> None:
    """Also imports under ``if TYPE_CHECKING`` or inside a function: the core owns its types."""
    crossing = []
    for path in sorted(CORE_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for line, name in _imported_names(tree):
            outside = name == "movebreak" or (
                name.startswith("movebreak.") and not name.startswith("movebreak.core")
            )
            if outside or name.split(".")[0] in FORBIDDEN:
                crossing.append(f"{path.name}:{line}: {name}")
    assert crossing == []
