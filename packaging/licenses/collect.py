"""List the third-party software a build ships, with each one's licence texts, from metadata.

Frozen apps and the .deb carry other people's code, so they must carry those people's
licences too, and the list must be the list of what is really inside. This reads the
installed distributions' own metadata (``importlib.metadata``), never a hand-kept list:

* ``--path DIR``: every distribution installed in DIR (the .deb's vendored folder);
* ``--closure NAME``: NAME's runtime requirements, recursively, as the current interpreter
  would install them (the PyInstaller build's venv); ``--dist NAME`` adds one
  distribution without its requirements (PyInstaller's bootloader).

It writes ``THIRD-PARTY-LICENSES.md`` (a table, then one section per package) and the
licence files themselves under ``<out>/<name>-<version>/``. LGPL packages are marked,
because frozen builds keep them as plain, replaceable files (see packaging/pyinstaller).

    python packaging/licenses/collect.py OUT_DIR (--path DIR | --closure movebreak) [--dist X]
"""

from __future__ import annotations

import argparse
import re
import sys
import sysconfig
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

LICENCE_FILE = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", re.IGNORECASE)
CLASSIFIER_PREFIX = "License :: OSI Approved :: "
SUMMARY = "THIRD-PARTY-LICENSES.md"
KNOWN_LICENCE_WORD = r"MIT|BSD|GPL|Apache|MPL|PSF|ISC|CMU|Unlicense|Zlib|Python"


@dataclass(frozen=True)
class Package:
    """One shipped distribution: what it is, its licence, and its licence texts."""

    name: str
    version: str
    licence: str
    files: tuple[tuple[str, str], ...]  # (file name, text)
    top_level: tuple[str, ...]  # import names it provides

    @property
    def lgpl(self) -> bool:
        return is_lgpl(self.licence)

    @property
    def folder(self) -> str:
        return f"{self.name}-{self.version}"


def is_lgpl(licence: str) -> bool:
    """True for the GNU *Lesser* GPL in any of the spellings metadata uses."""
    return bool(re.search(r"\bLGPL|Lesser General Public", licence))


def licence_of(meta: metadata.PackageMetadata) -> str:
    """The licence as the package states it: SPDX expression, short text, or classifiers."""
    expression = meta.get("License-Expression")
    if expression:
        return expression.strip()
    text = (meta.get("License") or "").strip()
    classifiers = " / ".join(
        c.removeprefix(CLASSIFIER_PREFIX).removeprefix("License :: ")
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::")
    )
    if text and "\n" not in text and len(text) <= 200 and text.upper() != "UNKNOWN":
        # "Dual License" and the like name no licence: say which ones the classifiers give.
        vague = classifiers and not re.search(KNOWN_LICENCE_WORD, text)
        return f"{text}: {classifiers}" if vague else text
    return classifiers or "not stated in its metadata"


def licence_files(dist: metadata.Distribution) -> tuple[tuple[str, str], ...]:
    """The licence texts inside the distribution's ``.dist-info`` folder (PEP 639 or older)."""
    found: dict[str, str] = {}
    for file in dist.files or []:
        parts = file.parts
        if not parts or not parts[0].endswith(".dist-info"):
            continue
        inside = parts[1:]
        if not inside:
            continue
        if inside[0] == "licenses" or LICENCE_FILE.match(inside[-1]):
            name = "/".join(inside[1:] if inside[0] == "licenses" else inside)
            text = file.read_text(encoding="utf-8")
            if text is not None:
                found[name] = text
    return tuple(sorted(found.items()))


def top_level_names(dist: metadata.Distribution) -> tuple[str, ...]:
    """Import names: ``top_level.txt`` when present, else the first path parts of RECORD."""
    text = dist.read_text("top_level.txt")
    if text:
        return tuple(sorted({n.strip() for n in text.split() if n.strip()}))
    names = set()
    for file in dist.files or []:
        head = file.parts[0] if file.parts else ""
        if head.endswith((".dist-info", ".data")) or head in ("..", "") or head.endswith(".pth"):
            continue
        if head.endswith(".libs"):  # auditwheel's bundled shared libraries
            continue
        names.add(head.removesuffix(".py"))
    return tuple(sorted(n for n in names if n.isidentifier()))


def describe(dist: metadata.Distribution) -> Package:
    meta = dist.metadata
    return Package(
        name=meta["Name"],
        version=dist.version,
        licence=licence_of(meta),
        files=licence_files(dist),
        top_level=top_level_names(dist),
    )


def normalise(name: str) -> str:
    """PEP 503 form, so ``X_wr-Timezone`` and ``x-wr-timezone`` are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def in_path(folder: Path, exclude: Iterable[str] = ()) -> list[metadata.Distribution]:
    """Every distribution installed in ``folder``, except the named ones."""
    skip = {normalise(n) for n in exclude}
    dists = {normalise(d.metadata["Name"]): d for d in metadata.distributions(path=[str(folder)])}
    return [d for key, d in sorted(dists.items()) if key not in skip]


def closure(root: str, extras: Iterable[str] = ()) -> list[metadata.Distribution]:
    """``root``'s runtime requirements, recursively, for this interpreter and platform."""
    from packaging.requirements import Requirement

    seen: dict[str, metadata.Distribution] = {}
    visited: set[tuple[str, tuple[str, ...]]] = set()
    todo: list[tuple[str, tuple[str, ...]]] = [(root, tuple(sorted(extras)))]
    while todo:
        name, wanted = todo.pop()
        if (normalise(name), wanted) in visited:
            continue
        visited.add((normalise(name), wanted))
        dist = metadata.distribution(name)
        key = normalise(dist.metadata["Name"])
        seen[key] = dist
        for line in dist.requires or []:
            req = Requirement(line)
            envs = [{"extra": e} for e in wanted] or [{"extra": ""}]
            if req.marker is None or any(req.marker.evaluate(env) for env in envs):
                todo.append((req.name, tuple(sorted(req.extras))))
    seen.pop(normalise(root), None)
    return [seen[k] for k in sorted(seen)]


def python_licence() -> tuple[str, str] | None:
    """CPython's own licence, for builds that bundle the interpreter."""
    candidate = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    if candidate.is_file():
        return (f"Python-{sys.version.split()[0]}", candidate.read_text(encoding="utf-8"))
    return None


def summary(packages: list[Package], title: str, python: tuple[str, str] | None) -> str:
    """The Markdown summary: a table, then what each package's licence files are."""
    lines = [f"# {title}", "", "| package | version | licence | LGPL (kept replaceable) |",
             "| --- | --- | --- | --- |"]
    for p in packages:
        lines.append(f"| {p.name} | {p.version} | {p.licence} | {'yes' if p.lgpl else ''} |")
    if python is not None:
        lines.append(f"| Python | {python[0].split('-', 1)[1]} | PSF-2.0 | |")
    lines.append("")
    for p in packages:
        lines.append(f"## {p.name} {p.version}: {p.licence}")
        lines.append("")
        if p.files:
            lines.extend(f"- `{p.folder}/{name}`" for name, _ in p.files)
        else:
            lines.append("- its distribution ships no licence file; the licence above is "
                         "what its metadata states")
        lines.append("")
    return "\n".join(lines)


def write_licences(
    packages: list[Package], out_dir: Path, title: str, python: tuple[str, str] | None = None
) -> Path:
    """Write the summary and every licence file into ``out_dir``; return the summary's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for p in packages:
        for name, text in p.files:
            target = out_dir / p.folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    if python is not None:
        (out_dir / python[0]).mkdir(exist_ok=True)
        (out_dir / python[0] / "LICENSE.txt").write_text(python[1], encoding="utf-8")
    path = out_dir / SUMMARY
    path.write_text(summary(packages, title, python), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--path", type=Path, help="every distribution installed in this folder")
    source.add_argument("--closure", metavar="NAME", help="NAME's runtime requirements")
    parser.add_argument("--extra", action="append", default=[], help="extras of --closure")
    parser.add_argument("--dist", action="append", default=[], help="add one distribution")
    parser.add_argument("--exclude", action="append", default=["movebreak"])
    parser.add_argument("--python", action="store_true", help="add CPython's licence")
    parser.add_argument("--title", default="Third-party software shipped with movebreak")
    args = parser.parse_args(argv)
    if args.path is not None:
        dists = in_path(args.path, args.exclude)
    else:
        dists = closure(args.closure, args.extra)
    skip = {normalise(n) for n in args.exclude}
    dists = [d for d in dists if normalise(d.metadata["Name"]) not in skip]
    dists += [metadata.distribution(name) for name in args.dist]
    packages = sorted((describe(d) for d in dists), key=lambda p: p.name.lower())
    path = write_licences(packages, args.out_dir, args.title,
                          python_licence() if args.python else None)
    lgpl = [p.name for p in packages if p.lgpl]
    print(f"{path}: {len(packages)} packages; LGPL: {', '.join(lgpl) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
