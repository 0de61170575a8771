"""The tray app's C heap on Linux with glibc: per-thread caches off, so memory stays flat.

Measured (`python benchmarks/bench_tray_soak.py --minutes 30`, README "Tray app over a long run"):
with glibc's default per-thread caches (tcache) the healthy tray grew about 1.0–1.6 MB an hour
without any leak that heaptrack or tracemalloc could find; with `glibc.malloc.tcache_count=0`
the same code, side by side, grew +0.17 MB an hour at the same idle size. Chunks parked in
the caches of the probe threads keep their neighbours from being merged and given back.

glibc reads GLIBC_TUNABLES only when a process starts, so the tray app starts itself once more
with it set (the same process id: `exec`), before Qt or any thread is there. It costs the
interpreter's start a second time (about 0.25 s before the icon shows). An owner's own
GLIBC_TUNABLES is kept and extended; one that already sets the cache count is left as it is
(also the way to measure the default: `GLIBC_TUNABLES=glibc.malloc.tcache_count=7`).
"""

from __future__ import annotations

import logging
import os
import platform
import sys
from collections.abc import Mapping, Sequence

log = logging.getLogger(__name__)

VARIABLE = "GLIBC_TUNABLES"
SETTING = "glibc.malloc.tcache_count"
WANTED = f"{SETTING}=0"


def tuned_environment(
    environ: Mapping[str, str], system: str = sys.platform, libc: str | None = None
) -> dict[str, str] | None:
    """The environment to start again with, or None when there is nothing to do (not glibc, or
    the cache count is set already, by us or by the owner)."""
    if not system.startswith("linux"):
        return None
    if (libc if libc is not None else platform.libc_ver()[0]) != "glibc":
        return None
    current = environ.get(VARIABLE, "")
    if any(part.split("=", 1)[0] == SETTING for part in current.split(":") if part):
        return None
    return {**environ, VARIABLE: f"{current}:{WANTED}" if current else WANTED}


def command_again(
    executable: str = sys.executable,
    orig_argv: Sequence[str] | None = None,
    argv: Sequence[str] | None = None,
    frozen: bool = bool(getattr(sys, "frozen", False)),
) -> list[str]:
    """This process's own command line, to exec: the interpreter with its options and script
    (`python -m traywatch`, the `traywatch` script), or the bundle's program with its arguments."""
    if frozen:
        return [executable, *(sys.argv if argv is None else argv)[1:]]
    return [executable, *(sys.orig_argv if orig_argv is None else orig_argv)[1:]]


def start_again_tuned() -> None:
    """Replace this process by itself with the heap setting, when it lacks it; returns only when
    nothing was to be done or the exec failed (then the app runs as it is and says so)."""
    env = tuned_environment(os.environ)
    if env is None:
        return
    command = command_again()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    try:
        os.execve(command[0], command, env)
    except OSError as exc:
        log.warning("could not restart with %s (%s); running with glibc's default heap", WANTED, exc)
