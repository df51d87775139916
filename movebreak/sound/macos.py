"""macOS: ``afplay`` of movebreak's own files (theme names are a freedesktop thing)."""

from __future__ import annotations

from movebreak.sound.command import CommandOutput, afplay_command


def afplay_output() -> CommandOutput:
    return CommandOutput("afplay", afplay_command)
