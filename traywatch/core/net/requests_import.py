"""Import `requests` without its character-set guesser.

requests imports chardet or charset_normalizer at start-up only to serve `Response.text` and
`Response.apparent_encoding` for bodies that declare no charset. traywatch reads bodies as bytes
(JSON goes to `json.loads`, which recognises UTF-8/16/32 by itself), so the guesser would be
dead weight in a tray app that stays resident all day: charset_normalizer loads about a hundred
codec modules and costs about 3.4 MB of resident memory (`benchmarks/bench_tray.py`).

Unless something in this process has imported one of them already, both are marked absent before
requests is first imported; requests then assumes UTF-8 where it would have guessed, and warns that
it found no detector, a warning that is expected here and silenced. Import `requests` through this
module (`from traywatch.core.net.requests_import import requests`) so the order is always right.
"""

from __future__ import annotations

import sys
import warnings

GUESSERS = ("charset_normalizer", "chardet")

if "requests" not in sys.modules:
    for _name in GUESSERS:
        sys.modules.setdefault(_name, None)  # type: ignore[arg-type]  # "absent" for the import system
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Unable to find acceptable character detection")
        import requests
else:  # pragma: no cover - something imported requests first; it keeps its guesser
    import requests

import requests.adapters  # noqa: E402  (after the guard above, on purpose)
import requests.utils  # noqa: E402

__all__ = ["requests"]
