"""``python -m movebreak`` is the same as the ``movebreak`` command."""

from movebreak.cli.main import main

raise SystemExit(main())
