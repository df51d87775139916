"""The timer window: a small Tk window in a corner, run as its own short-lived process.

It opens where the desktop's notifications are not (bottom left above the panel for
servers that draw top right; ``core.placement``), and where the user dragged it last:
a move is saved to the app's data folder and clamped onto the screen next time.
Wayland compositors that place windows themselves (sway, GNOME) may not honour it.

A separate process because on macOS both the tray and Tk insist on the main thread,
and because Tk's memory is then only spent while a routine runs. It reads ``show`` /
``end`` / ``close`` lines on stdin (see ``messages``) and writes button presses as
``{"action": ...}`` lines on stdout. Between messages it counts down on its own.

Shortcuts: Space pause/resume, N or Right next, S snooze, K skip, D or Return done.

The window must not take keystrokes meant for another program: it appears while the
user may be typing (a routine started from a terminal, a prompt's Start while writing).
So on X11 (and Xwayland) it asks the window manager not to focus it when it appears
(``_NET_WM_USER_TIME`` 0, which Mutter, KWin and most EWMH managers honour), and its
single-key shortcuts act only once the user turned to it: the pointer moved over it, a
click, or a focus that came later than its appearing (Alt+Tab). A key that arrives
before that is dropped, never acted on.
"""

from __future__ import annotations

import contextlib
import json
import queue
import sys
import threading
import time
import tkinter as tk
from functools import partial
from pathlib import Path
from typing import Any

from movebreak.core.commands import Command, Hold, Next, Skip
from movebreak.core.placement import Anchor, Rect, place_window
from movebreak.guide.messages import BUTTONS, action_message, clock_text
from movebreak.i18n import language
from movebreak.storage.atomic import write_atomic

WIDTH, HEIGHT = 400, 300
PICTURE = 160  # the largest side of a step's picture; the window grows to fit it
BG, FG, MUTED, ACCENT, CUE = "#1f2937", "#f9fafb", "#9ca3af", "#34d399", "#fbbf24"
END_SECONDS = 2.5
FRAME_MS = 200
DELIBERATE_FOCUS_S = 1.0  # a focus later than this after mapping is the user's, not the WM's
SETTLE_S = 1.0  # moves this soon after we placed the window are the WM's (decorations)
MOVE_SLACK = 8  # px: a window manager nudging the window is not the user dragging it
SAVE_MS = 500  # save a dragged position once the drag has rested this long


class TimerWindow:
    """The window's widgets and its local countdown."""

    def __init__(self, root: tk.Tk, inbox: queue.Queue[dict[str, Any] | None]) -> None:
        self.root = root
        self.inbox = inbox
        self.remaining = 0.0
        self.received = time.monotonic()
        self.paused = False
        self.armed = False  # the user turned to the window: its shortcuts act
        self.mapped_at: float | None = None
        self.words = language()  # the app's environment, inherited: its language
        root.title("movebreak")
        root.configure(bg=BG)
        root.attributes("-topmost", True)
        root.resizable(False, False)
        root.geometry(f"{WIDTH}x{HEIGHT}")
        # Where to open: the app's ``place`` message says where notifications are drawn
        # and which file remembers the user's own position (see core.placement).
        self.notifications = Anchor.TOP_RIGHT
        self.memory: Path | None = None
        self.user_position: tuple[int, int] | None = None
        self.position: tuple[int, int] | None = None  # where we last put it
        self.placed_at = 0.0
        self.saving: str | None = None  # the pending ``after`` that saves a drag
        label: dict[str, Any] = {"bg": BG, "fg": FG, "anchor": "w", "justify": "left"}
        self.routine = tk.Label(root, font=("DejaVu Sans", 9), **{**label, "fg": MUTED})
        self.step = tk.Label(root, font=("DejaVu Sans", 14, "bold"), **label)
        self.dose = tk.Label(root, font=("DejaVu Sans", 10), **{**label, "fg": ACCENT})
        body = tk.Frame(root, bg=BG)  # the picture (when the step has one) and the instruction
        self.picture = tk.Label(body, bg=BG, borderwidth=0)
        self.picture_file = ""
        self.height = HEIGHT
        self.photos: dict[str, tk.PhotoImage | None] = {}  # loaded once; Tk needs a reference
        self.instruction = tk.Label(body, font=("DejaVu Sans", 9), wraplength=WIDTH - 24, **label)
        self.instruction.pack(side="right", fill="x", expand=True)
        self.clock = tk.Label(root, font=("DejaVu Sans Mono", 34, "bold"), bg=BG, fg=FG)
        self.footer = tk.Label(root, font=("DejaVu Sans", 9), **{**label, "fg": MUTED})
        self.cue = tk.Label(root, font=("DejaVu Sans", 11, "bold"), bg=BG, fg=CUE)
        for widget in (self.routine, self.step, self.dose, body):
            widget.pack(fill="x", padx=12, pady=(4, 0))
        self.clock.pack(pady=(2, 0))
        self.cue.pack()
        self.footer.pack(fill="x", padx=12)
        bar = tk.Frame(root, bg=BG)
        bar.pack(side="bottom", fill="x", padx=8, pady=8)
        self.buttons: dict[Command, tk.Button] = {}
        for action, text, keys in BUTTONS:
            button = tk.Button(  # little inner padding: German's "Fortsetzen" must fit
                bar, text=self.words.gettext(text), width=5, padx=2,
                command=partial(self.send, action),
            )
            button.pack(side="left", expand=True, fill="x", padx=1)
            self.buttons[action] = button
            for key in keys:
                root.bind(key, partial(self._on_key, action))
        root.bind("<Map>", self._mapped, add="+")
        # Motion, not Enter: a window mapped under a still pointer gets an Enter too.
        root.bind("<Motion>", self._arm, add="+")
        root.bind("<ButtonPress>", self._arm, add="+")
        root.bind("<FocusIn>", self._focused, add="+")
        root.bind("<Configure>", self._configured, add="+")
        root.protocol("WM_DELETE_WINDOW", lambda: self.send(Skip()))
        root.after(1, self.frame)  # a timer, not an idle callback: ``reveal`` needs idle tasks

    def _on_key(self, command: Command, _event: tk.Event[tk.Misc]) -> None:
        self.shortcut(command)

    def shortcut(self, action: Command) -> None:
        if self.armed:
            self.send(action)

    def _arm(self, _event: object = None) -> None:
        self.armed = True

    def _mapped(self, _event: object = None) -> None:
        if self.mapped_at is None:
            self.mapped_at = time.monotonic()

    def _focused(self, _event: object = None) -> None:
        if self.mapped_at is not None and time.monotonic() - self.mapped_at > DELIBERATE_FOCUS_S:
            self._arm()

    def send(self, action: Command) -> None:
        print(json.dumps(action_message(action)), flush=True)

    def show(self, message: dict[str, Any]) -> None:
        self.routine.config(text=message.get("routine", "").upper())
        self.step.config(text=message.get("step", ""))
        side = message.get("side") or ""
        self.dose.config(text=" · ".join(x for x in (message.get("dose", ""), side) if x))
        self.instruction.config(text=message.get("instruction", ""))
        self.show_picture(str(message.get("picture") or ""))
        self.cue.config(text=message.get("cue", ""))
        self.remaining = float(message.get("remaining", 0))
        self.received = time.monotonic()
        self.paused = bool(message.get("paused"))
        self.footer.config(
            text=message.get("position", "")
            + ("  ·  " + self.words.gettext("paused") if self.paused else "")
        )
        self.buttons[Hold()].config(
            text=self.words.gettext("Resume") if self.paused else self.words.gettext("Pause")
        )
        last, reps = bool(message.get("last")), bool(message.get("reps"))
        next_text = self.words.gettext("Finish") if last else self.words.gettext("Next")
        self.buttons[Next()].config(text=next_text)
        self.clock.config(fg=CUE if reps and self.remaining <= 0 else FG)
        self.tick_clock()

    def photo(self, path: str) -> tk.PhotoImage | None:
        """The picture at ``path`` scaled down to fit ``PICTURE``; None if Tk cannot read it."""
        if path not in self.photos:
            try:
                photo = tk.PhotoImage(master=self.root, file=path)
                factor = -(-max(photo.width(), photo.height()) // PICTURE)
                self.photos[path] = photo.subsample(factor) if factor > 1 else photo
            except tk.TclError as error:
                print(f"movebreak timer window: no picture: {error}", file=sys.stderr)
                self.photos[path] = None
        return self.photos[path]

    def show_picture(self, path: str) -> None:
        """Show the step's picture beside the instruction; none: the text takes the width."""
        if path == self.picture_file:
            return
        self.picture_file = path
        photo = self.photo(path) if path else None
        if photo is None:
            self.picture.pack_forget()
            self.picture.config(image="")
            self.instruction.config(wraplength=WIDTH - 24)
        else:
            self.picture.config(image=photo)
            self.picture.pack(side="left", anchor="n", padx=(0, 10), before=self.instruction)
            self.instruction.config(wraplength=WIDTH - 34 - photo.width())
        self.root.update_idletasks()
        if self.root.winfo_reqheight() > self.height:  # grows, never shrinks: no jumping
            self.height = self.root.winfo_reqheight()
            if self.position is not None:
                self.place()  # the bottom edge stays above the panel

    def use_placement(self, message: dict[str, Any]) -> None:
        """The app's ``place`` message: keep clear of the notifications, or open where the
        user put the window last."""
        with contextlib.suppress(ValueError):
            self.notifications = Anchor(message.get("notifications") or "top-right")
        memory = message.get("memory") or ""
        self.memory = Path(memory) if memory else None
        self.user_position = read_position(self.memory)

    def place(self) -> None:
        """Put the window where ``core.placement`` says; on the screen as it is now."""
        rect = place_window(work_area(self.root), (WIDTH, self.height), self.notifications,
                            self.user_position)
        self.root.geometry(f"{rect.width}x{rect.height}+{rect.x}+{rect.y}")
        self.position = (rect.x, rect.y)
        self.placed_at = time.monotonic()

    def reveal(self) -> None:
        """Map the window, placed, on the first message (withdrawn until then)."""
        if self.position is None:
            self.place()
            if self.root.tk.call("tk", "windowingsystem") == "x11":
                _ask_not_to_be_focused(self.root)  # must be on the window as it is mapped
            self.root.deiconify()

    def _configured(self, event: tk.Event[Any]) -> None:
        """A move the user made (a drag in the window manager): remember it."""
        if event.widget is not self.root or self.position is None or self.memory is None:
            return
        if time.monotonic() - self.placed_at < SETTLE_S:
            return
        x, y = self._frame_position()
        if abs(x - self.position[0]) + abs(y - self.position[1]) <= MOVE_SLACK:
            return
        self.position = self.user_position = (x, y)
        if self.saving is not None:
            self.root.after_cancel(self.saving)
        self.saving = self.root.after(SAVE_MS, self._save_position)

    def _frame_position(self) -> tuple[int, int]:
        """Where the window is, as ``wm geometry`` reads and sets it: "WxH+X+Y"."""
        _size, _plus, rest = self.root.geometry().partition("+")
        x, _sep, y = rest.replace("+-", "-").partition("+")
        try:
            return int(x), int(y)
        except ValueError:
            return self.root.winfo_x(), self.root.winfo_y()

    def _save_position(self) -> None:
        self.saving = None
        if self.memory is None or self.user_position is None:
            return
        x, y = self.user_position
        try:
            write_atomic(self.memory, json.dumps({"x": x, "y": y}), private=True)
        except OSError as error:
            print(f"movebreak timer window: cannot remember its place: {error}",
                  file=sys.stderr)

    def tick_clock(self) -> None:
        left = (
            self.remaining if self.paused else self.remaining - (time.monotonic() - self.received)
        )
        self.clock.config(text=clock_text(left))

    def end(self, text: str) -> None:
        self.step.config(text=text)
        self.show_picture("")
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
            if message.get("kind") == "place":
                self.use_placement(message)  # mapped with the first step, at its size
                continue
            if message.get("kind") == "end":
                self.reveal()
                self.end(message.get("text", self.words.gettext("Done")))
                return
            # Content first, then map: a window that grows after it is mapped is moved
            # again by some window managers (sway centres a floating window that resizes).
            self.show(message)
            self.reveal()  # without a place message: the default corner
        self.tick_clock()
        self.root.after(FRAME_MS, self.frame)


def read_position(memory: Path | None) -> tuple[int, int] | None:
    """The position saved in ``memory``; None when there is none or it is damaged."""
    if memory is None:
        return None
    try:
        raw = json.loads(memory.read_text(encoding="utf-8"))
        return int(raw["x"]), int(raw["y"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def work_area(root: tk.Tk) -> Rect:
    """The screen less its panels: X11's ``_NET_WORKAREA``, Windows' work area, else the
    whole screen (macOS: less its menu bar and a bottom Dock)."""
    width, height = root.winfo_screenwidth(), root.winfo_screenheight()
    system = root.tk.call("tk", "windowingsystem")
    if system == "x11":
        area = _x11_work_area(root)
        if area is not None:
            return area
    elif system == "win32":
        with contextlib.suppress(Exception):
            import ctypes
            from ctypes import wintypes

            rect = wintypes.RECT()
            if ctypes.windll.user32.SystemParametersInfoW(0x30, 0, ctypes.byref(rect), 0):  # type: ignore[attr-defined]
                return Rect(rect.left, rect.top, rect.right - rect.left, rect.bottom - rect.top)
    elif system == "aqua":
        return Rect(0, 25, width, height - 25 - 80)
    return Rect(0, 0, width, height)


def _x11_work_area(root: tk.Tk) -> Rect | None:
    try:
        from Xlib import X
        from Xlib import display as xdisplay
    except ImportError:
        return None
    try:
        connection = xdisplay.Display(root.winfo_screen())
    except Exception:
        return None
    try:
        screen = connection.screen().root
        atom = connection.intern_atom("_NET_WORKAREA")
        reply = screen.get_full_property(atom, X.AnyPropertyType)
        desktop = screen.get_full_property(connection.intern_atom("_NET_CURRENT_DESKTOP"),
                                           X.AnyPropertyType)
        index = int(desktop.value[0]) if desktop is not None and len(desktop.value) else 0
        values = list(reply.value) if reply is not None else []
        if len(values) < 4 * (index + 1):
            index = 0
        if len(values) < 4:
            return None
        x, y, w, h = (int(v) for v in values[4 * index : 4 * index + 4])
        return Rect(x, y, w, h) if w > 0 and h > 0 else None
    except Exception:  # a window manager that went away: the whole screen
        return None
    finally:
        connection.close()


def _read_stdin(inbox: queue.Queue[dict[str, Any] | None]) -> None:
    for line in sys.stdin:
        try:
            inbox.put(json.loads(line))
        except ValueError:
            continue
    inbox.put(None)  # the app went away: close


def _ask_not_to_be_focused(root: tk.Tk) -> None:
    """Set ``_NET_WM_USER_TIME`` 0 on Tk's wrapper window: "do not focus me on map"."""
    try:
        from Xlib import X, Xatom
        from Xlib import display as xdisplay
    except ImportError:  # python-xlib comes with movebreak on Linux; elsewhere no X11
        return
    root.update_idletasks()  # makes the wrapper (WM_CLASS lives there) exist
    try:
        connection = xdisplay.Display(root.winfo_screen())
    except Exception:  # python-xlib raises its own types for an unreachable display
        return
    try:
        inner = connection.create_resource_object("window", root.winfo_id())
        wrapper = inner.query_tree().parent
        atom = connection.intern_atom("_NET_WM_USER_TIME")
        wrapper.change_property(atom, Xatom.CARDINAL, 32, [0], X.PropModeReplace)
        connection.sync()
    except Exception:  # a window manager that went away: the shortcuts still wait
        pass
    finally:
        connection.close()


def main() -> int:
    inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
    threading.Thread(target=_read_stdin, args=(inbox,), daemon=True).start()
    try:
        root = tk.Tk(className="movebreak-timer")
    except tk.TclError as error:  # no display, no Xwayland, a wrong XAUTHORITY: one line
        print(f"movebreak timer window: cannot open: {error}", file=sys.stderr)
        return 1
    root.withdraw()  # mapped by ``reveal``, once placed and asked not to be focused
    TimerWindow(root, inbox)  # shown by the first message: placed before it appears
    root.mainloop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
