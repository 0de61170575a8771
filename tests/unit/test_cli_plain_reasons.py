"""Reasons in plain words (issue 16, audit items 3, 7, 8 and 9): a settings file or CA file that is
a folder, a named pipe or a device is called that, never "no such file" and never with a raw
"[Errno 21]"; a file nested too deeply for the TOML parser is named as broken; a mistake in
`[network]` does not keep `history` from reading the record; and an unknown option of a command
gets that command's usage, not the top-level one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# no proxy variables from the machine; main()'s logging set-up undone after each test
from tests.unit.test_cli import _no_proxies_and_logging_restored  # noqa: F401
from traywatch.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.err


@pytest.fixture
def config_dir(traywatch_home: Path) -> Path:
    folder = traywatch_home / "config"
    folder.mkdir(parents=True)
    return folder


@pytest.mark.parametrize("kind", ["folder", "named pipe"])
@pytest.mark.parametrize("which", ["config", "catalogue"])
def test_a_settings_file_that_is_not_a_file_is_named_without_an_error_number(
    config_dir: Path, capsys: pytest.CaptureFixture[str], kind: str, which: str
) -> None:
    odd = config_dir / ("config.toml" if which == "config" else "catalogue.toml")
    if kind == "folder":
        odd.mkdir()
    else:
        os.mkfifo(odd)
    if which == "catalogue":
        (config_dir / "config.toml").write_text(f'[catalogue]\nfile = "{odd}"\n', "utf-8")
    code, err = run(capsys, "history")
    assert code == 2
    assert str(odd) in err and kind in err
    assert "Errno" not in err and "no such file" not in err


@pytest.mark.parametrize("kind", ["folder", "named pipe", "device"])
def test_a_ca_file_that_is_not_a_file_says_what_it_is(
    config_dir: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    if kind == "folder":
        odd = config_dir / "ca"
        odd.mkdir()
    elif kind == "named pipe":
        odd = config_dir / "ca.fifo"
        os.mkfifo(odd)
    else:
        odd = Path("/dev/zero")
    (config_dir / "config.toml").write_text(f'[network]\nca_file = "{odd}"\n', "utf-8")
    code, err = run(capsys, "check", "--json")
    assert code == 2
    assert f"{odd} is a {kind}, not a file" in err, err
    assert "Errno" not in err


def test_history_reads_the_record_with_a_broken_network_setting_and_says_what_is_wrong(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = config_dir / "removed-ca.pem"
    (config_dir / "config.toml").write_text(f'[network]\nca_file = "{gone}"\n', "utf-8")
    code, err = run(capsys, "history", "--since", "1h")
    assert code == 0
    assert f"no such file: {gone}" in err and "ignored here" in err
    code, err = run(capsys, "check", "--json")  # checking does need it: still refused
    assert code == 2 and str(gone) in err


@pytest.mark.parametrize("command", ["check", "history", "watch"])
def test_an_unknown_option_of_a_command_gets_that_command_s_usage(
    capsys: pytest.CaptureFixture[str], traywatch_home: Path, command: str
) -> None:
    code, err = run(capsys, command, "--bogus")
    assert code == 2
    assert f"usage: traywatch {command}" in err, err
    assert "unrecognized arguments: --bogus" in err


def test_an_unknown_option_of_a_nested_command_gets_its_own_usage(
    capsys: pytest.CaptureFixture[str], traywatch_home: Path
) -> None:
    code, err = run(capsys, "account", "status", "--bogus")
    assert code == 2
    assert "usage: traywatch account status" in err, err


def test_an_unknown_option_before_any_command_still_gets_the_top_level_usage(
    capsys: pytest.CaptureFixture[str], traywatch_home: Path
) -> None:
    code, err = run(capsys, "--bogus")
    assert code == 2
    assert "usage: traywatch [-h]" in err, err


def test_a_report_written_onto_a_folder_says_so_without_an_error_number(
    capsys: pytest.CaptureFixture[str], traywatch_home: Path, tmp_path: Path
) -> None:
    code, err = run(capsys, "report", "--since", "1h", "--out", str(tmp_path))
    assert code == 2
    assert f"cannot write the report to {tmp_path}: is a directory" in err, err
    assert "Errno" not in err
