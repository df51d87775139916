"""A minimal Wayland client in pure Python: the wire format and one socket connection.

Enough of the protocol for the app's own questions to the compositor (idle time, the
toplevels' fullscreen state): no pywayland, no compiled code, no file descriptors.
"""
