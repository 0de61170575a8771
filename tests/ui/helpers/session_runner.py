"""Run inside `dbus-run-session`: start the D-Bus stand-in desktop, then the given command.

    dbus-run-session -- python -m tests.ui.helpers.session_runner --record calls.jsonl -- CMD...

SIGTERM/SIGINT are passed on to the command; the stand-in is stopped when the command ends.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from types import FrameType


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--record", required=True)
    parser.add_argument("--click-after", type=float, default=-1.0)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    standin_cmd = [sys.executable, "-m", "tests.ui.helpers.dbus_standin", "--record", args.record]
    if args.click_after >= 0:
        standin_cmd += ["--click-after", str(args.click_after)]
    standin = subprocess.Popen(standin_cmd, stdout=subprocess.PIPE, text=True)
    assert standin.stdout is not None
    if standin.stdout.readline().strip() != "ready":
        standin.kill()
        sys.stderr.write("the D-Bus stand-in did not start\n")
        return 3
    app = subprocess.Popen(command)

    def forward(signum: int, _frame: FrameType | None) -> None:
        app.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        return app.wait()
    finally:
        standin.terminate()
        standin.wait(5)


if __name__ == "__main__":
    sys.exit(main())
