"""``python -m movebreak.calendar``: the worker process (JSON request in, JSON result out)."""

import sys

from .worker import main

sys.exit(main())
