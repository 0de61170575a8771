"""Benchmark of forwarding: the delay from a confirmed alert to the webhook receiving it, and the
memory cost of importing Apprise.

Run (as root, for the network namespace): python benchmarks/bench_forward.py [--runs 5]
- end to end: `traywatch watch` in a namespace with no route (our own internet down), a JSON
  webhook on the namespace's loopback (the shop's own network). Delay = the webhook's arrival time
  minus the time `watch` printed the alert line (the printer runs before the forwarder). Each run
  is a fresh process, so it includes importing Apprise on first use.
- in process: Forwarder.submit + pump to a local webhook, Apprise already loaded (warm).
- memory: VmRSS from /proc/self/status before and after `import apprise`, in a fresh interpreter.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.forward_run import next_alert, start_watch, start_webhook, stop, wait_received
from tests.support.netns import NoRouteNamespace, netns_unavailable_reason
from tests.support.smtp_sink import free_port
from tests.support.webhook_server import read_received

RSS = """
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS'):
            return int(line.split()[1])
before = rss()
import apprise
print(before, rss())
"""


def end_to_end(runs: int) -> list[float]:
    delays = []
    with tempfile.TemporaryDirectory() as tmp, NoRouteNamespace() as ns:
        home, received = Path(tmp) / "home", Path(tmp) / "received.jsonl"
        (home / "config").mkdir(parents=True)
        (home / "config" / "config.toml").write_text(
            '[check]\nconfirm_delay = 0\ntimeout = 2\n[forward]\nurls = ["json://127.0.0.1:8787/hook"]\n'
        )
        start_webhook(ns, 8787, received)
        for n in range(runs):
            watch = start_watch(ns, home)
            _, printed = next_alert(watch)
            got = wait_received(received, n + 1)
            stop(watch)
            delays.append((float(got[n]["at"]) - printed) * 1000)  # type: ignore[arg-type]
    return delays


def in_process(runs: int) -> list[float]:
    from traywatch.core.forward.forwarder import Forwarder
    from traywatch.core.forward.outbox import Outbox
    from traywatch.core.forward.settings import ForwardSettings
    from traywatch.core.forward.targets import Target
    from traywatch.core.models import Alert, AlertKind
    from traywatch.core.notify.settings import NotificationSettings

    port = free_port()
    delays = []
    with tempfile.TemporaryDirectory() as tmp:
        received = Path(tmp) / "received.jsonl"
        server = subprocess.Popen(
            [sys.executable, "-m", "tests.support.webhook_server", str(port), str(received)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        try:
            assert server.stdout is not None and server.stdout.readline().strip() == "ready"
            settings = ForwardSettings(targets=(Target(f"json://127.0.0.1:{port}/hook"),))
            fwd = Forwarder(settings, NotificationSettings(), Outbox(Path(tmp) / "h.sqlite3"))
            for n in range(runs + 1):  # the first one loads Apprise: not counted
                start = time.time()
                alert = Alert(AlertKind.META_DOWN, f"Meta is down #{n}", "m", (), datetime.now(UTC))
                fwd.submit([alert])
                fwd.pump()
                got = wait_received(received, n + 1)
                if n:
                    delays.append((float(got[n]["at"]) - start) * 1000)  # type: ignore[arg-type]
            fwd.stop()
            assert len(read_received(received)) == runs + 1
        finally:
            server.terminate()
            server.wait()
    return delays


def row(name: str, values: list[float], unit: str) -> str:
    med, worst = statistics.median(values), max(values)
    return f"| {name:<50} | {len(values):>4} | {med:>9.1f} {unit:<2} | {worst:>9.1f} {unit:<2} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    before, after = (int(x) for x in subprocess.check_output([sys.executable, "-c", RSS], text=True).split())
    print("| measure                                            | runs |     median   |      worst   |")
    print("|----------------------------------------------------|------|--------------|--------------|")
    print(row("import apprise: RSS added (fresh interpreter)", [(after - before) / 1024], "MB"))
    print(row("alert -> webhook, in process (Apprise warm)", in_process(args.runs * 4), "ms"))
    reason = netns_unavailable_reason()
    if reason:
        print(f"(end to end skipped: {reason})")
    else:
        print(row("alert printed by watch -> webhook (fresh process)", end_to_end(args.runs), "ms"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
