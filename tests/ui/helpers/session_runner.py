"""Run inside `dbus-run-session`: start the D-Bus stand-in desktop, then the given command.

    dbus-run-session -- python -m tests.ui.helpers.session_runner --record calls.jsonl -- CMD...

SIGTERM/SIGINT are passed on to the command; the stand-in is stopped when the command ends.
With `--restart-after SECONDS` the stand-in is stopped that long after the command started and a
new one started in its place (a desktop's panel restarting: the tray item must register again).
`--restart-drops N` makes that new one ignore the first N registrations (a panel still starting).
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from types import FrameType


def start_standin(cmd: list[str]) -> subprocess.Popen[str] | None:
    standin = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert standin.stdout is not None
    if standin.stdout.readline().strip() != "ready":
        standin.kill()
        sys.stderr.write("the D-Bus stand-in did not start\n")
        return None
    return standin


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--record", required=True)
    parser.add_argument("--click-after", type=float, default=-1.0)
    parser.add_argument("--restart-after", type=float, default=-1.0)
    parser.add_argument("--restart-drops", type=int, default=0)
    parser.add_argument("--capabilities", default=None, help="what the stand-in's GetCapabilities says")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    standin_cmd = [sys.executable, "-m", "tests.ui.helpers.dbus_standin", "--record", args.record]
    if args.click_after >= 0:
        standin_cmd += ["--click-after", str(args.click_after)]
    if args.capabilities is not None:
        standin_cmd += ["--capabilities", args.capabilities]
    standin = start_standin(standin_cmd)
    if standin is None:
        return 3
    app = subprocess.Popen(command)
    restart_at = time.monotonic() + args.restart_after if args.restart_after >= 0 else None

    def forward(signum: int, _frame: FrameType | None) -> None:
        app.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        while restart_at is not None and app.poll() is None:
            if time.monotonic() >= restart_at:
                restart_at = None
                standin.terminate()
                standin.wait(5)
                time.sleep(1.0)  # a moment without any tray host, as when a panel restarts
                again = [*standin_cmd, "--drop-registrations", str(args.restart_drops)]
                standin = start_standin(again) or standin
            time.sleep(0.05)
        return app.wait()
    finally:
        standin.terminate()
        standin.wait(5)


if __name__ == "__main__":
    sys.exit(main())
