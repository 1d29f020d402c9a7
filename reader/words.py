"""Wording shared by the app and the command line."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 article`, `2 articles`, `0 articles`; `many` for irregular plurals (`entry`)."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"
