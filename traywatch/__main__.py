"""`python -m traywatch` is the same as the `traywatch` command."""

import sys

from traywatch.cli import main

sys.exit(main())
