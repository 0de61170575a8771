"""The settings layer's words for odd files (issue 16, audit items 3, 7, 8 and 9): nesting too deep
for the TOML parsers, paths that are not files, OS errors without "[Errno N]", and `[network]`
mistakes that only warn when the network is not needed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from traywatch.core.catalogue import load_catalogue
from traywatch.core.errors import ConfigError
from traywatch.core.settings.config import NetworkSettings, load_config, parse_config
from traywatch.core.settings.config_file import ConfigFileBroken, read_document
from traywatch.core.settings.small_file import not_a_file, os_error_text
from traywatch.core.settings.toml_text import TOO_DEEP, parse_toml

DEEP = {
    "arrays": "a = " + "[" * 5_000 + "]" * 5_000 + "\n",
    "inline-tables": "a = " + "{b = " * 5_000 + "1" + "}" * 5_000 + "\n",
}


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_nesting_too_deep_for_the_parser_is_a_config_error_naming_the_file(shape: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_toml(DEEP[shape], "/somewhere/config.toml")
    assert str(caught.value) == f"/somewhere/config.toml: {TOO_DEEP}"


def test_ordinary_nesting_still_parses() -> None:
    assert parse_toml("a = [[1, [2]], {b = {c = 3}}]\n", "x") == {"a": [[1, [2]], {"b": {"c": 3}}]}


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_the_config_and_a_catalogue_too_deep_are_refused_naming_them(tmp_path: Path, shape: str) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(DEEP[shape], "utf-8")
    for load in (load_config, load_catalogue):
        with pytest.raises(ConfigError) as caught:
            load(path)
        assert caught.value.where == str(path) and caught.value.problem == TOO_DEEP


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_the_settings_editor_refuses_a_file_too_deep_to_edit(tmp_path: Path, shape: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(DEEP[shape], "utf-8")
    with pytest.raises(ConfigFileBroken) as caught:
        read_document(path)
    assert str(path) in str(caught.value) and "Traceback" not in str(caught.value)


def test_not_a_file_says_what_a_path_is(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    regular = tmp_path / "ca.pem"
    regular.write_text("x")
    assert not_a_file(regular) is None
    assert not_a_file(tmp_path / "gone") == f"no such file: {tmp_path / 'gone'}"
    assert not_a_file(tmp_path) == f"{tmp_path} is a folder, not a file"
    assert not_a_file(fifo) == f"{fifo} is a named pipe, not a file"
    assert not_a_file(Path("/dev/null")) == "/dev/null is a device, not a file"


def test_os_errors_read_without_their_number() -> None:
    assert os_error_text(IsADirectoryError(21, "it is a folder, not a file")) == "it is a folder, not a file"
    assert os_error_text(PermissionError(13, "Permission denied")) == "permission denied"
    assert os_error_text(OSError("it is larger than 1 MB")) == "it is larger than 1 MB"


def test_a_config_folder_in_place_of_the_file_reads_without_an_error_number(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert "Errno" not in str(caught.value) and "folder" in str(caught.value)


def test_a_network_mistake_is_a_warning_when_the_network_is_not_needed(tmp_path: Path) -> None:
    data = {"network": {"ca_file": str(tmp_path / "gone.pem"), "nameservers": ["1.1.1.1"]}}
    with pytest.raises(ConfigError):
        parse_config(data, "config.toml")
    config = parse_config(data, "config.toml", network_needed=False)
    assert config.network == NetworkSettings()
    assert any("no such file" in w and "[network.ca_file]" in w for w in config.warnings)
