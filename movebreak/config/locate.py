"""Find the line of a dotted key in TOML text, so errors can say ``FILE:LINE``.

``tomllib`` forgets where values came from. Config files are small and written
by people, so a line scan that follows table headers, array-of-table headers and
``key = value`` lines finds almost every key; anything it cannot place falls back
to the line of its nearest parent (its table header), which is still where a
person should look.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_ASSIGN = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)
_INDEX = re.compile(r"\[\d+\]$")


def _dotted(raw: str) -> str:
    """Normalise ``a . "b-c"`` to ``a.b-c``."""
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", raw)
    return ".".join(p.strip("\"'") for p in parts)


def key_lines(text: str) -> dict[str, int]:
    """Map each dotted key path (``routines.reset.steps[1].name``) to its 1-based line."""
    lines: dict[str, int] = {}
    arrays: dict[str, int] = {}
    prefix = ""
    in_multiline = False
    for number, line in enumerate(text.splitlines(), start=1):
        # Skip the inside of multi-line strings: their lines are not keys.
        if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
            was_inside = in_multiline
            in_multiline = not in_multiline
            if was_inside:
                continue
        elif in_multiline:
            continue
        header = _HEADER.match(line)
        if header:
            name = _dotted(header.group(2))
            if header.group(1) == "[[":
                index = arrays.get(name, -1) + 1
                arrays[name] = index
                prefix = f"{name}[{index}]"
            else:
                prefix = name
            lines.setdefault(prefix, number)
            continue
        assign = _ASSIGN.match(line)
        if assign:
            key = _dotted(assign.group(1))
            lines.setdefault(f"{prefix}.{key}" if prefix else key, number)
    return lines


def line_of(key: str, lines: dict[str, int]) -> int:
    """The line of ``key``, of its nearest parent, or of the first key under it; else 1."""
    while key:
        if key in lines:
            return lines[key]
        below = [n for k, n in lines.items() if k.startswith((key + ".", key + "["))]
        if below:
            return min(below)
        key = _INDEX.sub("", key) if _INDEX.search(key) else key.rpartition(".")[0]
    return 1
