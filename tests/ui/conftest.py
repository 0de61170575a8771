"""UI tests run offscreen unless a display platform is chosen explicitly (e.g. under Xvfb)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TRAYWATCH_TRAY_WAIT", "0.2")
