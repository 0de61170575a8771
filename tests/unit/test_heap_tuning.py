"""The tray's glibc heap setting: when the app starts itself again, with what, and when not.
(The real start is in tests/e2e/test_tray_xvfb.py: the running tray's own environment.)"""

from __future__ import annotations

import json
import subprocess
import sys

from traywatch.platform.heap_tuning import WANTED, command_again, tuned_environment


def test_linux_with_glibc_gets_the_caches_off_and_keeps_the_rest() -> None:
    env = tuned_environment({"HOME": "/root"}, "linux", "glibc")
    assert env == {"HOME": "/root", "GLIBC_TUNABLES": WANTED}
    own = tuned_environment({"GLIBC_TUNABLES": "glibc.malloc.arena_max=2"}, "linux", "glibc")
    assert own is not None and own["GLIBC_TUNABLES"] == f"glibc.malloc.arena_max=2:{WANTED}"


def test_nothing_to_do_once_set_by_us_or_the_owner_or_off_glibc() -> None:
    assert tuned_environment({"GLIBC_TUNABLES": WANTED}, "linux", "glibc") is None  # no loop
    owner = {"GLIBC_TUNABLES": "glibc.malloc.tcache_count=7:glibc.malloc.arena_max=2"}
    assert tuned_environment(owner, "linux", "glibc") is None
    assert tuned_environment({}, "linux", "musl") is None
    assert tuned_environment({}, "win32", "") is None
    assert tuned_environment({}, "darwin", "") is None


def test_the_command_line_is_the_same_again() -> None:
    py = "/usr/bin/python3"
    started = ["python3", "-X", "dev", "-m", "traywatch", "--interval", "5"]
    assert command_again(py, started, frozen=False) == [py, *started[1:]]
    assert command_again(py, ["python3", "/usr/local/bin/traywatch"], frozen=False) == [
        py, "/usr/local/bin/traywatch",
    ]  # fmt: skip
    bundle = "/opt/traywatch/traywatch"
    assert command_again(bundle, argv=[bundle, "--lang", "es"], frozen=True) == [bundle, "--lang", "es"]


def test_a_real_interpreter_gets_its_own_options_and_arguments_back() -> None:
    code = (
        "import json; from traywatch.platform.heap_tuning import command_again; "
        "print(json.dumps(command_again()))"
    )
    out = subprocess.run(
        [sys.executable, "-X", "utf8", "-c", code, "--lang", "es"], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == [sys.executable, "-X", "utf8", "-c", code, "--lang", "es"]
