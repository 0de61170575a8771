"""The desktop shell (PySide6 only here): tray icon, menu, notifications, windows, background checks."""
