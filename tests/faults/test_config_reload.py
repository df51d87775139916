"""A hot reload of garbage keeps the last good config, and the app hears about it once.

``ConfigReloader.load`` runs at start-up (straight from ``App.run``) and after every
save (from the watcher's thread): whatever bytes are in the file, it must neither
raise nor hand the app a config that is not what the file says.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from movebreak.app.config_watch import ConfigReloader, ConfigWatcher
from movebreak.config.errors import ConfigError
from movebreak.config.loader import config_from_text
from movebreak.config.model import Config
from tests.faults.config_strategies import TOMLISH, assert_clean_problems, near_valid_files

GOOD = '[reset]\nevery = "20m"\n'
GARBAGE = st.one_of(
    st.binary(max_size=300),
    TOMLISH.map(str.encode),
    near_valid_files().map(str.encode),
    st.text(max_size=80).map(lambda t: t.encode("utf-8", "surrogatepass")),
)


def expected_config(data: bytes, path: Path) -> Config | None:
    """What the file says, or None when it says nothing usable."""
    try:
        return config_from_text(data.decode("utf-8"), str(path))
    except (UnicodeDecodeError, ConfigError):
        return None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(GARBAGE)
@example(b"\xff\xfe[reset]")  # not UTF-8
@example(GOOD.encode()[:9])  # a save cut off half-way
@example(b'[reset]\nevery = "99999999999999999h"\n')
def test_reloading_any_bytes_keeps_the_last_good_config(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        used: list[Config] = []
        failed: list[ConfigError] = []
        reloader = ConfigReloader(path, used.append, failed.append)
        path.write_text(GOOD)
        reloader.load()
        good = used[-1]
        path.write_bytes(data)
        reloader.load()  # never raises: at start-up nothing above it would catch it
        expected = expected_config(data, path)
        if expected is None:
            assert used[-1] is good, "garbage replaced the last good config"
            for error in failed:
                assert_clean_problems(error, data.decode("utf-8", "replace"), str(path))
        else:
            assert used[-1] == expected
        before = (len(used), len(failed))
        reloader.load()  # the same bytes again: nothing new to say, nothing new to use
        assert (len(used), len(failed)) == before
        path.write_text('[reset]\nevery = "30m"\n')
        reloader.load()  # fixed: the next good save is used at once
        assert used[-1].reset.every == timedelta(minutes=30)


def test_a_broken_save_is_reported_once_and_the_app_keeps_running(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    used: list[Config] = []
    failed: list[ConfigError] = []
    reloader = ConfigReloader(path, used.append, failed.append)
    path.write_text(GOOD)
    reloader.load()
    path.write_text('[reset]\nevery = "soon"\n')
    for _ in range(3):  # the watcher fires several times for one save
        reloader.load()
    assert len(failed) == 1
    assert [str(p) for p in failed[0].problems] == [
        f'{path}:2: reset.every: expected a duration such as "45m" or "1h30m", got "soon"']
    assert used == [used[0]] and used[0].reset.every == timedelta(minutes=20)


def test_the_watcher_survives_binary_garbage_and_says_which_file(tmp_path: Path, caplog) -> None:
    """Through the real watcher (OS file events): garbage, then a good save again."""
    path = tmp_path / "movebreak" / "config.toml"
    used: list[Config] = []
    changed = threading.Event()

    def use(config: Config) -> None:
        used.append(config)
        changed.set()

    failures: list[ConfigError] = []
    reloader = ConfigReloader(path, use, failures.append)
    watcher = ConfigWatcher(path, reloader.load)
    path.parent.mkdir(parents=True)
    path.write_text(GOOD)
    reloader.load()
    watcher.start()
    try:
        changed.clear()
        with caplog.at_level(logging.ERROR):
            path.write_bytes(b"\x00\xff\xfe garbage \x80")
            assert not changed.wait(1.0), "binary garbage must not be used as a config"
        assert any(str(path) in r.getMessage() for r in caplog.records), caplog.text
        assert len(failures) == 1 and "not UTF-8" in str(failures[0])  # one notification
        assert used[-1].reset.every == timedelta(minutes=20)
        path.write_text('[reset]\nevery = "25m"\n')
        assert changed.wait(3), "a good save after garbage was not picked up"
        assert used[-1].reset.every == timedelta(minutes=25)
    finally:
        watcher.stop()
