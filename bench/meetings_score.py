"""Score the meeting classifier on the labelled corpus in ``tests/data/meetings``.

Every VEVENT there (a series master and each override count once) carries its
expected kind in ``X-MOVEBREAK-EXPECT`` and a one-line reason in ``X-MOVEBREAK-WHY``.
Each is read the way the app reads it (``split_ics`` → icalendar → ``extract_facts``)
and classified by the pure core with the corpus user ``me@example.com``.

Prints, for the whole corpus and per file: the confusion matrix, accuracy, the count
of false ``audio`` (the worst error: someone walks in front of their camera) and
audio recall. ``--misses`` lists each wrong event with both reasons.

Run: ``.venv/bin/python bench/meetings_score.py [--misses] [--only FILE ...]``.
Targets: accuracy >= 0.97, zero false audio, audio recall >= 0.97.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from movebreak.calendar.expand import extract_facts  # noqa: E402
from movebreak.calendar.split import split_ics  # noqa: E402
from movebreak.core.meetings import ClassifierConfig, MeetingKind, classify  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "meetings"
ME = ClassifierConfig(me=frozenset({"me@example.com"}))
KINDS = [k.value for k in MeetingKind]


@dataclass(frozen=True)
class Case:
    file: str
    uid: str
    summary: str
    expected: str
    why: str
    got: str
    reason: str


def cases(files: list[Path]) -> list[Case]:
    """Every labelled VEVENT in ``files``, classified."""
    import icalendar

    found = []
    for path in files:
        for block in split_ics(path.read_bytes()).events:
            component = icalendar.Event.from_ical(block.text)
            start = component.get("DTSTART")
            all_day = start is not None and not hasattr(start.dt, "hour")
            facts = extract_facts(component, path.stem, all_day)
            verdict = classify(facts, ME)
            found.append(
                Case(
                    path.stem,
                    str(component.get("UID", "")),
                    facts.summary,
                    str(component.get("X-MOVEBREAK-EXPECT", "")).strip(),
                    str(component.get("X-MOVEBREAK-WHY", "")),
                    verdict.kind.value,
                    verdict.reason,
                )
            )
    return found


@dataclass(frozen=True)
class Score:
    total: int
    correct: int
    false_audio: int
    audio_total: int
    audio_found: int
    matrix: Counter[tuple[str, str]]

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0

    @property
    def audio_recall(self) -> float:
        return self.audio_found / self.audio_total if self.audio_total else 1.0


def score(found: list[Case]) -> Score:
    matrix = Counter((c.expected, c.got) for c in found)
    return Score(
        total=len(found),
        correct=sum(c.expected == c.got for c in found),
        false_audio=sum(c.got == "audio" and c.expected != "audio" for c in found),
        audio_total=sum(c.expected == "audio" for c in found),
        audio_found=sum(c.expected == "audio" and c.got == "audio" for c in found),
        matrix=matrix,
    )


def report(title: str, s: Score) -> str:
    width = max(len(k) for k in KINDS) + 2
    lines = [f"== {title}: {s.total} events", "expected \\ got".ljust(16)
             + "".join(k.rjust(width) for k in KINDS)]
    for exp in KINDS:
        lines.append(exp.ljust(16) + "".join(str(s.matrix[(exp, got)]).rjust(width)
                                             for got in KINDS))
    lines.append(f"accuracy {s.accuracy:.3f}  false audio {s.false_audio}  "
                 f"audio recall {s.audio_recall:.3f} ({s.audio_found}/{s.audio_total})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every wrong event")
    parser.add_argument("--only", action="append", default=[], metavar="FILE",
                        help="score only these corpus files (stem, repeatable)")
    args = parser.parse_args(argv)
    files = sorted(CORPUS.glob("*.ics"))
    if args.only:
        files = [f for f in files if f.stem in args.only]
    found = cases(files)
    print(report("all", score(found)))
    for path in files:
        print()
        print(report(path.stem, score([c for c in found if c.file == path.stem])))
    if args.misses:
        print()
        for c in found:
            if c.expected != c.got:
                print(f"MISS {c.file}/{c.uid} {c.summary!r}: expected {c.expected} ({c.why}),"
                      f" got {c.got} ({c.reason})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
