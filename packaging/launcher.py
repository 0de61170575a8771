"""The frozen app's entry script: the same as the `traywatch` console script."""

import sys

from traywatch.cli import main

if __name__ == "__main__":
    sys.exit(main())
