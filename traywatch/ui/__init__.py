"""The desktop shell (PySide6 only here): tray icon, menu, notifications, windows, background checks."""

from traywatch.ui.memory import read_sources_uncached

read_sources_uncached()  # before the rest of the app is imported (see memory.py)
