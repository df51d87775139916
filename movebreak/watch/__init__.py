"""Kernel events the app sleeps on: wall-clock changes and edits to the config's folder."""
