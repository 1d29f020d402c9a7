"""A post's date: from its front matter (any form YAML or people write) or its file name
(`YYYY-MM-DD-slug`), as ISO 8601 text and a timestamp to sort by."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

_NAME_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:-(.*))?$")
_DATE_STR = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$",
    re.IGNORECASE,
)


def name_parts(stem: str) -> tuple[tuple[str, float] | None, str]:
    """The date a file name starts with (as parse_date gives it), and the rest: the slug."""
    match = _NAME_DATE.match(stem)
    if not match:
        return None, stem
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None, stem
    return _from_date(day), match.group(4) or ""


def _from_date(day: date) -> tuple[str, float]:
    moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return day.isoformat(), moment.timestamp()


def parse_date(value: Any) -> tuple[str, float] | None:
    """A front-matter date (YAML date/datetime or string) -> (ISO 8601, sort timestamp)."""
    if isinstance(value, datetime):
        stamp = value if value.tzinfo else value.replace(tzinfo=UTC)
        return value.isoformat(), stamp.timestamp()
    if isinstance(value, date):
        return _from_date(value)
    if not isinstance(value, str):
        return None
    match = _DATE_STR.match(value)
    if not match:
        return None
    y, mo, d, hh, mm, ss, frac, zone = match.groups()
    try:
        if hh is None:
            return _from_date(date(int(y), int(mo), int(d)))
        tz = None
        if zone:
            if zone.upper() == "Z":
                tz = UTC
            else:
                sign = -1 if zone[0] == "-" else 1
                digits = zone[1:].replace(":", "")
                tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        moment = datetime(
            int(y),
            int(mo),
            int(d),
            int(hh),
            int(mm),
            int(ss or 0),
            int((frac or "0").ljust(6, "0")),
            tzinfo=tz,
        )
    except ValueError:
        return None
    stamp = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.isoformat(), stamp.timestamp()
