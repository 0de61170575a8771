"""traywatch: is it my internet, or is it Meta? A tray watcher for small businesses."""

import time

__version__ = "0.1.0"

# When this process began loading traywatch (before any heavy import): `traywatch check` counts
# its deadline from here, so that start-up is inside the time it promises.
STARTED = time.monotonic()
