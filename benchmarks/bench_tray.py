"""Benchmark the real tray app under Xvfb + trayer: launch -> icon shown, idle memory and CPU.

    python benchmarks/bench_tray.py [--idle 60] [--runs 3] [--scenario healthy|down|both]
                                    [--app dist/traywatch/traywatch] [--screenshots DIR]

Runs `python -m traywatch` (as root) in two networks of its own, never the real one: "healthy", a
fake internet of namespaces, DNS and HTTPS servers where every check passes (so the figures include
real TLS rounds), and "down", a namespace without a route (internet down: one start-up notification
balloon, which loads fonts). Not root: once, on the host network. Launch time is measured from
just before the process is started until the app logs that the tray host placed the icon; memory
is VmRSS after `--idle` seconds of idling with a long interval (after the start-up rounds); CPU is
user+system time consumed during those seconds.
With --screenshots, also takes the README pictures from the real app (tray icon, open menu, a
notification balloon) plus a legend of all icons.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.ui.helpers.xsession import IMPORT, Xvfb, app_command, app_env, log_text, wait_for  # noqa: E402

SHOWN = re.compile(r"tray icon shown \((\w+)\) ([\d.]+) s after launch")
ICON_NOW = re.compile(r"tray icon now (\w+)")
PLACED = re.compile(r"tray icon placed at (\d+),(\d+) (\d+)x(\d+)")
CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


SCENARIOS = {
    "healthy": "fake internet, everything answers",
    "down": "no route: internet down, one balloon",
}


@contextlib.contextmanager
def network_for_app(scenario: str = "down", home: Path | None = None) -> Iterator[list[str]]:
    """A command prefix that puts the app in `scenario`'s network (root only; else the host's).

    down: `ip netns exec NS` in a namespace without a route. healthy: a fake internet of our own
    (namespaces, DNS, HTTPS with a test CA written into `home`'s config) where every check passes,
    so the figures include real TLS rounds."""
    if os.geteuid() != 0:
        yield []
        return
    if scenario == "healthy":
        from tests.support.netns import FakeInternet

        with FakeInternet() as net:
            if home is not None:
                (home / "config").mkdir(parents=True, exist_ok=True)
                (home / "config" / "config.toml").write_text(
                    f'[network]\nca_file = "{net.ca_file}"\n', "utf-8"
                )
            yield ["ip", "netns", "exec", net.name]
        return
    from tests.support.netns import NoRouteNamespace

    with NoRouteNamespace() as ns:
        yield ["ip", "netns", "exec", ns.name]


APP: list[str] = []  # --app: a built executable instead of `python -m traywatch`


def start_app(x: Xvfb, home: Path, prefix: list[str], *args: str) -> tuple[subprocess.Popen[bytes], float]:
    env = x.child_env(app_env(home))
    started = time.monotonic()
    command = [*APP, *args] if APP else app_command(*args)
    proc = subprocess.Popen([*prefix, *command], env=env, stderr=subprocess.DEVNULL)
    return proc, started


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


def one_run(scenario: str, idle_s: float, settle_s: float) -> dict[str, float]:
    with contextlib.ExitStack() as stack:
        home = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        x = stack.enter_context(Xvfb())
        prefix = stack.enter_context(network_for_app(scenario, home))
        x.start_trayer()
        proc, started = start_app(x, home, prefix, "--interval", "3600")
        try:
            match = wait_for(lambda: SHOWN.search(log_text(home)), 20, "the icon", step=0.01)
            seen = time.monotonic() - started
            time.sleep(settle_s)  # start-up rounds (first check + its confirmation) done
            cpu0, t0 = cpu_seconds(proc.pid), time.monotonic()
            time.sleep(idle_s)
            cpu1, t1 = cpu_seconds(proc.pid), time.monotonic()
            rss = rss_mb(proc.pid)
            icons = ICON_NOW.findall(log_text(home))
        finally:
            stop(proc)
        expected = {"healthy": "ok", "down": "internet_down"}.get(scenario)
        if prefix and icons and icons[-1] != expected:
            print(
                f"bench_tray: [{scenario}] ended with icon {icons[-1]!r}, not {expected!r}", file=sys.stderr
            )
        return {
            "launch_s": seen,
            "app_launch_s": float(match.group(2)),
            "rss_mb": rss,
            "cpu_pct": 100 * (cpu1 - cpu0) / (t1 - t0),
            "cpu_s": cpu1 - cpu0,
        }


def table(results: dict[str, list[dict[str, float]]], idle_s: float) -> str:
    rows: list[tuple[str, str, str]] = []
    for scenario, runs in results.items():

        def med(key: str, runs: list[dict[str, float]] = runs) -> float:
            return statistics.median(r[key] for r in runs)

        tag = f"[{scenario}] "
        rows += [
            (tag + "launch -> icon shown (measured outside)", f"{med('launch_s'):.2f} s", "<= 1.5 s"),
            (tag + "launch -> icon shown (app log)", f"{med('app_launch_s'):.2f} s", "<= 1.5 s"),
            (tag + f"resident memory after {idle_s:.0f} s idle", f"{med('rss_mb'):.1f} MB", "<= 90 MB"),
            (
                tag + f"CPU during {idle_s:.0f} s idle",
                f"{med('cpu_s'):.2f} s ({med('cpu_pct'):.2f} %)",
                "~0",
            ),
        ]
    width = max(len(r[0]) for r in rows)
    runs_n = max(len(r) for r in results.values())
    lines = [
        f"traywatch tray benchmark: median of {runs_n} run(s), Xvfb + trayer, "
        + (f"{APP[0]}" if APP else f"python -m traywatch, Python {sys.version.split()[0]}")
    ]
    lines += [f"  {name}: {SCENARIOS[name]}" for name in results]
    lines.append(f"{'measure':<{width}}  {'result':>16}  target")
    lines += [f"{name:<{width}}  {value:>16}  {target}" for name, value, target in rows]
    return "\n".join(lines)


def screenshots(out: Path) -> None:
    """README pictures from the real app in a namespace without a route (internet down)."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, Xvfb(size=(900, 420)) as x, network_for_app() as prefix:
        home = Path(tmp)
        (home / "config").mkdir()
        (home / "config" / "config.toml").write_text("[check]\ntimeout = 2\nconfirm_delay = 1\n")
        x.start_trayer()
        proc, _ = start_app(x, home, prefix, "--interval", "2")
        env = x.child_env()
        try:
            wait_for(lambda: "notification: " in log_text(home), 20, "the start-up notification")
            time.sleep(1.0)  # the balloon fades in
            crop(x, out / "notification.png", "900x200+0+0")
            time.sleep(11)  # let the balloon time out (clicking it would open the history window)
            crop(x, out / "tray-icon.png", "160x42+740+0", trim=False)
            icon_x, icon_y = tray_icon_position(home)
            subprocess.run(
                ["xdotool", "mousemove", str(icon_x), str(icon_y), "click", "3"], env=env, check=True
            )
            time.sleep(1.0)
            crop(x, out / "menu.png", "900x420+0+0")
        finally:
            stop(proc)
    legend(out / "icons.png")


def tray_icon_position(home: Path) -> tuple[int, int]:
    m = PLACED.search(log_text(home))
    if not m:
        return 888, 20
    x, y, w, h = (int(g) for g in m.groups())
    return x + w // 2, y + h // 2


def crop(x: Xvfb, path: Path, geometry: str, trim: bool = True) -> None:
    """Screenshot, cut to `geometry`, and (trim) cut away the empty black desktop around it."""
    full = path.with_suffix(".full.png")
    x.screenshot(full)
    tidy = ["-trim", "+repage", "-bordercolor", "black", "-border", "8"] if trim else []
    subprocess.run(
        ["/usr/bin/convert", str(full), "-crop", geometry, "+repage", *tidy, str(path)], check=True
    )
    full.unlink()


def legend(path: Path) -> None:
    """All icons side by side with their names (rendered from the SVG sources)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtWidgets import QApplication

    from traywatch.ui.icons import IconKind, PanelTheme, render_image

    app = QApplication.instance() or QApplication([])
    cell, size = 150, 48
    image = QImage(cell * len(IconKind), 2 * (size + 40), QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    for row, (theme, bg, fg) in enumerate(
        [(PanelTheme.LIGHT, "#eeeeee", "#202020"), (PanelTheme.DARK, "#2b2b2b", "#f0f0f0")]
    ):
        top = row * (size + 40)
        painter.fillRect(0, top, image.width(), size + 40, QColor(bg))
        painter.setPen(QColor(fg))
        for i, kind in enumerate(IconKind):
            painter.drawImage(i * cell + (cell - size) // 2, top + 6, render_image(kind, theme, size))
            painter.drawText(
                QRect(i * cell, top + size + 10, cell, 24), Qt.AlignmentFlag.AlignCenter, kind.value
            )
    painter.end()
    image.save(str(path))
    del app


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--idle", type=float, default=60.0, help="idle seconds to measure (default 60)")
    parser.add_argument("--settle", type=float, default=20.0, help="seconds for start-up rounds (default 20)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--scenario", choices=[*SCENARIOS, "both"], default="both", help="network to run in (root)"
    )
    parser.add_argument(
        "--app", type=Path, help="measure this executable (e.g. dist/traywatch/traywatch) instead"
    )
    parser.add_argument("--screenshots", type=Path, help="also write README screenshots into this folder")
    args = parser.parse_args()
    missing = [t for t in ("Xvfb", "trayer", "xwininfo", "xdotool") if not shutil.which(t)] + (
        [] if Path(IMPORT).is_file() else [IMPORT]
    )
    if missing:
        print(f"bench_tray: needs {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.app:
        APP[:] = [str(args.app.resolve())]
    scenarios = list(SCENARIOS) if args.scenario == "both" else [args.scenario]
    if os.geteuid() != 0:
        print("bench_tray: not root, so the app runs on this machine's own network", file=sys.stderr)
        scenarios = scenarios[:1]
    results = {s: [one_run(s, args.idle, args.settle) for _ in range(args.runs)] for s in scenarios}
    print(table(results, args.idle))
    if args.screenshots:
        screenshots(args.screenshots)
        print(f"screenshots written to {args.screenshots}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
