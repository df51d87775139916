"""Check a finished one-folder build: LGPL code outside the PYZ, licences and data inside.

PyInstaller reports success even when a package silently went into the archive we
wanted it kept out of, so this opens the executable's archive and looks:

* no module of an LGPL package is in the PYZ, and each of them is a plain folder or
  file in ``lgpl/`` (where a user can replace it);
* the app's own modules are in the PYZ (the split did not throw the app away);
* the licence summary lists every LGPL package, and the app's data files are there.

Run with the build venv's python (it needs PyInstaller's archive reader):

    python packaging/pyinstaller/inspect_build.py dist/pyinstaller/movebreak
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PyInstaller.archive.readers import CArchiveReader

sys.path.insert(0, str(Path(__file__).resolve().parent))
from frozen_options import APP_NAME, REPLACEABLE_DIR, replaceable_packages


def pyz_modules(executable: Path) -> set[str]:
    """Module names inside the PYZ archive embedded in the executable."""
    archive = CArchiveReader(str(executable))
    names = [name for name in archive.toc if name.endswith(".pyz")]
    if not names:
        raise AssertionError(f"{executable} holds no PYZ archive")
    return set(archive.open_embedded_archive(names[0]).toc)


def problems(app_dir: Path) -> tuple[list[str], str]:
    """What is wrong with the build (empty when nothing), and a one-line description."""
    internal = app_dir / "_internal"
    modules = pyz_modules(app_dir / APP_NAME)
    found: list[str] = []
    packages = replaceable_packages()
    if not packages:
        found.append("no LGPL package found among the requirements: metadata not readable?")
    for package in packages:
        inside = sorted(m for m in modules if m.split(".", 1)[0] in package.top_level)
        if inside:
            found.append(f"{package.name} is compiled into the PYZ: {inside[:3]}")
        for top in package.top_level:
            plain = internal / REPLACEABLE_DIR
            if not ((plain / top / "__init__.py").is_file() or (plain / f"{top}.py").is_file()):
                found.append(f"{package.name}: {REPLACEABLE_DIR}/{top} missing")
    if "movebreak.cli.main" not in modules:
        found.append("movebreak.cli.main is not in the PYZ")
    summary = internal / "licenses" / "THIRD-PARTY-LICENSES.md"
    text = summary.read_text() if summary.is_file() else ""
    if not text:
        found.append("licenses/THIRD-PARTY-LICENSES.md missing")
    found += [f"licence summary lacks {p.name}" for p in packages if f"| {p.name} |" not in text]
    for data in ("movebreak/data/config.toml", "movebreak/data/routines.toml",
                 "movebreak/assets/movebreak.png", "movebreak/assets/tray-frames.png"):
        if not (internal / data).is_file():
            found.append(f"{data} missing")
    names = ", ".join(p.name for p in packages)
    return found, f"{len(modules)} modules in the PYZ; LGPL as plain files: {names}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("app_dir", type=Path)
    args = parser.parse_args(argv)
    found, description = problems(args.app_dir)
    for problem in found:
        print(f"problem: {problem}", file=sys.stderr)
    print(description)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
