"""The real APScheduler wake-up and the real file watcher, on short real timings."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from movebreak.app.config_watch import ConfigReloader, ConfigWatcher
from movebreak.schedule.wakeup import SchedulerWakeup


def test_wakeup_fires_once_on_time_and_can_be_moved():
    fired: list[float] = []
    done = threading.Event()

    def callback():
        fired.append(time.monotonic())
        done.set()

    timer = SchedulerWakeup(callback)
    timer.start()
    try:
        start = time.monotonic()
        timer.set(datetime.now(UTC) + timedelta(seconds=5))
        timer.set(datetime.now(UTC) + timedelta(seconds=0.3))  # replaces, never adds
        assert done.wait(2)
        assert 0.25 <= fired[0] - start < 0.6
        time.sleep(0.3)
        assert len(fired) == 1
        timer.set(datetime.now(UTC) + timedelta(seconds=0.2))
        timer.set(None)
        time.sleep(0.4)
        assert len(fired) == 1
    finally:
        timer.stop()


def test_jobs_set_before_start_run_once_it_starts_and_the_last_setting_wins():
    fired: list[str] = []
    done = threading.Event()
    timer = SchedulerWakeup(lambda: (fired.append("wakeup"), done.set()))
    timer.set(datetime.now(UTC) + timedelta(seconds=30))
    timer.set(datetime.now(UTC) + timedelta(seconds=0.1))  # moved before the start
    timer.once("look", datetime.now(UTC) + timedelta(seconds=0.1), lambda: fired.append("look"))
    timer.set(None)  # called off, then set again
    timer.set(datetime.now(UTC) + timedelta(seconds=0.2))
    time.sleep(0.3)
    assert fired == [], "ran before start"
    timer.start()
    try:
        assert done.wait(2)
        time.sleep(0.2)
        assert sorted(fired) == ["look", "wakeup"]
    finally:
        timer.stop()


def test_file_watcher_reloads_on_save_and_reports_bad_edits_once(tmp_path):
    path = tmp_path / "movebreak" / "config.toml"
    used, failed = [], []
    changed = threading.Event()

    def use(config):
        used.append(config)
        changed.set()

    def fail(error):
        failed.append(error)
        changed.set()

    reloader = ConfigReloader(path, use, fail)
    watcher = ConfigWatcher(path, reloader.load)
    watcher.start()
    try:
        path.write_text('[reset]\nevery = "20m"\n')
        assert changed.wait(2)
        assert used[-1].reset.every == timedelta(minutes=20)
        changed.clear()
        path.write_text('[reset]\nevery = "soon"\n')
        assert changed.wait(2)
        assert "config.toml:2: reset.every" in str(failed[-1])
        changed.clear()
        path.write_text('[reset]\nevery = "soon"\n')  # same text saved again: no second report
        assert not changed.wait(0.6)
        tmp = path.with_suffix(".tmp")
        tmp.write_text('[reset]\nevery = "30m"\n')
        tmp.replace(path)  # how many editors save
        assert changed.wait(2)
        assert used[-1].reset.every == timedelta(minutes=30)
        assert len(failed) == 1
    finally:
        watcher.stop()
