"""The control channel: one running instance, commanded from the command line.

The running app listens on a channel only its own user can reach (a Unix socket in
a private folder, a named pipe on Windows); ``movebreak status``, ``skip`` and the
rest talk to it, and the same channel is the single-instance lock.
"""
