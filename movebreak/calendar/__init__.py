"""Calendar hooks: read ICS files and feeds, expand recurrences, classify each occurrence.

Importing this package stays light (no icalendar, no httpx): the heavy libraries are
imported inside the functions that parse or fetch, so the tray process can hand the
work to a short-lived subprocess (``python -m movebreak.calendar``) and keep their
memory out of its own. Entry points:

- :func:`movebreak.calendar.settings.parse_calendar_settings` validates ``[calendar]``;
- :func:`movebreak.calendar.load.load_occurrences` returns a JSON-friendly
  :class:`~movebreak.calendar.models.LoadResult` for a time window;
- :func:`movebreak.calendar.worker.load_in_subprocess` runs that in a child process;
- :mod:`movebreak.calendar.cli` is ``movebreak meetings``.
"""
