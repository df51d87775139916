"""Start at login: one backend per platform behind ``AutostartBackend``, and the
user's remembered decision on top (``service.Autostart``): the app never turns
autostart back on after the user turned it off."""
