"""Bundle entry point for the ``airmf`` command line."""

import sys

from app.cli.main import main

sys.exit(main())
