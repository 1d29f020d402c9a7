"""Dates as the lists and the article header show them."""

from __future__ import annotations

import re
from datetime import datetime

from rich.cells import cell_len

DATE_FORMAT = "%Y-%m-%d"


def format_date(value: str | None, fmt: str = DATE_FORMAT, with_time: bool = False) -> str:
    """An ISO date in the user's format; `with_time` adds the hour and offset when known."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value[:10]
    text = moment.strftime(fmt)
    if with_time and "T" in value and not any(f"%{c}" in fmt for c in "HIXcRT"):
        text += moment.strftime(" %H:%M") + (moment.strftime(" %z") if moment.tzinfo else "")
    return text


def short_format(date_format: str) -> str:
    """The date format without its year: "%d.%m.%Y" -> "%d.%m", "%Y年%m月%d日" -> "%m月%d日"."""
    short = re.sub(r"%[Yy]年?", "", date_format).strip(" -./,")
    short = re.sub(r"([-./, ])[-./, ]+", r"\1", short)
    return short if "%" in short else "%m-%d"


_NAMES = re.compile(r"%[aAbBchpx]")  # directives whose width varies with the date


def widest(date_format: str) -> int:
    """Cells of the widest date in this format: weekday and month names vary."""
    if not _NAMES.search(date_format):  # numbers only: every date is as wide
        return cell_len(datetime(2026, 12, 21).strftime(date_format))
    return max(
        cell_len(datetime(2026, month, day).strftime(date_format))
        for month in range(1, 13)
        for day in range(21, 28)
    )
