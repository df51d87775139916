"""Should prompts be held right now? A fullscreen window, a presentation, or the
desktop's own do-not-disturb says so. One probe per signal and platform behind
``base.QuietProbe``; ``detect.detect()`` builds the ``QuietDetector`` the app asks."""
