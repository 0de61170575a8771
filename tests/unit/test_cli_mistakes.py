"""User mistakes on the command line, in the config file or in the environment: a one-line
message naming the setting and exit 2, never a traceback (README: 2 = usage or config mistake)."""

from __future__ import annotations

from pathlib import Path

import pytest

# no proxy variables from the machine; main()'s logging set-up undone after each test
from tests.unit.test_cli import (
    _no_proxies_and_logging_restored,  # noqa: F401
    dead_catalogue,
)
from traywatch.cli import main

NOT_A_CERTIFICATE = "root:x:0:0:root:/root:/bin/bash\n"


@pytest.fixture(autouse=True)
def _no_ca_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def config_file(traywatch_home: Path) -> Path:
    """The default config location, pointing at a catalogue where nothing answers."""
    folder = traywatch_home / "config"
    folder.mkdir(parents=True)
    path = folder / "config.toml"
    path.write_text(f'[catalogue]\nfile = "{dead_catalogue(folder).name}"\n', "utf-8")
    return path


def mistake(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the CLI; it must exit 2 without a traceback. Returns what it wrote to stderr."""
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code  # type: ignore[assignment]
    captured = capsys.readouterr()
    assert code == 2, captured
    assert "Traceback" not in captured.err
    assert captured.out == ""
    return captured.err


@pytest.mark.parametrize("port", ["99999", "65536", "0"])
def test_custom_target_with_a_port_out_of_range(
    config_file: Path, capsys: pytest.CaptureFixture[str], port: str
) -> None:
    config_file.write_text(
        config_file.read_text("utf-8")
        + f'[[services.custom]]\nid = "chat"\ntargets = ["tcp://g.whatsapp.net:{port}"]\n',
        "utf-8",
    )
    err = mistake(capsys, "check", "--json")
    assert str(config_file) in err
    assert "services.custom" in err and "url" in err
    assert "1-65535" in err


def test_ca_file_without_certificates_names_the_key(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_pem = tmp_path / "passwd"
    not_pem.write_text(NOT_A_CERTIFICATE, "utf-8")
    config_file.write_text(config_file.read_text("utf-8") + f'[network]\nca_file = "{not_pem}"\n', "utf-8")
    err = mistake(capsys, "check", "--json")
    assert str(config_file) in err and "network.ca_file" in err
    assert "no certificates" in err


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"])
def test_ca_variable_naming_a_file_without_certificates(
    config_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    not_pem = tmp_path / "passwd"
    not_pem.write_text(NOT_A_CERTIFICATE, "utf-8")
    monkeypatch.setenv(variable, str(not_pem))
    err = mistake(capsys, "check", "--json")
    assert variable in err and str(not_pem) in err
    assert "no certificates" in err


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "http_proxy"])
@pytest.mark.parametrize("value", ["http://[bad", "http://proxy.example:99999", "proxy.example:3128"])
def test_broken_proxy_variable(
    config_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
) -> None:
    monkeypatch.setenv(variable, value)
    err = mistake(capsys, "check", "--json")
    assert f"environment variable {variable}" in err
    assert value in err


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-1", "1e300", "soon"])
@pytest.mark.parametrize("where", ["watch", "top"])
def test_interval_must_be_a_finite_positive_number(
    config_file: Path, capsys: pytest.CaptureFixture[str], value: str, where: str
) -> None:
    argv = ["watch", "--interval", value] if where == "watch" else ["--interval", value, "watch"]
    err = mistake(capsys, *argv)
    assert "--interval" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--json", "--config", "{missing}"],
        ["--config", "{missing}", "check", "--json"],
        ["--config", "{missing}", "history"],
        ["watch", "--config", "{missing}"],
    ],
)
def test_an_explicit_config_that_does_not_exist(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    missing = tmp_path / "nonexist.toml"
    err = mistake(capsys, *[a.format(missing=missing) for a in argv])
    assert str(missing) in err and "no such" in err


def test_the_default_config_may_be_missing(traywatch_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "--json"]) == 0
    assert "Traceback" not in capsys.readouterr().err
