"""Packaging tests: the wheel, the PyInstaller bundle and its build helpers, icons, desktop entry."""
