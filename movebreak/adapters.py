"""What every adapter family shares: one way to say "not here".

Each family (``idle``, ``quiet``, ``calls``, ``sound``, ``autostart``) has the same
shape: ``base.py`` holds its Protocol and its ``<Family>Unavailable``, one module per
platform implements it, and ``detect()`` (in ``detect.py``; autostart's in
``service.py``, beside ``for_platform``, which raises instead, for the CLI to say why)
picks the first that works here, logging one line for the ones that do not.
Notifications choose at each notice instead (``FallbackNotifier``: a notification
server may come and go), so ``notify`` has no ``detect``. An adapter that cannot work
on this computer raises its family's ``Unavailable``; the chooser tries the next, or
the feature stays off. An error while it works is its own, named, exception.
"""

from __future__ import annotations


class Unavailable(RuntimeError):
    """This adapter cannot work here (no server, no library, no API); the message says why."""
