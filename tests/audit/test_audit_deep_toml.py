"""Audit of issue 16 (item 9's kind): a config.toml or catalogue file nested deeper than the TOML
parser's recursion limit is a broken file, named in one line with exit code 2 like every other
broken config, never a RecursionError traceback (exit 1) from `check`, `history` or `watch`."""

# audit: fails on main at e298e8b (the fix makes it pass)

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NESTED = {
    "arrays": "a = " + "[" * 100_000 + "]" * 100_000 + "\n",
    "inline-tables": "a = " + "{b = " * 50_000 + "1" + "}" * 50_000 + "\n",
}


@pytest.mark.parametrize("shape", sorted(NESTED))
@pytest.mark.parametrize("where", ["config", "catalogue"])
@pytest.mark.parametrize("command", [("check", "--json"), ("history",)])
def test_a_deeply_nested_settings_file_is_named_in_one_line_not_a_traceback(
    traywatch_home: Path, shape: str, where: str, command: tuple[str, ...]
) -> None:
    config_dir = traywatch_home / "config"
    config_dir.mkdir(parents=True)
    broken = config_dir / ("config.toml" if where == "config" else "catalogue.toml")
    broken.write_text(NESTED[shape], "utf-8")
    if where == "catalogue":
        (config_dir / "config.toml").write_text(f'[catalogue]\nfile = "{broken}"\n', "utf-8")
    env = {**os.environ, "TRAYWATCH_HOME": str(traywatch_home), "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "traywatch", *command], env=env, capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in result.stderr, result.stderr[-600:]
    assert result.returncode == 2, result.stderr[-600:]
    assert str(broken) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
