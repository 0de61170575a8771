"""Benchmark of the check engine in real network namespaces (root needed); prints a table.

    python benchmarks/bench_engine.py

Measures, against a fake internet of our own (veth + our DNS + our HTTPS servers):
a healthy round's wall time; a round where every Meta address is silently dropped, with the
7 default services and with 3x as many; bytes on the wire per healthy round; and the start-up
time of `traywatch check` up to its first probe (no Qt imported); and the wall time of the whole
`traywatch check` command, start-up and Meta Status included, while every packet to Meta's
addresses and to metastatus.com is dropped, at the default deadline and a short one.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.netns import FakeInternet, NoRouteNamespace, netns_unavailable_reason  # noqa: E402

TIMEOUT_S = 8.0  # the default round deadline
STATUS_HOST = "metastatus.com"  # Meta Status at its real name, resolving to the fake internet
RUNS = 5


def check(ns: FakeInternet | NoRouteNamespace, home: Path) -> tuple[dict[str, object], float]:
    started = time.perf_counter()
    result = ns.run(
        [sys.executable, "-m", "traywatch", "check", "--json"],
        env={"TRAYWATCH_HOME": str(home), "PYTHONPATH": str(REPO)},
        timeout=120,
    )
    wall = time.perf_counter() - started
    return json.loads(result.stdout), wall


def watch_bytes(net: FakeInternet, home: Path) -> str:
    """Bytes on the wire for the third round of `traywatch watch` (sessions from earlier rounds)."""
    proc = net.popen(
        [sys.executable, "-m", "traywatch", "watch", "--json", "--interval", "1"],
        env={"TRAYWATCH_HOME": str(home), "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
    )
    marks = []
    try:
        assert proc.stdout is not None
        while len(marks) < 3:
            line = proc.stdout.readline()
            if not line:
                break
            if '"type": "round"' in str(line):
                marks.append(net.veth_bytes())
    finally:
        proc.terminate()
        proc.wait(10)
    return f"{(marks[2] - marks[1]) / 1024:.1f} KB" if len(marks) == 3 else "n/a"


def config(home: Path, ca_file: Path, extra_services: int = 0, timeout: float = TIMEOUT_S) -> None:
    lines = [f"[check]\ntimeout = {timeout}\n", f'[network]\nca_file = "{ca_file}"\n']
    for i in range(extra_services):
        target = ["https://www.facebook.com/", "https://www.instagram.com/", "https://web.whatsapp.com/"][
            i % 3
        ]
        lines.append(f'[[services.custom]]\nid = "extra{i}"\nname = "Extra {i}"\ntargets = ["{target}"]\n')
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "config.toml").write_text("".join(lines), "utf-8")


def main() -> int:
    reason = netns_unavailable_reason()
    if reason:
        print(f"cannot run: {reason}")
        return 1
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp, FakeInternet(extra_hosts=[STATUS_HOST]) as net:
        home = Path(tmp)
        config(home, net.ca_file)
        net.set_dns(STATUS_HOST, "nxdomain")  # the byte counts: probes only, as before
        check(net, home)  # warm up (page cache, .pyc)

        rounds = [check(net, home) for _ in range(RUNS)]
        healthy = statistics.median(float(str(r["duration_ms"])) for r, _ in rounds)
        assert all(r["verdict"] == "ok" for r, _ in rounds), rounds[0][0]["summary"]
        rows.append(("healthy round, 7 services + 6 references", f"{healthy:.0f} ms", "<= 1000 ms"))

        before = net.veth_bytes()
        check(net, home)
        used = net.veth_bytes() - before
        rows.append(("bytes sent+received per healthy round", f"{used / 1024:.1f} KB", "<= 50 KB"))

        rows.append(
            ("bytes per round while watching (TLS sessions resumed)", watch_bytes(net, home), "<= 50 KB")
        )

        net.drop("meta")
        for extra in (0, 14):
            config(home, net.ca_file, extra)
            data, _ = check(net, home)
            assert data["verdict"] == "meta_down", data["summary"]
            count = len(data["services"])  # type: ignore[arg-type]
            rows.append(
                (
                    f"all Meta addresses dropped, {count} services",
                    f"{float(str(data['duration_ms'])) / 1000:.2f} s",
                    f"<= {TIMEOUT_S + 1:.0f} s (timeout {TIMEOUT_S:.0f} s + 1)",
                )
            )
        net.reset_dns()
        net.drop(STATUS_HOST)  # Meta Status silent too: `check` must not wait a second budget
        for deadline in (TIMEOUT_S, 3.0):
            config(home, net.ca_file, timeout=deadline)
            walls = [check(net, home)[1] for _ in range(3)]
            rows.append(
                (
                    f"`traywatch check` wall, Meta + Meta Status dropped, deadline {deadline:.0f} s",
                    f"{max(walls):.2f} s",
                    f"<= {deadline + 1:.0f} s (deadline + 1, worst of 3)",
                )
            )
        net.undrop()

    with tempfile.TemporaryDirectory() as tmp, NoRouteNamespace() as ns:
        starts = []
        for _ in range(RUNS):
            data, wall = check(ns, Path(tmp))
            starts.append(wall - float(str(data["duration_ms"])) / 1000)
        startup = statistics.median(starts)
        rows.append(("`traywatch check` start-up to first probe (no Qt)", f"{startup:.2f} s", "<= 0.5 s"))

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'result':>10}  target")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 26}")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>10}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
