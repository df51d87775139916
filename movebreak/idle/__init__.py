"""Seconds since the user last touched mouse or keyboard, from the OS.

One source per way of asking (``x11``, ``dbus``, ``windows``, ``macos``) behind
``base.IdleSource``; ``detect.detect()`` picks the one that works in this session.
"""
