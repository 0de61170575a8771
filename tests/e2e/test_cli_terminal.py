"""The command line as a real process at the mercy of its terminal: a reader that goes away
(`| head -1`), a full output (`> /dev/full`), no output at all (`>&-`), and consoles that cannot
show every character (`PYTHONIOENCODING=cp1252`, what Windows gives a pipe; `LC_ALL=C`).

Never a traceback: a closed pipe ends quietly (as `yes | head -1` does), a full or closed output
gives one clear line and exit 2, and text the console cannot show is replaced, not crashed on
(JSON stays exact by escaping). `check` and `watch` probe, so they run in a namespace with no
route; `history` only reads its file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.netns import NoRouteNamespace, skip_unless_netns
from tests.unit.history.synthetic import Driver
from traywatch.core.history import Recorder
from traywatch.core.paths import app_paths

REPO = Path(__file__).resolve().parents[2]
TRAYWATCH = [sys.executable, "-m", "traywatch"]
# An em dash (cp1252 has it, ASCII has not), Japanese and an arrow (neither has them).
SUMMARY = "Instagram — 接続 → down"
DETAIL = "Fehler — 接続 → HTTP 503"


@pytest.fixture(scope="module")
def no_route() -> Iterator[NoRouteNamespace]:
    skip_unless_netns()
    with NoRouteNamespace() as ns:
        yield ns


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The children inherit this environment: no proxies, no encoding or locale chosen for them."""
    for name in list(os.environ):
        if "proxy" in name.lower() or name in ("PYTHONIOENCODING", "PYTHONUTF8", "LC_ALL", "LC_CTYPE"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def recorded(traywatch_home: Path) -> Path:
    """A history with incidents whose words no legacy code page holds entirely."""
    driver = Driver(start=datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1))
    with Recorder(app_paths().history_db, interval_s=60, clock=driver.clock) as rec:
        driver.listeners.append(rec)
        driver.rounds(5)
        driver.rounds(10, down=["instagram"], summary=SUMMARY, detail=DETAIL)
        driver.rounds(5)
    return traywatch_home


def run_history(env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*TRAYWATCH, "history", *args],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        timeout=60,
        check=False,
    )


def one_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    assert "Traceback" not in text, text
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


# -- a reader that goes away ------------------------------------------------------------------------
def test_watch_piped_into_head_ends_quietly_when_head_has_its_line(no_route: NoRouteNamespace) -> None:
    """`traywatch watch | head -1`: the reader leaves after one line; watch notices at its next
    write and ends at once, exit 0, saying nothing (no BrokenPipeError every round)."""
    proc = no_route.popen(
        [*TRAYWATCH, "watch", "--interval", "0.3"],
        env={},
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    assert json.loads(first)["type"] == "round"
    proc.stdout.close()  # what head does once it has its line
    started = time.monotonic()
    try:
        code = proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"watch still runs 20 s after its reader left; stderr: {proc.stderr.read()[:2000]!r}")
    err = proc.stderr.read().decode("utf-8", "replace")
    assert code == 0, err
    assert err == ""
    assert time.monotonic() - started < 5


# -- a full or closed output ------------------------------------------------------------------------
@pytest.mark.parametrize("command", [["check"], ["check", "--json"], ["watch", "--interval", "0.3"]])
def test_a_full_output_is_one_clear_line_and_exit_2(
    no_route: NoRouteNamespace, command: list[str], traywatch_home: Path
) -> None:
    with open("/dev/full", "wb") as full:
        proc = no_route.popen([*TRAYWATCH, *command], env={}, cwd=REPO, stdout=full, stderr=subprocess.PIPE)
        _, err = proc.communicate(timeout=60)
    line = one_line(err)
    assert proc.returncode == 2, line
    assert "cannot write" in line and "No space left on device" in line


def test_history_into_a_full_output_is_one_clear_line(recorded: Path) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [*TRAYWATCH, "history"], cwd=REPO, stdout=full, stderr=subprocess.PIPE, timeout=60, check=False
        )
    line = one_line(result.stderr)
    assert result.returncode == 2, line
    assert "No space left on device" in line


@pytest.mark.parametrize("command", [["watch", "--interval", "0.3"], ["check"]])
def test_a_closed_output_is_said_before_any_checking(no_route: NoRouteNamespace, command: list[str]) -> None:
    """`traywatch watch >&-`: no AttributeError; one line saying where the output went, at once."""
    started = time.monotonic()
    result = no_route.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", *TRAYWATCH, *command], env={}, cwd=REPO, timeout=60
    )
    line = one_line(result.stderr.encode())
    assert result.returncode == 2, line
    assert "standard output is closed" in line
    assert time.monotonic() - started < 10


# -- consoles that cannot show every character ------------------------------------------------------
def test_history_to_a_cp1252_console_replaces_what_it_cannot_show(recorded: Path) -> None:
    """What Windows does with `traywatch history > file.txt`: the text is cp1252."""
    result = run_history({"PYTHONIOENCODING": "cp1252"})
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    out = result.stdout.decode("cp1252")
    assert "Instagram down" in out
    assert "Fehler — ?? -> HTTP 503" in out  # what cp1252 has is kept, the rest spelt out


def test_history_in_the_c_locale_is_plain_ascii(recorded: Path) -> None:
    result = run_history({"LC_ALL": "C", "PYTHONUTF8": "0"})
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    out = result.stdout.decode("ascii")  # every byte is ASCII
    assert "Instagram down" in out and "Fehler - ?? -> HTTP 503" in out


@pytest.mark.parametrize("fmt", ["--json", "--csv"])
def test_history_data_in_the_c_locale_does_not_crash(recorded: Path, fmt: str) -> None:
    result = run_history({"LC_ALL": "C", "PYTHONUTF8": "0"}, fmt)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    if fmt == "--json":  # escaped, so nothing is lost
        summaries = [i["summary"] for i in json.loads(result.stdout.decode("ascii"))["incidents"]]
        assert SUMMARY in summaries
    else:
        assert "Instagram - ?? -> down" in result.stdout.decode("ascii")


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "ascii"])
def test_check_json_to_a_legacy_console_is_exact_ascii_json(
    no_route: NoRouteNamespace, encoding: str
) -> None:
    """The summary has an em dash: escaped (\\u2014), the JSON is ASCII, valid UTF-8 and exact."""
    proc = no_route.popen(
        [*TRAYWATCH, "check", "--json"],
        env={"PYTHONIOENCODING": encoding},
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 3, err.decode("utf-8", "replace")
    data = json.loads(out.decode("ascii"))
    assert data["verdict"] == "internet_down"
    assert "—" in data["summary"]


def test_errors_in_the_c_locale_are_readable(traywatch_home: Path) -> None:
    """A mistake's message quoting the file's own words reaches an ASCII stderr readable, once."""
    (traywatch_home / "config").mkdir(parents=True)
    (traywatch_home / "config" / "config.toml").write_text('[check]\ninterval = "fast → faster"\n', "utf-8")
    result = run_history({"LC_ALL": "C", "PYTHONUTF8": "0"})
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert "check.interval" in line and "'fast -> faster'" in line
