"""The timer window: a small Tk window in a corner, run as its own short-lived process.

A separate process because on macOS both the tray and Tk insist on the main thread,
and because Tk's memory is then only spent while a routine runs. It reads ``show`` /
``end`` / ``close`` lines on stdin (see ``messages``) and writes button presses as
``{"action": ...}`` lines on stdout. Between messages it counts down on its own.

Shortcuts: Space pause/resume, N or Right next, S snooze, K skip, D or Return done.
"""

from __future__ import annotations

import json
import queue
import sys
import threading
import time
import tkinter as tk
from typing import Any

from movebreak.guide.messages import WindowAction, clock_text

WIDTH, HEIGHT, MARGIN, TOP = 400, 300, 16, 48
BG, FG, MUTED, ACCENT, CUE = "#1f2937", "#f9fafb", "#9ca3af", "#34d399", "#fbbf24"
END_SECONDS = 2.5
FRAME_MS = 200


class TimerWindow:
    """The window's widgets and its local countdown."""

    def __init__(self, root: tk.Tk, inbox: queue.Queue[dict[str, Any] | None]) -> None:
        self.root = root
        self.inbox = inbox
        self.remaining = 0.0
        self.received = time.monotonic()
        self.paused = False
        root.title("movebreak")
        root.configure(bg=BG)
        root.attributes("-topmost", True)
        root.resizable(False, False)
        x = root.winfo_screenwidth() - WIDTH - MARGIN
        root.geometry(f"{WIDTH}x{HEIGHT}+{x}+{TOP}")
        label = {"bg": BG, "fg": FG, "anchor": "w", "justify": "left"}
        self.routine = tk.Label(root, font=("DejaVu Sans", 9), **{**label, "fg": MUTED})
        self.step = tk.Label(root, font=("DejaVu Sans", 14, "bold"), **label)
        self.dose = tk.Label(root, font=("DejaVu Sans", 10), **{**label, "fg": ACCENT})
        self.instruction = tk.Label(root, font=("DejaVu Sans", 9), wraplength=WIDTH - 24, **label)
        self.clock = tk.Label(root, font=("DejaVu Sans Mono", 34, "bold"), bg=BG, fg=FG)
        self.footer = tk.Label(root, font=("DejaVu Sans", 9), **{**label, "fg": MUTED})
        self.cue = tk.Label(root, font=("DejaVu Sans", 11, "bold"), bg=BG, fg=CUE)
        for widget in (self.routine, self.step, self.dose, self.instruction):
            widget.pack(fill="x", padx=12, pady=(4, 0))
        self.clock.pack(pady=(2, 0))
        self.cue.pack()
        self.footer.pack(fill="x", padx=12)
        bar = tk.Frame(root, bg=BG)
        bar.pack(side="bottom", fill="x", padx=8, pady=8)
        self.buttons: dict[WindowAction, tk.Button] = {}
        for action, text in (
            (WindowAction.PAUSE, "Pause"),
            (WindowAction.NEXT, "Next"),
            (WindowAction.SNOOZE, "Snooze"),
            (WindowAction.SKIP, "Skip"),
            (WindowAction.DONE, "Done"),
        ):
            button = tk.Button(bar, text=text, width=5, command=lambda a=action: self.send(a))
            button.pack(side="left", expand=True, fill="x", padx=1)
            self.buttons[action] = button
        for keys, action in (
            (("<space>",), WindowAction.PAUSE),
            (("n", "<Right>"), WindowAction.NEXT),
            (("s",), WindowAction.SNOOZE),
            (("k",), WindowAction.SKIP),
            (("d", "<Return>"), WindowAction.DONE),
        ):
            for key in keys:
                root.bind(key, lambda _e, a=action: self.send(a))
        root.protocol("WM_DELETE_WINDOW", lambda: self.send(WindowAction.SKIP))
        root.after_idle(self.frame)

    def send(self, action: WindowAction) -> None:
        print(json.dumps({"action": action.value}), flush=True)

    def show(self, message: dict[str, Any]) -> None:
        self.routine.config(text=message.get("routine", "").upper())
        self.step.config(text=message.get("step", ""))
        side = message.get("side") or ""
        self.dose.config(text=" · ".join(x for x in (message.get("dose", ""), side) if x))
        self.instruction.config(text=message.get("instruction", ""))
        self.cue.config(text=message.get("cue", ""))
        self.remaining = float(message.get("remaining", 0))
        self.received = time.monotonic()
        self.paused = bool(message.get("paused"))
        self.footer.config(
            text=message.get("position", "") + ("  ·  paused" if self.paused else "")
        )
        self.buttons[WindowAction.PAUSE].config(text="Resume" if self.paused else "Pause")
        last, reps = bool(message.get("last")), bool(message.get("reps"))
        self.buttons[WindowAction.NEXT].config(text="Finish" if last else "Next")
        self.clock.config(fg=CUE if reps and self.remaining <= 0 else FG)
        self.tick_clock()

    def tick_clock(self) -> None:
        left = (
            self.remaining if self.paused else self.remaining - (time.monotonic() - self.received)
        )
        self.clock.config(text=clock_text(left))

    def end(self, text: str) -> None:
        self.step.config(text=text)
        for widget in (self.dose, self.instruction, self.cue, self.footer):
            widget.config(text="")
        self.clock.config(text="✓", fg=ACCENT)
        for button in self.buttons.values():
            button.config(state="disabled")
        self.root.after(int(END_SECONDS * 1000), self.root.destroy)

    def frame(self) -> None:
        """Drain messages and redraw the countdown; runs only while the window is open."""
        while True:
            try:
                message = self.inbox.get_nowait()
            except queue.Empty:
                break
            if message is None or message.get("kind") == "close":
                self.root.destroy()
                return
            if message.get("kind") == "end":
                self.end(message.get("text", "Done"))
                return
            self.show(message)
        self.tick_clock()
        self.root.after(FRAME_MS, self.frame)


def _read_stdin(inbox: queue.Queue[dict[str, Any] | None]) -> None:
    for line in sys.stdin:
        try:
            inbox.put(json.loads(line))
        except ValueError:
            continue
    inbox.put(None)  # the app went away: close


def main() -> int:
    inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
    threading.Thread(target=_read_stdin, args=(inbox,), daemon=True).start()
    try:
        root = tk.Tk(className="movebreak-timer")
    except tk.TclError as error:  # no display, no Xwayland, a wrong XAUTHORITY: one line
        print(f"movebreak timer window: cannot open: {error}", file=sys.stderr)
        return 1
    TimerWindow(root, inbox)
    root.mainloop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
