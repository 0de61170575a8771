"""Reading `traywatch --self-check` output back into {label: value} (for the packaging tests)."""

from __future__ import annotations


def parse_report(text: str) -> dict[str, str]:
    lines = text.splitlines()
    assert lines[0].startswith("traywatch ") and lines[0].endswith(" self-check"), text
    report = {}
    for line in lines[1:]:
        label, sep, value = line.strip().partition(":")
        assert sep, f"not a 'label: value' line: {line!r}"
        report[label] = value.strip()
    return report
