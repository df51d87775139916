"""movebreak: a tray app that gets people who sit at a computer all day to move."""

__version__ = "0.1.0"
