"""X11 through the C libraries the desktop already has loaded (libX11, libXss, libXi).

``xlib`` declares the calls (ctypes); ``display.Connection`` opens a display with error
hooks that keep Xlib from ending the process; ``raw_input.RawInputWatch`` blocks until
the user touches a key, button or pointer. The idle and fullscreen adapters
(``movebreak.idle.x11``, ``movebreak.quiet.x11``) are built on them.
"""
