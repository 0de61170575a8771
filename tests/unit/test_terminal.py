"""The commands' output streams in pieces (the real processes are in tests/e2e/test_cli_terminal.py):
plain spellings for what an encoding lacks, exact JSON, and write errors turned into our own."""

from __future__ import annotations

import errno
import io
import json
import sys

import pytest

from traywatch.core.errors import TraywatchError
from traywatch.terminal import (
    REPLACE,
    OutputClosed,
    OutputFailed,
    guarded_stdout,
    json_text,
    markup_text,
    shows_everything,
)

TEXT = "Instagram — down → 14:53 … café 接続"


class FailingRaw(io.RawIOBase):
    """A file descriptor whose writes fail with `code` (EPIPE: the reader left; ENOSPC: full)."""

    def __init__(self, code: int) -> None:
        self.code = code

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        raise OSError(self.code, "failing on purpose")


def stream(encoding: str, raw: io.RawIOBase | None = None) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BufferedWriter(raw or io.BytesIO()), encoding=encoding, errors=REPLACE)


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", TEXT),
        ("cp1252", "Instagram — down -> 14:53 … café ??"),
        ("latin-1", "Instagram - down -> 14:53 ... café ??"),
        ("ascii", "Instagram - down -> 14:53 ... cafe ??"),
    ],
)
def test_what_an_encoding_lacks_is_spelt_plainly(encoding: str, expected: str) -> None:
    assert TEXT.encode(encoding, REPLACE).decode(encoding) == expected


@pytest.mark.parametrize(("encoding", "everything"), [("utf-8", True), ("gb18030", True), ("cp1252", False)])
def test_json_is_escaped_only_where_the_console_lacks_characters(
    monkeypatch: pytest.MonkeyPatch, encoding: str, everything: bool
) -> None:
    monkeypatch.setattr(sys, "stdout", stream(encoding))
    assert shows_everything(sys.stdout) is everything
    text = json_text({"summary": TEXT})
    assert json.loads(text) == {"summary": TEXT}
    assert text.isascii() is not everything
    page = markup_text(f"<p>{TEXT}</p>")
    assert page == f"<p>{TEXT}</p>" if everything else "&#8594;" in page and page.isascii()


@pytest.mark.parametrize(("code", "kind"), [(errno.EPIPE, OutputClosed), (errno.ENOSPC, OutputFailed)])
def test_write_errors_become_ours(monkeypatch: pytest.MonkeyPatch, code: int, kind: type[Exception]) -> None:
    monkeypatch.setattr(sys, "stdout", stream("utf-8", FailingRaw(code)))
    with pytest.raises(kind), guarded_stdout():
        print("a line")  # buffered: the failure comes with the flush at the end of the block


def test_another_error_is_not_hidden_by_a_failing_flush(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", stream("utf-8", FailingRaw(errno.ENOSPC)))
    with pytest.raises(TraywatchError, match="the real problem"), guarded_stdout():
        print("a line")
        raise TraywatchError("the real problem")


def test_no_standard_output_at_all_is_said_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    with pytest.raises(OutputFailed, match="standard output is closed"), guarded_stdout():
        pytest.fail("the block must not run")
