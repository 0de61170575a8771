"""traywatch: is it my internet, or is it Meta? A tray watcher for small businesses."""

__version__ = "0.1.0"
