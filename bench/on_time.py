"""How late a prompt reaches the notification server, against the moment it was due.

Starts movebreak on the private test desktop with resets every ``--every`` (default
20 s) around the clock, and a user who keeps moving the mouse (so nothing holds the
prompts). For each of ``--prompts`` prompts:

* the due time comes from the same computation ``movebreak next --json`` prints
  (``Engine.upcoming`` over the saved state and the config); ``next --json`` itself is
  run too and must agree, but it prints whole seconds, too coarse for this figure;
* the arrival is when the harness's D-Bus monitor saw dunst answer the app's
  ``Notify`` call (so dunst's own handling is included);
* the app's log (``-v``) says when it decided to prompt, which splits the lateness
  into the wake-up (timer and presence look) and the delivery (history, state file,
  D-Bus).

Run: ``.venv/bin/python bench/on_time.py`` (8 prompts, about 3.5 minutes);
``--prompts 3`` for a quick look. Target: at most 0.1 s late.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop_user import compile_like_an_install, prime_display, spend, wait_docked
from harness import MOVEBREAK, AppHandle, Desktop, DesktopTimeout, Notification, wait_until
from table import markdown

from movebreak.app.zone import resolve_timezone
from movebreak.config.loader import load_config
from movebreak.core.engine import Engine
from movebreak.storage.state_store import load_state

TARGET_S = 0.1


def config_text(every: str) -> str:
    """Resets every ``every`` at any hour of any day; nothing else prompts."""
    return (
        '[work]\ndays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\n'
        'start = "00:00"\nend = "24:00"\n\n'
        f'[reset]\nevery = "{every}"\n\n[morning]\nenabled = false\n'
    )


def due_next(app: AppHandle) -> tuple[datetime, str]:
    """The next prompt's exact due time, and what ``movebreak next --json`` prints for it."""
    state_file = Path(app.env["XDG_DATA_HOME"]) / "movebreak" / "state.json"
    wait_until(state_file.exists, 10, "movebreak to save its first state")
    assert app.config_path is not None
    config = load_config(app.config_path)
    engine = Engine(config, resolve_timezone(config))
    now = datetime.now(UTC)
    prompt = engine.upcoming(load_state(state_file), now, now + timedelta(hours=1))[0]
    printed = subprocess.run([*MOVEBREAK, "next", "--json"], env=app.env, capture_output=True,
                             text=True, timeout=30, check=True).stdout
    shown = json.loads(printed)[0]["at"]
    gap = abs(datetime.fromisoformat(shown) - prompt.at)
    if gap >= timedelta(seconds=1):
        raise RuntimeError(f"`movebreak next --json` says {shown}, the state says {prompt.at}")
    return prompt.at, shown


def decided_at(app: AppHandle, after: datetime) -> datetime | None:
    """When the app's log says it prompted (the first ``event prompted`` after ``after``)."""
    for line in app.errors().splitlines():
        if " event prompted " in line:
            local = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").astimezone(UTC)
            if local >= after - timedelta(seconds=1):
                return local
    return None


def is_prompt(n: Notification) -> bool:
    """A timetable prompt carries the snooze button (a routine notice does not)."""
    return n.app_name == "movebreak" and "snooze" in n.actions


def measure(args: argparse.Namespace) -> list[dict[str, float | str]]:
    rows: list[dict[str, float | str]] = []
    with Desktop() as desktop:
        prime_display(desktop)
        started = time.monotonic()
        app = desktop.start_app([*MOVEBREAK, "-v"], config_text=config_text(args.every),
                                name="movebreak")
        wait_docked(desktop, started)
        last_seen = 0.0
        for number in range(args.prompts):
            due, shown = due_next(app)
            wall_minus_mono = time.time() - time.monotonic()
            wait = (due - datetime.now(UTC)).total_seconds()
            spend(desktop, max(0.0, wait - 2), active=True)
            try:
                note = desktop.wait_for_notification(
                    lambda n: is_prompt(n) and n.received_at > last_seen, timeout=10)  # noqa: B023
            except DesktopTimeout:
                print(app.errors()[-3000:], file=sys.stderr)
                raise
            last_seen = note.received_at
            arrived = datetime.fromtimestamp(note.received_at + wall_minus_mono, UTC)
            decided = decided_at(app, due)
            rows.append({
                "prompt": number + 1, "due": due.isoformat(timespec="milliseconds"),
                "next_json": shown, "late_s": (arrived - due).total_seconds(),
                "wake_s": (decided - due).total_seconds() if decided else float("nan"),
                "deliver_s": (arrived - decided).total_seconds() if decided else float("nan"),
            })
            print(f"prompt {number + 1}: due {due:%H:%M:%S.%f} (next --json: {shown}), "
                  f"arrived {rows[-1]['late_s']:+.3f} s", flush=True)
        result = app.stop()
        if result.left_behind:
            print(f"note: movebreak left {len(result.left_behind)} process(es) running")
    return rows


def summary(rows: list[dict[str, float | str]]) -> str:
    """min / median / max of each part of the lateness."""

    def stats(key: str, label: str) -> tuple[str, ...]:
        values = [float(r[key]) for r in rows]
        return (label, *(f"{v * 1000:+.1f} ms" for v in (min(values), statistics.median(values),
                                                          max(values))))

    return markdown(("", "min", "median", "max"), [
        stats("late_s", "due → dunst has it"),
        stats("wake_s", "due → the app decides (timer, presence look)"),
        stats("deliver_s", "decided → dunst has it (history, state, D-Bus)"),
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prompts", type=int, default=8, help="how many prompts to time")
    parser.add_argument("--every", default="20s", help="the reset interval (a duration)")
    args = parser.parse_args()
    compile_like_an_install()
    rows = measure(args)
    late = [float(r["late_s"]) for r in rows]
    print(f"\nOn time ({len(rows)} prompts, resets every {args.every}):\n")
    print(summary(rows))
    worst = max(late)
    verdict = "met" if worst <= TARGET_S else "**MISSED**"
    print(f"\ntarget: at most {TARGET_S} s late -> worst {worst:.3f} s: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
