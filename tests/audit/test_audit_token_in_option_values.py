"""Audit of issue 16 item 11: the README says no usage error repeats anything shaped like a token.
argparse's own errors keep to that, but traywatch's own checks of option values quote the value
whole: a token pasted after `history --since`, `--from` or `--service` is printed back in full
("--since 'EAAG…': use a number and a unit …")."""

# audit: fails on main at e298e8b (the fix makes it pass)

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_cli import _no_proxies_and_logging_restored  # noqa: F401
from tests.unit.test_cli_secrets_on_the_command_line import USER_TOKEN, assert_not_repeated, run


@pytest.mark.parametrize(
    "argv",
    [
        ["history", "--since", "{token}"],
        ["history", "--from", "{token}"],
        ["history", "--service", "{token}"],
        ["report", "--since", "{token}"],
    ],
)
def test_a_token_pasted_as_an_option_value_is_not_repeated_by_the_value_check(
    capsys: pytest.CaptureFixture[str], traywatch_home: Path, argv: list[str]
) -> None:
    code, text = run(capsys, [a.format(token=USER_TOKEN) for a in argv])
    assert code == 2, text
    assert_not_repeated(USER_TOKEN, text)
