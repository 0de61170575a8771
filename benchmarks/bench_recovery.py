"""Benchmark: Meta's return -> the recovery alert, in `watch` and in the tray; prints a table.

    python benchmarks/bench_recovery.py [--cases all|quick] [--settle SECONDS]

Runs in a fake internet of our own (network namespaces, our DNS and HTTPS servers; root needed).
Every Meta address is silently dropped, either before the app starts ("started during") or once
it has confirmed that all is fine ("while running"). After the outage alert the app is left
alone long enough for the full checks to back off (`--settle`, default 1.5 x interval + 5 s),
then Meta comes back, and the time until the recovery alert is measured: `watch --json`'s alert
line, or the tray app's "notification: … back" log line (offscreen Qt, so no desktop is
needed; the policy logs every notice it lets through). The target is interval + 20 s.
For `watch` it also measures the bytes on the wire per round while Meta is down and the full
checks back off (canaries only): the target is 50 KB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.netns import FakeInternet, netns_unavailable_reason  # noqa: E402

DEFAULT_INTERVAL_S = 60.0  # `[check] interval` when nothing is configured
ALL_CASES = [
    ("watch", 10.0, True),
    ("watch", 10.0, False),
    ("tray", 10.0, True),
    ("tray", 10.0, False),
    ("watch", None, True),
    ("tray", None, True),
    ("watch", None, False),
    ("tray", None, False),
]
QUICK_CASES = ALL_CASES[:4]


@dataclass
class Result:
    app: str
    interval_s: float
    started_during: bool
    latency_s: float | None
    down_round_kb: float | None


class Output:
    """What the app says, each line with the monotonic time it was seen."""

    def __init__(self) -> None:
        self.lines: list[tuple[float, str]] = []
        self.lock = threading.Lock()

    def add(self, line: str) -> None:
        with self.lock:
            self.lines.append((time.monotonic(), line))

    def first(self, match: Callable[[str], bool], after: float = 0.0) -> float | None:
        with self.lock:
            return next((t for t, line in self.lines if t >= after and match(line)), None)


def follow_stdout(proc: subprocess.Popen[str], out: Output) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        out.add(line)


def follow_log(path: Path, out: Output, stop: threading.Event) -> None:
    offset = 0
    while not stop.is_set():
        if path.exists():
            with path.open("r", encoding="utf-8", errors="replace") as fh:
                fh.seek(offset)
                for line in fh.readlines():
                    out.add(line)
                offset = fh.tell()
        time.sleep(0.1)


def wait(what: str, timeout: float, found: Callable[[], float | None]) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = found()
        if value is not None:
            return value
        time.sleep(0.1)
    raise TimeoutError(f"no {what} within {timeout:.0f} s")


def alert_of(line: str, kinds: tuple[str, ...]) -> bool:
    if line.startswith("{"):
        data: dict[str, Any] = json.loads(line)
        return data.get("type") == "alert" and data.get("kind") in kinds
    if "notification: " not in line:
        return False
    told = line.split("notification: ", 1)[1]
    if "meta_recovered" in kinds:
        return " back — " in told and "internet" not in told.lower()
    return told.lower().startswith(("meta is down", "traywatch started: meta is down"))


def is_round(line: str) -> bool:
    return line.startswith('{"type": "round"')


def one_case(app: str, interval: float | None, started_during: bool, settle: float | None) -> Result:
    every = interval or DEFAULT_INTERVAL_S
    settle_s = settle if settle is not None else 1.5 * every + 5
    with tempfile.TemporaryDirectory() as tmp, FakeInternet() as net:
        home = Path(tmp)
        (home / "config").mkdir()
        (home / "config" / "config.toml").write_text(f'[network]\nca_file = "{net.ca_file}"\n', "utf-8")
        env = {"TRAYWATCH_HOME": str(home), "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
        args = ["--interval", f"{interval:g}"] if interval else []
        command = [sys.executable, "-m", "traywatch", *(["watch", "--json"] if app == "watch" else []), *args]
        if started_during:
            net.drop("meta")
        out, stop = Output(), threading.Event()
        proc = net.popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        readers = [threading.Thread(target=follow_stdout, args=(proc, out), daemon=True)]
        if app == "tray":
            log = home / "logs" / "traywatch.log"
            readers.append(threading.Thread(target=follow_log, args=(log, out, stop), daemon=True))
        for reader in readers:
            reader.start()
        try:
            if not started_during:
                time.sleep(min(15.0, every) + 10)  # the first verdict, confirmed: all is fine
                net.drop("meta")
            alerted = wait(
                "outage alert", 3 * every + 60, lambda: out.first(lambda s: alert_of(s, ("meta_down",)))
            )
            kb = None
            if app == "watch":  # a round while the full checks back off: canaries only
                first = wait("round", 2 * every + 20, lambda: out.first(is_round, alerted + every))
                before = net.veth_bytes()
                wait("next round", 2 * every + 20, lambda: out.first(is_round, first + 0.01))
                kb = (net.veth_bytes() - before) / 1024
            time.sleep(max(0.0, alerted + settle_s - time.monotonic()))
            net.undrop()
            back = time.monotonic()
            kinds = ("meta_recovered",)
            told = wait("recovery alert", every + 240, lambda: out.first(lambda s: alert_of(s, kinds), back))
            latency: float | None = told - back
        except TimeoutError as exc:
            print(f"bench_recovery: {app} every {every:g} s: {exc}", file=sys.stderr)
            latency, kb = None, None
        finally:
            stop.set()
            proc.terminate()
            proc.wait(20)
    return Result(app, every, started_during, latency, kb)


def table(results: list[Result]) -> str:
    rows = [("app", "interval", "started", "Meta back -> alert", "target", "bytes/round while down")]
    for r in results:
        latency = "none" if r.latency_s is None else f"{r.latency_s:.1f} s"
        kb = "-" if r.down_round_kb is None else f"{r.down_round_kb:.1f} KB (<= 50 KB)"
        started = "during outage" if r.started_during else "before outage"
        rows.append((r.app, f"{r.interval_s:g} s", started, latency, f"<= {r.interval_s + 20:g} s", kb))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", choices=["all", "quick"], default="all", help="quick: --interval 10 only")
    parser.add_argument("--settle", type=float, default=None, help="seconds between outage alert and return")
    args = parser.parse_args()
    reason = netns_unavailable_reason()
    if reason:
        print(f"cannot run: {reason}")
        return 1
    cases = ALL_CASES if args.cases == "all" else QUICK_CASES
    results = []
    for app, interval, during in cases:
        results.append(one_case(app, interval, during, args.settle))
        print(table(results[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
