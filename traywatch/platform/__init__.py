"""Code that differs per operating system: starting traywatch at login (XDG autostart, the
Windows Run key, a macOS LaunchAgent)."""
