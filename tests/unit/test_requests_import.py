"""requests is imported without a character-set guesser (about 3.4 MB resident in the tray), with
no warning escaping, and bodies without a declared charset still decode (as UTF-8)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CODE = """
import sys, warnings
warnings.simplefilter("error")  # the expected "no detector" warning must not escape
import traywatch.core.net.httpfetch
from traywatch.core.net.requests_import import requests
loaded = sorted(m for m in ("charset_normalizer", "chardet") if sys.modules.get(m) is not None)
assert not loaded, loaded
answer = requests.models.Response()
answer._content = "Caf\\u00e9 \\u2014 ok".encode()
answer.encoding = None  # no charset in Content-Type: requests would have guessed
assert answer.apparent_encoding == "utf-8", answer.apparent_encoding
assert answer.text == "Caf\\u00e9 \\u2014 ok", answer.text
print("ok")
"""


def test_requests_loads_without_a_charset_guesser_and_decodes_utf8() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CODE], cwd=REPO, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok" and result.stderr == ""


def test_a_guesser_imported_first_is_left_alone() -> None:
    code = (
        "import charset_normalizer, sys; from traywatch.core.net.requests_import import requests; "
        "assert sys.modules['charset_normalizer'] is charset_normalizer; "
        "assert requests.compat.chardet is charset_normalizer; print('ok')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
