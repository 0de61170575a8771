"""A real X desktop for tests: Xvfb, the `trayer` tray host, screenshots, and the app as a process.

Everything skips with a clear reason when a tool is missing. Screenshots use /usr/bin/import
(imagemagick) by full path, never a stand-in found earlier on PATH.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
IMPORT = "/usr/bin/import"
TRAYER_ARGS = [
    "trayer", "--edge", "top", "--align", "right", "--widthtype", "request", "--height", "40",
    "--SetDockType", "false", "--SetPartialStrut", "false", "--transparent", "false",
]  # fmt: skip
SCREEN = (800, 300)
TRAY_AREA = (SCREEN[0] - 200, 0, 200, 42)  # x, y, w, h: where trayer (top right) docks icons


def missing_tools(*tools: str) -> list[str]:
    return [t for t in tools if not (Path(t).is_file() if t.startswith("/") else shutil.which(t))]


def skip_unless_tools(*tools: str) -> None:
    missing = missing_tools(*tools)
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (apt-get install xvfb trayer imagemagick x11-utils dbus)")


def skip_unless_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root (network namespaces)")


class Xvfb:
    """A virtual X server on a free display number."""

    def __init__(self, size: tuple[int, int] = SCREEN) -> None:
        self.size = size
        self.proc: subprocess.Popen[bytes] | None = None
        self.display = ""
        self._extra: list[subprocess.Popen[Any]] = []

    def __enter__(self) -> Xvfb:
        read_fd, write_fd = os.pipe()
        w, h = self.size
        self.proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{w}x{h}x24", "-nolisten", "tcp"],
            pass_fds=(write_fd,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write_fd)
        with os.fdopen(read_fd) as fh:
            number = fh.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        self.display = f":{number}"
        return self

    @property
    def env(self) -> dict[str, str]:
        return {"DISPLAY": self.display}

    def start_trayer(self) -> subprocess.Popen[bytes]:
        """Start the tray host and wait for its window. A trayer that shows no window within 10 s
        (seen now and then on a loaded machine: it died, or never mapped) is started once more."""
        for attempt in (1, 2):
            err = tempfile.TemporaryFile()  # noqa: SIM115 -- lives as long as trayer; not a pipe, which could block it
            proc = subprocess.Popen(TRAYER_ARGS, env=self.child_env(), stdout=subprocess.DEVNULL, stderr=err)
            self._extra.append(proc)
            try:
                wait_for(lambda: "trayer" in self.window_tree(), 10, "trayer window")
                return proc
            except AssertionError:
                proc.kill()
                proc.wait(5)
                err.seek(0)
                why = err.read().decode("utf-8", "replace").strip()[-300:] or f"exit {proc.returncode}"
                if attempt == 2:
                    raise AssertionError(f"trayer showed no window twice ({why})") from None
                print(f"trayer showed no window within 10 s ({why}); starting it again", file=sys.stderr)
        raise AssertionError("unreachable")

    def child_env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "QT_QPA", "WAYLAND"))}
        env.update(self.env)
        env.update(extra or {})
        return env

    def window_tree(self) -> str:
        out = subprocess.run(
            ["xwininfo", "-root", "-tree"], env=self.child_env(), capture_output=True, text=True, timeout=10
        )
        return out.stdout

    def screenshot(self, path: Path) -> Path:
        subprocess.run([IMPORT, "-window", "root", str(path)], env=self.child_env(), check=True, timeout=20)
        return path

    def __exit__(self, *exc: object) -> None:
        for proc in [*self._extra, self.proc]:
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()


def count_colour(png: Path, colour: str, area: tuple[int, int, int, int] = TRAY_AREA, tol: int = 40) -> int:
    """Pixels in `area` within `tol` (sum of channel differences) of `colour` (#rrggbb)."""
    from PySide6.QtGui import QColor, QImage

    image = QImage(str(png))
    if image.isNull():
        raise AssertionError(f"cannot read screenshot {png}")
    want = QColor(colour)
    x0, y0, w, h = area
    hits = 0
    for y in range(y0, min(y0 + h, image.height())):
        for x in range(x0, min(x0 + w, image.width())):
            c = image.pixelColor(x, y)
            if abs(c.red() - want.red()) + abs(c.green() - want.green()) + abs(c.blue() - want.blue()) <= tol:
                hits += 1
    return hits


def wait_for(predicate: Callable[[], Any], timeout: float, what: str, step: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


def app_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "traywatch", *args]


def app_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {
        "TRAYWATCH_HOME": str(home),
        "PYTHONPATH": str(REPO_ROOT),
        "QT_QPA_PLATFORM": "xcb",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra or {})
    return env


def log_text(home: Path) -> str:
    path = home / "logs" / "traywatch.log"
    return path.read_text("utf-8", "replace") if path.exists() else ""


def write_config(home: Path, text: str) -> Path:
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def stop(proc: subprocess.Popen[Any], grace: float = 10.0) -> int:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    return int(proc.returncode)


def stop_group(proc: subprocess.Popen[Any], grace: float = 10.0) -> None:
    """SIGTERM a whole process group (started with start_new_session=True), then SIGKILL."""
    import signal

    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)
