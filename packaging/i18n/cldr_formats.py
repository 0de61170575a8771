"""Writes traywatch/i18n/cldr.json: the CLDR formats each language needs, taken from Babel.

    python packaging/i18n/cldr_formats.py [--check]

Babel is a build-time tool here (the `test` extra): importing babel.dates costs the tray ~3 MB
plus ~1.5 MB per locale, so the app reads this small file instead (traywatch/i18n/formats.py).
Run it after adding a language or upgrading Babel; tests/unit/i18n/test_formats.py fails while
the shipped file differs from a fresh generation. `--check` exits 1 when the file is stale.

English keeps the wording traywatch has always used where CLDR's English differs: SI-style
unit symbols ('2 h 14 min', not '2 hr, 14 min') and no comma between a date and a time
('5 Mar 14:05'). Everything else is CLDR's, English from en_GB (24-hour clock, '5 Mar').
"""

from __future__ import annotations

import argparse
import gettext
import json
import re
import sys
from pathlib import Path
from typing import Any

import babel
from babel import Locale
from babel.core import get_cldr_version
from babel.lists import format_list
from babel.messages.plurals import get_plural

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "traywatch" / "i18n" / "cldr.json"

# Our language code -> the CLDR locale its formats come from.
LOCALES = {"en": "en_GB", "es": "es", "pt_BR": "pt_BR", "fr": "fr", "de": "de", "id": "id", "hi": "hi"}
UNITS = {name: f"duration-{name}" for name in ("second", "minute", "hour", "day")}
UNIT_WIDTH = "short"  # '2 h 14 min', '2 Std., 14 Min.', '2 घं॰ 14 मि॰'; "narrow" drops spaces ('2min')
# Skeletons (CLDR availableFormats) of the dates traywatch shows.
DATES = {
    "month_day": "MMMd",  # 5 Mar
    "date": "yMMMd",  # 5 Mar 2026
    "weekday_month_day": "MMMEd",  # Thu 5 Mar
    "weekday_date": "yMMMEd",  # Thu, 5 Mar 2026
}
ENGLISH = {
    "units": {
        "second": {"other": "{0} s"},
        "minute": {"other": "{0} min"},
        "hour": {"other": "{0} h"},
        "day": {"other": "{0} d"},
    },
    "date_time": "{1} {0}",
}
# The pattern letters formats.py knows: day, month, year, weekday, hours, minutes, seconds, am/pm.
PATTERN_LETTERS = set("dMyEHhKkmsa")
FIELD = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*")


def plural_rules(locale: Locale) -> tuple[str, list[str]]:
    """The gettext Plural-Forms header (as Babel's catalogues write it) and the CLDR category
    each of its indexes stands for, checked against CLDR's rule for many whole numbers."""
    header = get_plural(str(locale)).plural_forms
    choose = gettext.c2py(header.split("plural=", 1)[1].rstrip(";").strip())
    nplurals = int(header.split("nplurals=", 1)[1].split(";", 1)[0])
    categories: dict[int, str] = {}
    for n in [*range(0, 1201), 1_000_000, 2_000_000, 1_000_001, 10**9]:
        index, category = choose(n), locale.plural_form(n)
        if categories.setdefault(index, category) != category:
            raise SystemExit(f"{locale}: Plural-Forms {header!r} disagrees with CLDR at n={n}")
    if sorted(categories) != list(range(nplurals)):
        raise SystemExit(f"{locale}: Plural-Forms {header!r}: forms {sorted(categories)} never chosen")
    return header, [categories[i] for i in range(nplurals)]


def checked(pattern: str, where: str) -> str:
    """A date pattern formats.py can follow, or the build stops."""
    for match in FIELD.finditer(pattern):
        if match.group(1) and match.group(1) not in PATTERN_LETTERS:
            raise SystemExit(f"{where}: pattern {pattern!r} uses {match.group(0)!r}, unknown to formats.py")
    return pattern


def language(code: str) -> dict[str, Any]:
    locale = Locale.parse(LOCALES[code])
    symbols = locale.number_symbols["latn"]
    number = locale.decimal_formats[None]
    lists = locale.list_patterns
    time = locale.time_formats["short"].pattern
    weekday_time = locale.datetime_skeletons["Ehm" if "h" in time else "EHm"].pattern
    header, categories = plural_rules(locale)
    units = {
        name: {
            cat: text
            for cat, text in locale._data["unit_patterns"][unit][UNIT_WIDTH].items()
            if cat in (*categories, "other")
        }
        for name, unit in UNITS.items()
    }
    data: dict[str, Any] = {
        "cldr_locale": str(locale),
        "list": {part: lists["standard"][part] for part in ("start", "middle", "end", "2")},
        "unit_list": format_list(["{0}", "{1}"], style="unit-narrow", locale=locale),  # '2 h 14 min'
        "decimal": symbols["decimal"],
        "group": symbols["group"],
        "minus": symbols["minusSign"],
        "grouping": list(number.grouping),
        "time": checked(time, code),
        "weekday_time": checked(weekday_time, code),
        "dates": {name: checked(locale.datetime_skeletons[sk].pattern, code) for name, sk in DATES.items()},
        "date_time": locale.datetime_formats["medium"],  # the glue for an abbreviated-month date
        "months": [locale.months["format"]["abbreviated"][m] for m in range(1, 13)],
        "weekdays": [locale.days["format"]["abbreviated"][d] for d in range(7)],  # Monday first
        "am_pm": [locale.day_periods["format"]["abbreviated"][p] for p in ("am", "pm")],
        "units": units,
        "plural_forms": header,
        "plural_categories": categories,
    }
    if code == "en":
        data.update(ENGLISH)
    return data


def generate() -> str:
    data = {
        "_source": f"CLDR {get_cldr_version()} (Babel {babel.__version__}): packaging/i18n/cldr_formats.py",
        "languages": {code: language(code) for code in LOCALES},
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped file is stale")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    fresh = generate()
    current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
    if args.check:
        if current != fresh:
            print(f"{args.output} is stale: run python packaging/i18n/cldr_formats.py", file=sys.stderr)
            return 1
        return 0
    if current != fresh:
        args.output.write_text(fresh, encoding="utf-8")
        print(f"wrote {args.output} ({len(fresh.encode())} bytes)")
    else:
        print(f"{args.output} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
