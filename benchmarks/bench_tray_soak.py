"""Long-run memory of the real tray app: does its memory grow while it keeps checking?

    python benchmarks/bench_tray_soak.py [--minutes 30] [--interval 10] [--scenario healthy|down|both]
                                         [--sample 30] [--warmup 3] [--app dist/traywatch/traywatch]
                                         [--csv soak.csv]

Starts the tray app under Xvfb + trayer (as root: in the networks of bench_tray.py, never the real
one) with a check every `--interval` seconds, reads its VmRSS every `--sample` seconds for
`--minutes` (SIGINT or SIGTERM ends the run early and cleanly), and prints a table: memory after
the warm-up, at the end, the highest seen, the number of rounds the app logged, and the growth as
a least-squares slope in MB/hour over the samples taken after `--warmup` minutes (the first rounds
fill caches and the TLS session store). With "both", the two scenarios run side by side, each in
its own X display and network. `--csv` writes every reading as it is taken (scenario, seconds,
VmRSS, RssAnon, RssFile in MB), so a long run can be read while it goes on, and the growth told
apart: heap (anonymous) or mapped files.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_tray import APP, SCENARIOS, SHOWN, network_for_app, start_app, stop  # noqa: E402

from tests.ui.helpers.xsession import Xvfb, log_text, wait_for  # noqa: E402
from traywatch.core.paths import app_paths  # noqa: E402


@dataclass
class Soak:
    scenario: str
    samples: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, MB)
    rounds: int = 0
    error: str = ""


def slope_mb_per_hour(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) points, in MB per hour."""
    n = len(points)
    if n < 2:
        return float("nan")
    mean_t = sum(t for t, _ in points) / n
    mean_m = sum(m for _, m in points) / n
    var = sum((t - mean_t) ** 2 for t, _ in points)
    if var == 0:
        return float("nan")
    cov = sum((t - mean_t) * (m - mean_m) for t, m in points)
    return cov / var * 3600


def memory_mb(pid: int) -> tuple[float, float, float]:
    """(VmRSS, RssAnon, RssFile) of `pid` in MB, from one read of /proc: all resident memory, heap
    and other anonymous memory, and mapped file pages."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
    )
    rss, anon, file = (int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "RssAnon", "RssFile"))
    return rss, anon, file


class CsvLog:
    """Appends one line per reading and flushes it, so the file can be read during the run."""

    def __init__(self, path: Path | None) -> None:
        self._lock = threading.Lock()
        self._file = path.open("w", encoding="utf-8") if path else None
        self.write("scenario", "seconds", "rss_mb", "anon_mb", "file_mb")

    def write(self, *cells: str) -> None:
        if self._file is None:
            return
        with self._lock:
            self._file.write(",".join(cells) + "\n")
            self._file.flush()

    def reading(self, scenario: str, seconds: float, pid: int) -> float:
        rss, anon, file = memory_mb(pid)
        self.write(scenario, f"{seconds:.0f}", f"{rss:.2f}", f"{anon:.2f}", f"{file:.2f}")
        return rss

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


def rounds_recorded(home: Path) -> int:
    """Rounds the app stored in its history database (read-only, while or after it runs)."""
    db = app_paths({"TRAYWATCH_HOME": str(home)}).history_db
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return int(conn.execute("SELECT count(*) FROM rounds").fetchone()[0])


STOP = threading.Event()  # SIGINT/SIGTERM: end the run early, clean up, print what was measured


def soak(result: Soak, minutes: float, interval: float, sample_s: float, log: CsvLog) -> None:
    try:
        with contextlib.ExitStack() as stack:
            home = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            x = stack.enter_context(Xvfb())
            prefix = stack.enter_context(network_for_app(result.scenario, home))
            x.start_trayer()
            proc, _ = start_app(x, home, prefix, "--interval", f"{interval:g}")
            try:
                wait_for(lambda: SHOWN.search(log_text(home)), 30, "the icon", step=0.05)
                t0 = time.monotonic()
                while (now := time.monotonic() - t0) < minutes * 60 and not STOP.is_set():
                    if proc.poll() is not None:
                        result.error = f"the app exited with {proc.returncode}"
                        return
                    result.samples.append((now, log.reading(result.scenario, now, proc.pid)))
                    STOP.wait(sample_s)
                end = time.monotonic() - t0
                result.samples.append((end, log.reading(result.scenario, end, proc.pid)))
                result.rounds = rounds_recorded(home)
            finally:
                stop(proc)
    except Exception as exc:  # a benchmark reports what broke instead of dying half-way
        result.error = f"{type(exc).__name__}: {exc}"


def table(results: list[Soak], minutes: float, interval: float, warmup: float) -> str:
    head = f"traywatch tray soak: {minutes:g} min, a check every {interval:g} s, Xvfb + trayer, " + (
        APP[0] if APP else f"python -m traywatch, Python {sys.version.split()[0]}"
    )
    lines = [head] + [f"  {r.scenario}: {SCENARIOS[r.scenario]}" for r in results]
    rows = [("scenario", "after warm-up", "at the end", "highest", "rounds stored", "growth")]
    for r in results:
        if r.error or not r.samples:
            rows.append((r.scenario, "-", "-", "-", "-", r.error or "no samples"))
            continue
        after = [(t, m) for t, m in r.samples if t >= warmup * 60] or r.samples
        rows.append(
            (
                r.scenario,
                f"{after[0][1]:.1f} MB",
                f"{r.samples[-1][1]:.1f} MB",
                f"{max(m for _, m in r.samples):.1f} MB",
                str(r.rounds),
                f"{slope_mb_per_hour(after):+.2f} MB/hour",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.append("target: idle <= 90 MB, no growth over the run")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--interval", type=float, default=10.0, help="the app's check interval (s)")
    parser.add_argument("--sample", type=float, default=30.0, help="seconds between memory readings")
    parser.add_argument("--warmup", type=float, default=3.0, help="minutes left out of the slope")
    parser.add_argument("--scenario", choices=[*SCENARIOS, "both"], default="both")
    parser.add_argument("--app", type=Path, help="measure this executable instead")
    parser.add_argument("--csv", type=Path, help="write every reading to this file as it is taken")
    args = parser.parse_args()
    missing = [t for t in ("Xvfb", "trayer") if not shutil.which(t)]
    if missing:
        print(f"bench_tray_soak: needs {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.app:
        APP[:] = [str(args.app.resolve())]
    scenarios = list(SCENARIOS) if args.scenario == "both" else [args.scenario]
    if os.geteuid() != 0:
        print("bench_tray_soak: not root, so the app runs on this machine's own network", file=sys.stderr)
        scenarios = scenarios[:1]
    results = [Soak(s) for s in scenarios]
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: STOP.set())
    log = CsvLog(args.csv)
    threads = [
        threading.Thread(target=soak, args=(r, args.minutes, args.interval, args.sample, log))
        for r in results
    ]
    for t in threads:
        t.start()
    for t in threads:
        while t.is_alive():  # join with a timeout, so the signal handler runs at once
            t.join(0.5)
    log.close()
    print(table(results, args.minutes, args.interval, args.warmup))
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
