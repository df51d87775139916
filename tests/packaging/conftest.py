"""Helpers for the packaging tests: load the packaging scripts, require the validators.

The scripts under ``packaging/`` and ``assets/`` are run as files (they are no package:
a folder named ``packaging`` must not shadow the PyPI library of that name), so the
tests load them from their paths.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
LINUX = REPO / "packaging" / "linux"
APP_ID = "io.github.movebreak.movebreak"


def load_script(relative: str) -> ModuleType:
    """Import ``REPO/relative`` under its file name (once; later calls reuse it)."""
    path = REPO / relative
    name = path.stem
    if name in sys.modules and getattr(sys.modules[name], "__file__", None) == str(path):
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def require_tool(program: str, package: str) -> str:
    """The tool's path; a missing tool skips here and fails under CI=true."""
    found = shutil.which(program)
    if found:
        return found
    message = f"{program} is missing: apt-get install {package}"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def make_icons() -> ModuleType:
    return load_script("assets/make_icons.py")


@pytest.fixture(scope="session")
def collect() -> ModuleType:
    return load_script("packaging/licenses/collect.py")


@pytest.fixture(scope="session")
def frozen_options() -> ModuleType:
    return load_script("packaging/pyinstaller/frozen_options.py")
