"""Round times of `traywatch watch --interval 1` while another process holds the history in an
exclusive transaction for the whole run, and how long SIGTERM then takes (as root: the watch runs
in a network namespace without a route, so its rounds are quick and touch no network).

    python benchmarks/bench_locked_history.py [--seconds 30] [--code DIR]

`--code` runs the traywatch found in DIR instead of this checkout's (e.g. an older commit from
`git archive`), to compare before and after.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.integration.history.hostile import WATCH_CONFIG, ExclusiveHolder  # noqa: E402
from tests.support.netns import NoRouteNamespace, netns_unavailable_reason  # noqa: E402
from traywatch.core.history import HistoryStore  # noqa: E402


def measure(code: Path, seconds: float, home: Path) -> dict[str, float]:
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(WATCH_CONFIG, "utf-8")
    db = home / "data" / "history.sqlite3"
    HistoryStore.open(db).close()
    arrivals: list[float] = []
    with ExclusiveHolder(db), NoRouteNamespace() as ns:
        started = time.monotonic()
        proc = ns.popen(
            [sys.executable, "-m", "traywatch", "watch", "--json", "--interval", "1"],
            env={"TRAYWATCH_HOME": str(home), "PYTHONPATH": str(code), "PYTHONDONTWRITEBYTECODE": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=code,  # `python -m` looks in the current folder before PYTHONPATH
        )

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                if json.loads(line).get("type") == "round":
                    arrivals.append(time.monotonic() - started)

        threading.Thread(target=read, daemon=True).start()
        time.sleep(seconds)
        asked = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        code_ = proc.wait(120)
        stop_s = time.monotonic() - asked
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    return {
        "rounds": len(arrivals),
        "first_round_s": arrivals[0] if arrivals else float("nan"),
        "max_gap_s": max(gaps, default=float("nan")),
        "mean_gap_s": sum(gaps) / len(gaps) if gaps else float("nan"),
        "exit": code_,
        "stop_s": stop_s,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--code", type=Path, default=REPO, help="root of the traywatch code to run")
    args = parser.parse_args()
    reason = netns_unavailable_reason()
    if reason is not None:
        print(f"skipped: {reason}")
        return 0
    home = Path(tempfile.mkdtemp(prefix="traywatch-bench-locked-"))
    try:
        r = measure(args.code, args.seconds, home)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(f"{args.code}: history locked for the whole {args.seconds:g} s run, --interval 1")
    print(f"  rounds: {r['rounds']:.0f}, first after {r['first_round_s']:.2f} s")
    print(f"  gaps between rounds: max {r['max_gap_s']:.2f} s, mean {r['mean_gap_s']:.2f} s")
    print(f"  SIGTERM: exit {r['exit']:.0f} after {r['stop_s']:.1f} s (history still locked)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
