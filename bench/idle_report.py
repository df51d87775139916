"""The idle benchmark's table: each figure beside the floor, the difference, and the target."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from table import markdown, mb

FLOOR = "floor (gtk)"
APP = "movebreak"
XORG = "floor (xorg)"
PSS_MARGIN = 10e6  # bytes above the floor
DOCK_MARGIN = 0.1  # seconds after the floor
MAX_SWITCHES = 0.2  # per second


def _target_rows(floor: dict[str, Any], app: dict[str, Any],
                 gap: dict[str, float]) -> list[tuple[str, ...]]:
    """(figure, floor, movebreak, movebreak vs floor, target, met) for each figure.

    Differences are the median of the per-run differences (``gap``), not the
    difference of the medians: PSS moves with the machine's other programs.
    """

    def row(label: str, key: str, show: Callable[[float], str], versus: str, target: str,
            met: bool | None) -> tuple[str, ...]:
        verdict = "—" if met is None else ("yes" if met else "**MISSED**")
        return label, show(floor[key]), show(app[key]), versus, target, verdict

    def ratio(key: str) -> str:
        return f"× {app[key] / floor[key]:.2f}" if floor[key] else "—"

    pss_gap, dock_gap = gap["pss"], gap["dock_s"]
    return [
        row("PSS", "pss", mb, f"{pss_gap / 1e6:+.1f} MB ({ratio('pss')})",
            f"≤ floor + {PSS_MARGIN / 1e6:.0f} MB", pss_gap <= PSS_MARGIN),
        row("USS", "uss", mb, f"{gap['uss'] / 1e6:+.1f} MB ({ratio('uss')})",
            "", None),
        row("CPU, % of a core", "cpu_percent", lambda v: f"{v:.2f} %",
            f"{app['cpu_ticks']:.0f} vs {floor['cpu_ticks']:.0f} ticks", "0.00 %",
            round(app["cpu_percent"], 2) == 0),
        row("context switches/s", "switches_per_s", lambda v: f"{v:.2f}",
            f"{app['switches_per_s'] - floor['switches_per_s']:+.2f}", f"< {MAX_SWITCHES}",
            app["switches_per_s"] < MAX_SWITCHES),
        row("forks/min", "forks_per_min", lambda v: f"{v:.1f}",
            f"{app['forks_per_min'] - floor['forks_per_min']:+.1f}", "0 (no fork per poll)",
            app["forks_per_min"] == 0),
        row("icon docked after", "dock_s", lambda v: f"{v:.3f} s", f"{dock_gap:+.3f} s",
            f"≤ floor + {DOCK_MARGIN} s", dock_gap <= DOCK_MARGIN),
    ]


def print_report(figures: dict[str, dict[str, Any]], gap: dict[str, float], machine: str
                 ) -> None:
    """Print the table (Markdown), the xorg floor if measured, and the routine check."""
    floor, app = figures[FLOOR], figures[APP]
    print(f"\nIdle cost ({machine})\n")
    print(markdown(("figure", FLOOR, APP, "movebreak vs floor", "target", "met"),
                   _target_rows(floor, app, gap)))
    if XORG in figures:
        x = figures[XORG]
        print(f"\n{XORG} (no menu): PSS {mb(x['pss'])}, USS {mb(x['uss'])}, CPU "
              f"{x['cpu_percent']:.2f} %, {x['switches_per_s']:.2f} switches/s, "
              f"{x['forks_per_min']:.1f} forks/min, docked after {x['dock_s']:.3f} s")
    if app.get("title"):
        print(f"\n{APP}'s tray title when the window started: {app['title']!r}")
    for name, values in figures.items():
        if values["busiest_threads"]:
            print(f"\n{name}: threads that woke up (last run): "
                  + ", ".join(values["busiest_threads"]))
    print(f"\nforks counted from {app['fork_method']}")
    routine = app.get("after_routine")
    if routine:
        flat = routine["after_pss"] - routine["before_pss"]
        gone = routine["after_processes"] == routine["processes_before"]
        opened = routine["window_opened_s"]
        closed = routine["window_gone_s"]
        print(
            "\nA routine (`movebreak start reset`, then `movebreak done`):\n"
            f"- PSS before {mb(routine['before_pss'])}, while the timer window runs "
            f"{mb(routine['during_pss'])} over {routine['during_processes']:.0f} processes "
            f"(window up after {_seconds(opened)}), after {mb(routine['after_pss'])} "
            f"({flat / 1e6:+.1f} MB)\n"
            f"- the timer window process was gone {_seconds(closed)} after `done`; processes "
            f"after: {routine['after_processes']:.0f} (before: "
            f"{routine['processes_before']:.0f}) -> {'flat' if gone else '**NOT FLAT**'}"
        )


def _seconds(value: float | None) -> str:
    return "never" if value is None else f"{value:.2f} s"
