"""Audit of issue 16 (item 9/12's kind, files that are not what they should be): `[network]
ca_file` naming something that exists but is not a regular file (a folder, a named pipe, a
device such as /dev/zero) is refused — good, nothing hangs — but the reason given is "no such
file", which sends the owner looking for a missing file that is right there. Say what it is."""

# audit: fails on main at e298e8b (the fix makes it pass)

from __future__ import annotations

import os
from pathlib import Path

import pytest

from traywatch.core.errors import ConfigError
from traywatch.core.settings.config import parse_config


@pytest.mark.parametrize("kind", ["folder", "named pipe", "device"])
def test_a_ca_file_that_exists_but_is_not_a_file_is_not_called_missing(tmp_path: Path, kind: str) -> None:
    if kind == "folder":
        path = tmp_path
    elif kind == "named pipe":
        path = tmp_path / "ca.fifo"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    with pytest.raises(ConfigError) as caught:
        parse_config({"network": {"ca_file": str(path)}}, "config.toml")
    assert "no such file" not in str(caught.value), str(caught.value)
    assert str(path) in str(caught.value)
