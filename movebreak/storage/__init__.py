"""Where files live, and writing them so that a crash never leaves half a file."""
