"""The commands' standard output and error, whatever the terminal does with them.

A reader that goes away (`traywatch watch | head -1`) ends the command quietly; a full or closed
output is one clear line, never a traceback; text a console's encoding cannot show (a Windows
pipe is cp1252, `LC_ALL=C` is ASCII) is spelt out with plain characters instead of crashing, and
JSON is then escaped so that it stays exact (and valid UTF-8).
"""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import os
import sys
import unicodedata
from collections.abc import Iterator
from typing import Any, TextIO

from traywatch.core.errors import TraywatchError
from traywatch.core.net.network_errors import network_words
from traywatch.i18n import N_, Message, _, render

REPLACE = "traywatch-plain"  # the error handler for characters an encoding lacks
_PLAIN = {
    "—": "-",
    "–": "-",
    "−": "-",
    "→": "->",
    "←": "<-",
    "↳": "`-",
    "…": "...",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "«": '"',
    "»": '"',
    "•": "*",
    "·": ".",
    "×": "x",
    "≤": "<=",
    "≥": ">=",
    "≈": "~",
    "°": " deg",
    "\u00a0": " ",
    "\u202f": " ",
}
# Encoded to test a stream: an encoding that holds these holds everything traywatch writes.
_WIDE = "—→↳…接😀"
_CLOSED = N_(
    "standard output is closed (started with >&-?), so there is nowhere to write the answer; "
    "send it to a file, or to the null device to discard it"
)


class OutputClosed(Exception):
    """The reader of standard output went away (a closed pipe): stop quietly."""


class OutputFailed(Exception):
    """Standard output cannot be written (a full disk, closed, not writable): said in one line."""


def _plain(char: str) -> str:
    if char in _PLAIN:
        return _PLAIN[char]
    ascii_part = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
    return ascii_part or "?"  # "é" -> "e"; what has no plain spelling is a "?"


def _replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return "".join(_plain(c) for c in exc.object[exc.start : exc.end]), exc.end


codecs.register_error(REPLACE, _replace)


def shows_everything(stream: TextIO | None) -> bool:
    """Whether the stream's encoding holds every character (UTF-8, UTF-16, GB 18030...)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        _WIDE.encode(encoding)
    except (UnicodeError, LookupError):
        return False
    return True


def spoken(data: Any) -> Any:
    """The JSON tree with every `Message` in it said in the language in use. Keys, codes
    (`verdict`, `state`, `kind`...), numbers and plain strings stay exactly as they are."""
    if isinstance(data, Message):
        return render(data)
    if isinstance(data, dict):
        return {key: spoken(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [spoken(value) for value in data]
    return data


def error_text(exc: BaseException) -> str:
    """An exception's words in the language in use: its message when it carries one (a config
    mistake keeps its "file: problem" shape), our sentence for a network library's error, else
    its English text."""
    problem = getattr(exc, "problem", None)
    where = getattr(exc, "where", None)
    if isinstance(problem, Message) and isinstance(where, str):
        return f"{where}: {render(problem)}"
    if len(exc.args) == 1 and isinstance(exc.args[0], Message):
        return render(exc.args[0])
    if isinstance(exc, TraywatchError):  # our own words, which may name a network cause themselves
        return str(exc)
    network = network_words(exc)  # requests/urllib3's English: our sentence (their words are logged)
    return str(exc) if network is None else render(network)


def json_text(data: Any) -> str:
    """`data` as one line of JSON for standard output, its messages in the language in use:
    readable where the console shows every character, otherwise ASCII with \\u escapes (still
    exact, and valid UTF-8 for any reader)."""
    return json.dumps(spoken(data), ensure_ascii=not shows_everything(sys.stdout))


def markup_text(html: str) -> str:
    """An HTML page for standard output: characters the console lacks become &#...; references."""
    if shows_everything(sys.stdout):
        return html
    return html.encode("ascii", "xmlcharrefreplace").decode("ascii")


def prepare_streams() -> None:
    """Standard output and error spell out what their encoding cannot show (never crash on it)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(ValueError, OSError, LookupError):  # a closed or odd stream
                stream.reconfigure(errors=REPLACE)


def say(text: str) -> None:
    """One line on standard error, if there is one (a windowed Windows build has none; it may be
    closed too)."""
    stream = sys.stderr
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError):
        stream.write(f"{text}\n")
        stream.flush()


def complain(message: str) -> None:
    """A problem on standard error, in the language in use."""
    say(f"traywatch: {render(message)}")


def _failure(exc: OSError) -> Exception:
    if isinstance(exc, BrokenPipeError | ConnectionResetError):
        return OutputClosed(str(exc))
    reason = exc.strerror or str(exc)
    return OutputFailed(_("cannot write to standard output: {reason}").format(reason=reason))


class GuardedOutput(io.TextIOBase):
    """Standard output whose write errors are OutputClosed / OutputFailed, whoever prints."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self._stream, "encoding", None) or "utf-8")

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._stream, "errors", None)

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        try:
            return self._stream.isatty()
        except (OSError, ValueError):
            return False

    def fileno(self) -> int:
        return self._stream.fileno()

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise _failure(exc) from exc

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise _failure(exc) from exc


def _discard_rest(stream: TextIO) -> None:
    """After a failure, point the file descriptor at the null device: what is still buffered
    would otherwise fail again when Python exits ("Exception ignored ... BrokenPipeError")."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, fd)
        finally:
            os.close(null)


@contextlib.contextmanager
def guarded_stdout() -> Iterator[None]:
    """Within the block, standard output raises OutputClosed / OutputFailed; what was printed is
    flushed at the end, inside the block, so a failure there is caught too (after another error,
    that error is the one raised). OutputFailed at once when there is no standard output at all."""
    real = sys.stdout
    if real is None:
        raise OutputFailed(_(_CLOSED))
    guard = GuardedOutput(real)
    sys.stdout = guard
    try:
        yield
        guard.flush()
    except (OutputClosed, OutputFailed):
        _discard_rest(real)
        raise
    except BaseException:
        try:
            guard.flush()
        except (OutputClosed, OutputFailed):
            _discard_rest(real)
        raise
    finally:
        sys.stdout = real
