"""Code that differs per operating system: starting traywatch at login (XDG autostart, the
Windows Run key, a macOS LaunchAgent) and waiting for a process to end."""
