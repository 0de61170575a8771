"""A token typed on the command line (`traywatch account set-token EAAG…`) is refused, and no
message repeats it, not even in part: shell history already has it, the screen must not too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# no proxy variables from the machine; main()'s logging set-up undone after each test
from tests.unit.test_cli import REPO, _no_proxies_and_logging_restored  # noqa: F401
from traywatch.cli import main

# Shaped like Meta's tokens ("EAA" and 150+ letters and digits), and an app token ("id|secret").
USER_TOKEN = "EAAGm0PX4ZCpsBA" + "Zq7Lw2Rk9Tx4Nb8Vc1Hs5Jd3Mf6Gp0" * 5
APP_TOKEN = "1234567890123456|Qm8sT2vX9kL4pN7rW1yZ5bC3"


def pieces(token: str, size: int = 8) -> list[str]:
    """Every stretch of `size` characters of the token: none may show anywhere."""
    return [token[i : i + size] for i in range(len(token) - size + 1)]


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def assert_not_repeated(token: str, text: str) -> None:
    shown = [p for p in pieces(token) if p in text]
    assert not shown, f"the token shows in: {text!r}"


@pytest.mark.parametrize(
    "argv",
    [
        ["account", "set-token", "{token}"],
        ["account", "set-token", "--no-test", "{token}"],
        ["account", "set-token", "{token}", "--whatsapp-phone-id", "106540352242922"],
        ["account", "set-token", "--token", "{token}"],
        ["account", "set-token", "--token={token}"],
        ["--config", "x.toml", "account", "set-token", "--", "{token}"],
    ],
)
@pytest.mark.parametrize("token", [USER_TOKEN, APP_TOKEN], ids=["user-token", "app-token"])
def test_set_token_with_the_token_on_the_command_line_is_refused_without_repeating_it(
    capsys: pytest.CaptureFixture[str], argv: list[str], token: str
) -> None:
    code, text = run(capsys, [a.format(token=token) for a in argv])
    assert code == 2
    assert_not_repeated(token, text)
    assert "command line" in text and "Nothing was stored" in text
    assert "traywatch account set-token" in text  # how to do it instead
    assert "Traceback" not in text


@pytest.mark.parametrize(
    "argv",
    [
        ["account", "status", "{token}"],
        ["account", "{token}"],
        ["{token}"],
        ["check", "--jsn={token}"],
        ["account", "set-phone-id", "106540352242922", "{token}"],
    ],
)
def test_no_usage_error_repeats_a_token_typed_in_the_wrong_place(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, text = run(capsys, [a.format(token=USER_TOKEN) for a in argv])
    assert code == 2
    assert_not_repeated(USER_TOKEN, text)
    assert "usage:" in text  # still a usage error saying what was wrong, with the token left out


def test_the_real_process_does_not_print_it_either(traywatch_home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    result = subprocess.run(
        [sys.executable, "-m", "traywatch", "account", "set-token", USER_TOKEN],
        cwd=REPO,
        env={**env, "PYTHONPATH": str(REPO), "TRAYWATCH_HOME": str(traywatch_home)},
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert_not_repeated(USER_TOKEN, result.stdout + result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    leaks = [
        p for p in traywatch_home.rglob("*") if p.is_file() and USER_TOKEN[:20].encode() in p.read_bytes()
    ]
    assert leaks == []
