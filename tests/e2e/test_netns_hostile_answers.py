"""End to end, hostile answers in a fake internet of our own (network namespaces): a redirect
address no parser can read fails one probe and never the round (`check` ends with a verdict and
its exit code, `watch` goes on), and control characters a server puts in its answer reach neither
the terminal nor the history that `traywatch history` replays."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.fake_web import Reply
from tests.support.netns import FakeInternet

pytestmark = pytest.mark.netns

REPO = Path(__file__).resolve().parents[2]
PLAIN_REFERENCES = ("connectivitycheck.gstatic.com", "cp.cloudflare.com", "www.msftconnecttest.com")


def exit_code(verdict: str) -> int:
    return {"ok": 0, "meta_partial": 1, "meta_down": 1}.get(verdict, 3)


def env(home: Path) -> dict[str, str]:
    return {"TRAYWATCH_HOME": str(home), "PYTHONPATH": str(REPO)}


def traywatch(net: FakeInternet, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return net.run([sys.executable, "-m", "traywatch", *args], env=env(home), timeout=60)


@pytest.fixture
def fake(internet: FakeInternet, traywatch_home: Path) -> Iterator[FakeInternet]:
    (traywatch_home / "config").mkdir(parents=True, exist_ok=True)
    (traywatch_home / "config" / "config.toml").write_text(
        f'[check]\ntimeout = 3\nconfirm_delay = 1\n[network]\nca_file = "{internet.ca_file}"\n'
        "[official]\nenabled = false\n",
        "utf-8",
    )
    yield internet
    internet.reset()


@pytest.mark.parametrize("location", ["http://evil[.example/", "http://[x]/"])
def test_a_reference_redirecting_to_garbage_fails_that_check_and_the_round_ends_with_a_verdict(
    fake: FakeInternet, traywatch_home: Path, location: str
) -> None:
    fake.set_host("connectivitycheck.gstatic.com", Reply(302, {"Location": location}, ""))
    result = traywatch(fake, traywatch_home, "check", "--json")
    assert "Traceback" not in result.stderr, result.stderr
    data = json.loads(result.stdout)
    assert data["verdict"] == "ok", data["summary"]  # one odd reference is noise
    assert result.returncode == 0


def test_every_plain_reference_redirecting_to_garbage_still_gives_a_verdict(
    fake: FakeInternet, traywatch_home: Path
) -> None:
    for host in PLAIN_REFERENCES:
        fake.set_host(host, Reply(302, {"Location": "http://evil[.example/"}, ""))
    fake.set_host("www.instagram.com", Reply(302, {"Location": "http://[x]/"}, ""))
    result = traywatch(fake, traywatch_home, "check", "--json")
    assert "Traceback" not in result.stderr, result.stderr
    data = json.loads(result.stdout)
    assert result.returncode == exit_code(data["verdict"]), data["summary"]
    states = {s["id"]: s["state"] for s in data["services"]}
    assert states["facebook"] == "up"
    assert states["instagram"] in ("down", "unknown")


def test_watch_goes_on_and_an_escape_in_a_redirect_reaches_neither_its_output_nor_the_history(
    fake: FakeInternet, traywatch_home: Path
) -> None:
    fake.set_host("www.instagram.com", Reply(302, {"Location": "http://evil\x1bc.example/"}, ""))
    fake.set_host("connectivitycheck.gstatic.com", Reply(302, {"Location": "http://[x]/"}, ""))  # and goes on
    watch = fake.popen(
        [sys.executable, "-m", "traywatch", "watch", "--interval", "2"],
        env=env(traywatch_home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and watch.poll() is None:
            shown = traywatch(fake, traywatch_home, "history", "--since", "1h").stdout
            if "evil" in shown:
                time.sleep(2.5)  # one more round (every 2 s): watching goes on
                break
            time.sleep(1)
    finally:
        watch.send_signal(signal.SIGTERM)
        out, err = watch.communicate(timeout=30)
    assert "Traceback" not in err, err
    assert len([line for line in out.splitlines() if '"type": "round"' in line]) >= 2
    assert "evil" in out  # each round, as JSON lines when piped: not even escaped there
    assert "\x1b" not in out and "\\u001b" not in out.lower()
    history = traywatch(fake, traywatch_home, "history", "--since", "1h")
    assert "evil" in history.stdout, history.stdout
    assert "\x1b" not in history.stdout + history.stderr
