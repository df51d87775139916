"""The frozen app's entry point: the same ``main()`` as the ``movebreak`` console script."""

import sys

from movebreak.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
