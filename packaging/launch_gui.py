"""Bundle entry point for the window (PyInstaller needs a script, not a module path)."""

import sys

from app.__main__ import main

sys.exit(main())
