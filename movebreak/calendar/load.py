"""The one call the app makes: settings + window in, classified occurrences out.

Reads local files and folders, refreshes feeds into the on-disk cache, then cuts,
parses, expands and classifies. The result for a given input (source contents,
window, zone, settings, code) is remembered in the cache folder, so a refresh that
finds every feed unchanged (304, or a 200 with the same bytes) answers from that
memo without importing icalendar at all.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from movebreak import __version__

from .cache import private_dir, read_json, write_json
from .models import CalendarWarning, LoadResult, Occurrence
from .settings import CalendarSettings, SourceSettings

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

MAX_FILES_PER_FOLDER = 20_000
_MEMO = "last-load.json"


def _read_path(
    source: SourceSettings, max_bytes: int
) -> tuple[list[tuple[str, bytes]], list[CalendarWarning]]:
    """(where, bytes) for the file, or for every .ics under the folder, sorted.

    A file over ``max_bytes`` (the limit feeds have too) is not read: a 66 MB file took
    82 s and 1.4 GB to load, and no calendar a person keeps is that big.
    """
    path = source.path
    assert path is not None
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".ics" and p.is_file())
        notes = []
        if len(files) > MAX_FILES_PER_FOLDER:
            notes.append(CalendarWarning(str(path), f"only the first {MAX_FILES_PER_FOLDER} "
                                                    f"of {len(files)} .ics files are read"))
            files = files[:MAX_FILES_PER_FOLDER]
    elif path.exists():
        files, notes = [path], []
    else:
        return [], [CalendarWarning(str(path), "no such file or folder")]
    docs = []
    for file in files:
        try:
            with file.open("rb") as handle:
                body = handle.read(max_bytes + 1)  # a file still growing is bounded too
            if len(body) > max_bytes:
                size = max(file.stat().st_size, len(body))
                notes.append(CalendarWarning(str(file), f"not read: {size / 2**20:.1f} MB is more "
                                                        f"than the {max_bytes / 2**20:.0f} MB a "
                                                        "calendar may have (max_feed_size)"))
                continue
            docs.append((str(file), body))
        except OSError as error:
            notes.append(CalendarWarning(str(file), f"cannot read: {error.strerror or error}"))
    return docs, notes


def _fingerprint(settings: CalendarSettings, start: datetime, end: datetime, tz: tzinfo,
                 docs: list[tuple[str, str, bytes]]) -> str:
    """Everything the result depends on, hashed; the code's own files count too."""
    from movebreak.core import (
        meeting_clues,
        meeting_evidence,
        meeting_facts,
        meeting_links,
        meetings,
    )

    from . import expand, split

    digest = hashlib.sha256()
    modules = (meetings, meeting_facts, meeting_links, meeting_clues, meeting_evidence, expand,
               split)
    code = [Path(m.__file__ or "").stat().st_mtime_ns for m in modules]
    head = [__version__, code, start.isoformat(), end.isoformat(), str(tz),
            datetime(2000, 1, 1, tzinfo=tz).utcoffset().__str__(), settings.to_raw()]
    digest.update(json.dumps(head, sort_keys=True, default=str).encode())
    for where, source, body in docs:
        digest.update(f"\0{where}\0{source}\0".encode())
        digest.update(hashlib.sha256(body).digest())
    return digest.hexdigest()


def gather(
    settings: CalendarSettings,
    cache_dir: Path | None,
    *,
    now: datetime,
    fetch: bool = True,
    client: httpx.Client | None = None,
) -> tuple[list[tuple[str, str, bytes]], list[CalendarWarning]]:
    """(where, source name, bytes) for every document, refreshing feeds as due."""
    from .feeds import FeedCache, FeedOutcome, refresh_feed

    docs: list[tuple[str, str, bytes]] = []
    notes: list[CalendarWarning] = []
    for source in settings.sources:
        if source.path is not None:
            found, problems = _read_path(source, settings.max_feed_bytes)
            docs.extend((where, source.name, body) for where, body in found)
            notes.extend(problems)
            continue
        url = source.url or ""
        cache = FeedCache(private_dir(cache_dir)) if cache_dir is not None else None
        interval = source.refresh or settings.refresh
        if cache is None:
            outcome = FeedOutcome("failed", None, None, "no cache folder given")
            if fetch:
                import tempfile

                with tempfile.TemporaryDirectory() as temp:
                    outcome = refresh_feed(
                        url, FeedCache(Path(temp)), now=now, interval=interval,
                        timeout=settings.timeout.total_seconds(),
                        max_bytes=settings.max_feed_bytes, client=client,
                    )
        elif fetch:
            outcome = refresh_feed(
                url, cache, now=now, interval=interval, timeout=settings.timeout.total_seconds(),
                max_bytes=settings.max_feed_bytes, client=client,
            )
        else:
            body = cache.body(url)
            outcome = FeedOutcome("cached", body, None, None if body else "not fetched yet")
        if outcome.warning:
            notes.append(CalendarWarning(source.where, outcome.warning))
        if outcome.body is not None:
            docs.append((source.where, source.name, outcome.body))
    return docs, notes


def load_occurrences(
    settings: CalendarSettings,
    cache_dir: Path | None,
    start: datetime,
    end: datetime,
    tz: tzinfo,
    *,
    now: datetime | None = None,
    fetch: bool = True,
    client: httpx.Client | None = None,
) -> LoadResult:
    """All occurrences overlapping ``[start, end)`` from every source, plus warnings.

    ``start``/``end`` must be aware; results are expressed in ``tz`` (also used for
    floating times and unknown TZIDs). ``now`` decides whether feeds are due for a
    refresh (default: the real clock). ``fetch=False`` uses cached feeds only.
    Never raises for bad data or network trouble: that becomes warnings.
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    now = now or datetime.now(UTC)
    docs, notes = gather(settings, cache_dir, now=now, fetch=fetch, client=client)
    key = _fingerprint(settings, start, end, tz, docs)
    memo_path = cache_dir / _MEMO if cache_dir is not None else None
    if memo_path is not None:
        memo = read_json(memo_path)
        if memo and memo.get("key") == key and isinstance(memo.get("result"), str):
            try:
                cached = LoadResult.from_json(memo["result"], tz)
                return LoadResult(cached.occurrences, (*notes, *cached.warnings))
            except (ValueError, KeyError, TypeError):
                pass  # a damaged memo is just recomputed
    result = _compute(settings, docs, start, end, tz)
    if memo_path is not None:
        try:
            write_json(memo_path, {"key": key, "result": result.to_json()})
        except OSError as error:
            log.warning("cannot write the calendar memo: %s", error)
    return LoadResult(result.occurrences, (*notes, *result.warnings))


def _compute(settings: CalendarSettings, docs: list[tuple[str, str, bytes]],
             start: datetime, end: datetime, tz: tzinfo) -> LoadResult:
    from .expand import MAX_PER_LOAD, Document, expand_document
    from .split import split_ics

    config = settings.classifier_config()
    occurrences: list[Occurrence] = []
    notes: list[CalendarWarning] = []
    for where, source, body in docs:
        try:
            document = Document(where, source, split_ics(body))
            budget = MAX_PER_LOAD - len(occurrences)
            found, problems = expand_document(document, start, end, tz, config, budget)
        except Exception as error:  # last line of defence: one document, not the whole load
            log.exception("calendar %s could not be read", where)
            notes.append(CalendarWarning(where, f"could not be read ({type(error).__name__})"))
            continue
        occurrences.extend(found)
        notes.extend(problems)
    occurrences.sort(key=lambda o: (o.start, o.end, o.summary, o.uid))
    return LoadResult(tuple(occurrences), tuple(notes))
