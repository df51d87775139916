"""What sits at the config's path is not always a config: each case names the file.

A FIFO (start-up waited for a writer, deaf to SIGTERM), arrays nested 500 deep (a
``RecursionError`` traceback, no start), a UTF-8 byte-order mark (refused without a
reason), a file of any size (read whole). Real files, and the real app for the FIFO.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from movebreak.app.config_watch import ConfigReloader
from movebreak.config.errors import ConfigError
from movebreak.config.loader import MAX_CONFIG_BYTES, load_config
from movebreak.config.model import Config
from tests.faults.app_process import AppProcess

GOOD = '[reset]\nevery = "20m"\n'


def only_problem(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    [problem] = caught.value.problems
    assert problem.path == str(path)
    return str(problem)


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert load_config(path).reset.every == timedelta(minutes=20)


def test_arrays_nested_500_deep_are_a_problem_at_their_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(GOOD + "a = " + "[" * 500 + "]" * 500 + "\n")
    assert only_problem(path) == f"{path}:3: nested too deeply (arrays or tables more than " \
                                 "100 levels inside each other)"


def test_a_file_over_the_size_limit_is_refused_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(GOOD + "# padding\n" * (MAX_CONFIG_BYTES // 10 + 1))
    assert "larger than 1 MiB, the limit for a config file" in only_problem(path)


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    os.mkfifo(path)
    said: list[str] = []
    reading = threading.Thread(target=lambda: said.append(only_problem(path)), daemon=True)
    reading.start()
    reading.join(5)
    if reading.is_alive():  # waiting for a writer: be one, so the thread can end
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        reading.join(5)
        pytest.fail("reading a FIFO as the config waited for a writer")
    assert said == [f"{path}:1: not a regular file (a FIFO, a device or a folder?); "
                    "the config must be a plain text file"]


def test_a_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.mkdir()
    assert "not a regular file" in only_problem(path)


def test_the_reloader_keeps_the_last_good_config_through_each(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    used: list[Config] = []
    failed: list[ConfigError] = []
    reloader = ConfigReloader(path, used.append, failed.append)
    path.write_text(GOOD)
    reloader.load()
    path.write_text("a = " + "[" * 500 + "]" * 500 + "\n")
    reloader.load()  # a RecursionError escaped from here before
    path.unlink()
    os.mkfifo(path)
    reloader.load()
    reloader.load()  # the same problem again: said once
    assert [len(e.problems) for e in failed] == [1, 1]
    assert "nested too deeply" in str(failed[0]) and "not a regular file" in str(failed[1])
    assert used == [used[0]] and used[0].reset.every == timedelta(minutes=20)


def test_the_app_starts_on_defaults_with_a_fifo_as_config_and_ends_on_sigterm(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config" / "movebreak" / "config.toml"
    config.parent.mkdir(parents=True)
    os.mkfifo(config)
    app = AppProcess(tmp_path)
    try:
        app.wait_for_log(f"{config}:1: not a regular file")
        assert "routine" in app.cli("status")  # running, on the defaults
        app.process.send_signal(signal.SIGTERM)
        try:
            assert app.process.wait(5) == 0, app.text()
        except subprocess.TimeoutExpired:
            pytest.fail(f"the app did not end on SIGTERM:\n{app.text()}")
    finally:
        app.stop()
