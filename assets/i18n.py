"""Extract movebreak's messages, merge them into each translation, compile the catalogues.

    .venv/bin/python assets/i18n.py            # extract -> update -> compile
    .venv/bin/python assets/i18n.py compile    # only the .po -> .mo step

Babel does the work through its Python API (no babel.cfg, no setup.cfg):

- extract: ``gettext``/``ngettext``/``N_`` calls in ``movebreak/**/*.py`` and the text of
  the built-in routines in ``movebreak/data/routines.toml`` (titles, summaries, step
  names, sections and instructions: the shell translates them by their English source,
  see ``movebreak/config/localize.py``) into ``movebreak/locale/movebreak.pot``;
- update: merge the template into ``movebreak/locale/LANG/LC_MESSAGES/movebreak.po``
  (new messages come in untranslated, gone ones are dropped);
- compile: write each ``movebreak.mo`` beside its ``.po``.

The ``.mo`` files are committed, not built: setuptools has no compile step of its own,
and every way movebreak ships (wheel, sdist, .deb, PyInstaller) then carries them as
package data with no build dependency on Babel. ``tests/shell/test_i18n.py`` checks that
they are what compiling the ``.po`` files gives now, so a stale one cannot ship.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "movebreak"
LOCALE = PACKAGE / "locale"
TEMPLATE = LOCALE / "movebreak.pot"
LANGUAGES = ("de", "es", "fr")
KEYWORDS = {"gettext": None, "ngettext": (1, 2), "N_": None, "Message": None}
ROUTINE_TEXT = ("title", "summary")
STEP_TEXT = ("section", "name", "instruction")


def extract_routines(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, str, list[str], list[str]]]:
    """Babel extractor for routines.toml: each text field, at the line it is on."""
    del keywords, comment_tags, options
    text = fileobj.read().decode("utf-8")
    lines = text.splitlines()

    def line_of(value: str) -> int:
        quoted = f'"{value}"'
        return next((n for n, line in enumerate(lines, 1) if quoted in line), 0)

    for routine_id, routine in tomllib.loads(text).get("routines", {}).items():
        for field in ROUTINE_TEXT:
            if routine.get(field):
                yield line_of(routine[field]), "", [routine[field]], [f"routine {routine_id}"]
        for step in routine.get("steps", []):
            for field in STEP_TEXT:
                if step.get(field):
                    comment = f"routine {routine_id}, step {field}"
                    yield line_of(step[field]), "", [step[field]], [comment]


def template() -> Catalog:
    """Every message of the code and the built-in routines, untranslated."""
    catalog = Catalog(project="movebreak", charset="utf-8", fuzzy=False)
    method_map: list[tuple[str, Any]] = [
        ("**.py", "python"),
        ("data/routines.toml", extract_routines),
    ]
    for path, line, message, comments, context in extract_from_dir(
        PACKAGE, method_map, keywords=KEYWORDS, comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        catalog.add(message, None, [(f"movebreak/{path}", line)],
                    auto_comments=comments, context=context)
    return catalog


def extract() -> Catalog:
    catalog = template()
    with TEMPLATE.open("wb") as file:
        write_po(file, catalog, width=88, omit_header=False, sort_by_file=True)
    return catalog


def update(template: Catalog) -> None:
    for language in LANGUAGES:
        po = LOCALE / language / "LC_MESSAGES" / "movebreak.po"
        if po.exists():
            with po.open("rb") as file:
                catalog = read_po(file, locale=language)
        else:
            po.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=language, project="movebreak", charset="utf-8",
                              fuzzy=False)
        catalog.update(template, no_fuzzy_matching=True)
        with po.open("wb") as file:
            write_po(file, catalog, width=88, ignore_obsolete=True, sort_by_file=True)


def compiled(po: Path) -> bytes:
    """The .mo bytes of ``po``: what ``compile`` writes and what the test compares."""
    import io

    with po.open("rb") as file:
        catalog = read_po(file)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def compile_all() -> None:
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/movebreak.po")):
        po.with_suffix(".mo").write_bytes(compiled(po))
        print(f"compiled {po.relative_to(REPO)}")


def main(argv: list[str]) -> int:
    if argv[1:2] != ["compile"]:
        update(extract())
    compile_all()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
