"""PyInstaller runtime hook: put the plain-file LGPL packages (``lgpl/``) on ``sys.path``.

They are not in the PYZ archive, so the frozen importer does not know them and the
normal path finder loads them from this folder, where a user can replace them.
"""

import os
import sys

sys.path.append(os.path.join(getattr(sys, "_MEIPASS", os.path.dirname(sys.executable)), "lgpl"))
