"""The command line: the JSON contract, exit codes, clear errors, and Qt never imported headless.

Rounds use a replacement catalogue whose targets are 127.0.0.1 ports where nothing listens:
every probe is refused at once, which is "your internet is down" without touching the network.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from traywatch import __version__
from traywatch.cli import main

REPO = Path(__file__).resolve().parents[2]
ROUND_KEYS = {
    *("verdict", "summary", "internet", "services", "checked_at", "duration_ms"),
    *("official", "account"),  # Meta's own word and the signed-in check, beside our measurement
}
SERVICE_KEYS = {"id", "name", "state", "failed_layer", "latency_ms", "detail", "note", "official_state"}


def free_ports(n: int) -> list[int]:
    """Ports nothing listens on (bound and released at once)."""
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def dead_catalogue(folder: Path) -> Path:
    p = free_ports(6)
    path = folder / "dead-catalogue.toml"
    path.write_text(
        f"""
meta_domains = ["facebook.com", "instagram.com", "whatsapp.net"]
error_phrases = ["Sorry, something went wrong"]

[[reference]]
id = "plain"
provider = "Local plain"
url = "http://127.0.0.1:{p[0]}/generate_204"
expect_status = [204]

[[reference]]
id = "secure"
provider = "Local secure"
url = "https://127.0.0.1:{p[1]}/generate_204"
expect_status = [204]

[[service]]
id = "facebook"
name = "Facebook"
targets = ["https://127.0.0.1:{p[2]}/"]

[[service]]
id = "instagram"
name = "Instagram"
targets = ["http://127.0.0.1:{p[3]}/"]

[[service]]
id = "whatsapp"
name = "WhatsApp"
targets = ["https://127.0.0.1:{p[4]}/", "tcp://127.0.0.1:{p[5]}"]
""",
        "utf-8",
    )
    return path


@pytest.fixture(autouse=True)
def _no_proxies_and_logging_restored(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """main() configures the root logger and the excepthook: put pytest's back afterwards."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    handlers, level, hook = list(root.handlers), root.level, sys.excepthook
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    sys.excepthook = hook


@pytest.fixture
def config_file(traywatch_home: Path) -> Path:
    """The default config location under TRAYWATCH_HOME, pointing at the dead catalogue."""
    folder = traywatch_home / "config"
    folder.mkdir(parents=True)
    catalogue = dead_catalogue(folder)
    path = folder / "config.toml"
    path.write_text(f'[catalogue]\nfile = "{catalogue.name}"\n[check]\ntimeout = 5\n', "utf-8")
    return path


def broken_config(folder: Path) -> Path:
    path = folder / "broken.toml"
    path.write_text('[check]\ninterval = "fast"\n', "utf-8")
    return path


# -- check ------------------------------------------------------------------------------------------
def test_check_json_prints_one_contract_object_and_exits_3_when_nothing_answers(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", "--json"])
    out = capsys.readouterr().out

    assert code == 3
    lines = out.splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert set(data) == ROUND_KEYS
    assert data["verdict"] == "internet_down"
    assert "not Meta" in data["summary"]
    assert data["internet"] == {"state": "down", "detail": data["internet"]["detail"]}
    assert isinstance(data["internet"]["detail"], str) and data["internet"]["detail"]
    assert [s["id"] for s in data["services"]] == ["facebook", "instagram", "whatsapp"]
    for service in data["services"]:
        assert set(service) == SERVICE_KEYS
        assert service["state"] == "unknown"
        assert service["failed_layer"] == "tcp"
        assert service["latency_ms"] is None
        assert isinstance(service["detail"], str)
    assert data["checked_at"].endswith("Z")
    checked_at = datetime.fromisoformat(data["checked_at"].replace("Z", "+00:00"))
    assert checked_at.utcoffset() is not None and checked_at.utcoffset().total_seconds() == 0
    assert isinstance(data["duration_ms"], int | float) and 0 <= data["duration_ms"] < 5000


def test_check_with_config_flag_on_the_subcommand(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--json", "--config", str(broken_config(tmp_path))]) == 2


def test_config_flag_before_the_subcommand_is_not_ignored(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = broken_config(tmp_path)
    assert main(["--config", str(broken), "check", "--json"]) == 2
    assert str(broken) in capsys.readouterr().err


def test_broken_config_exits_2_naming_file_and_key_without_traceback(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_file.write_text('[check]\ninterval = "fast"\n', "utf-8")
    code = main(["check", "--json"])
    captured = capsys.readouterr()

    assert code == 2
    assert captured.out == ""
    assert str(config_file) in captured.err
    assert "[check.interval]" in captured.err and "must be a number" in captured.err
    assert "Traceback" not in captured.err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"traywatch {__version__}"


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2


def test_tray_without_a_display_exits_2_and_points_to_check(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    code = main([])
    err = capsys.readouterr().err
    assert code == 2
    assert "traywatch check" in err
    assert "Traceback" not in err


# -- watch ------------------------------------------------------------------------------------------
def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(TRAYWATCH_HOME=str(home), PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    return env


@contextlib.contextmanager
def watch_process(env: dict[str, str], interval: str) -> Iterator[subprocess.Popen[str]]:
    """`traywatch watch --json` as a child; killed if a test leaves it (or it hangs 60 s)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "traywatch", "watch", "--json", "--interval", interval],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    killer = threading.Timer(60, proc.kill)  # a hung watch must not hang the suite
    killer.start()
    try:
        yield proc
    finally:
        killer.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def stop_watch(proc: subprocess.Popen[str], signum: int) -> str:
    """Send `signum`; the watch must stop cleanly (exit 0, no traceback). Returns the rest of stdout."""
    proc.send_signal(signum)
    rest, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    return rest


def history_incidents(env: dict[str, str]) -> list[dict[str, object]]:
    """The incidents `traywatch history --json` reads back from the file."""
    history = subprocess.run(
        [sys.executable, "-m", "traywatch", "history", "--json"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    incidents: list[dict[str, object]] = json.loads(history.stdout)["incidents"]
    return incidents


def test_watch_json_prints_rounds_and_the_alert_then_stops_cleanly_on_sigint(
    config_file: Path, traywatch_home: Path
) -> None:
    lines: list[dict[str, object]] = []
    with watch_process(_env(traywatch_home), "0.2") as proc:
        assert proc.stdout is not None
        for raw in proc.stdout:
            lines.append(json.loads(raw))
            if sum(1 for line in lines if line["type"] == "round") >= 4:
                break
        rest = stop_watch(proc, signal.SIGINT)

    lines += [json.loads(raw) for raw in rest.splitlines()]
    rounds = [line for line in lines if line["type"] == "round"]
    alerts = [line for line in lines if line["type"] == "alert"]
    assert len(rounds) >= 4
    assert all(set(r) == ROUND_KEYS | {"type"} and r["verdict"] == "internet_down" for r in rounds)
    assert [a["kind"] for a in alerts] == ["internet_down"]  # once, after the confirming round
    assert alerts[0]["services"] == []


def test_all_of_the_core_and_the_cli_import_with_qt_blocked() -> None:
    """Beside the import-linter contract (tests/run.sh): every module of traywatch.core, and the
    CLI, really import in a Python where PySide6 and shiboken6 cannot be imported at all."""
    code = (
        "import sys, importlib, pkgutil; sys.modules['PySide6'] = None; sys.modules['shiboken6'] = None\n"
        "import traywatch.core, traywatch.cli\n"
        "names = [m.name for m in pkgutil.walk_packages(traywatch.core.__path__, 'traywatch.core.')]\n"
        "for name in names: importlib.import_module(name)\n"
        "assert len(names) > 40, names\n"
        "print(len(names))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 40


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_watch_stopped_by_sigterm_or_sighup_ends_its_history_session_cleanly(
    config_file: Path, traywatch_home: Path, signum: signal.Signals
) -> None:
    """What systemd (SIGTERM) or a closed terminal (SIGHUP) does is a normal stop, not a crash:
    exit 0, and the history has no "stopped unexpectedly" note on the open incident."""
    env = _env(traywatch_home)
    with watch_process(env, "2") as proc:
        assert proc.stdout is not None
        alerted = False
        for raw in proc.stdout:
            kind = json.loads(raw)["type"]
            if alerted and kind == "round":  # the internet-down incident is open and has grown
                break
            alerted = alerted or kind == "alert"
        stop_watch(proc, signum)

    incidents = history_incidents(env)
    assert [i["kind"] for i in incidents] == ["internet"]
    assert incidents[0]["end_reason"] == "app_stopped"
    assert "unexpectedly" not in (incidents[0]["note"] or "")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_right_after_an_alert_still_records_the_round_that_raised_it(
    config_file: Path, tmp_path: Path, signum: signal.Signals
) -> None:
    """The stop comes while the alerting round is still with its listeners (printed, not yet
    recorded). It must be finished and recorded before the history closes. Raising into the main
    thread's Thread.join lost it about every other time (the worker looked finished); repeated to
    catch a race."""
    for attempt in range(4):
        home = tmp_path / f"home{attempt}"
        shutil.copytree(config_file.parents[1], home)
        env = _env(home)
        with watch_process(env, "1") as proc:
            assert proc.stdout is not None
            for raw in proc.stdout:
                if json.loads(raw)["type"] == "alert":
                    break
            stop_watch(proc, signum)
        incidents = history_incidents(env)
        assert [i["kind"] for i in incidents] == ["internet"], f"attempt {attempt}: {incidents}"
