"""The ``movebreak`` command: start the app, or one of its subcommands."""
