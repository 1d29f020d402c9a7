"""Folding: the one form search compares text in, so that one query finds every way of
writing it. Traditional Chinese is folded to Simplified (OpenCC's `t2s` tables, through
the `opencc` package: phrases where the text has Traditional characters, so 乾燥 folds to
干燥 while 乾隆 stays), and full-width letters, digits, punctuation and spaces to their
ASCII forms (as Unicode NFKC does: ＧＤＰ２０２２ → GDP2022).

Every fold keeps the text's length, character for character, so a match found in the
folded text is at the same place in the text as written: highlights and find-in-article
mark what the reader sees. (A phrase conversion that would change the length is not
taken; its characters fold one by one.)"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

_WIDE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # ！…～ → !…~
_WIDE |= {0x3000: 0x20, 0xFFE0: 0xA2, 0xFFE1: 0xA3, 0xFFE2: 0xAC, 0xFFE5: 0xA5, 0xFFE6: 0x20A9}
_CJK = [(0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2A6E0)]
_lock = threading.Lock()


@cache
def _converter() -> Any:
    import opencc  # type: ignore[import-untyped,unused-ignore]

    return opencc.OpenCC("t2s.json")


@cache
def _tables() -> tuple[dict[int, int], frozenset[str]]:
    """Each Traditional character's Simplified one (as OpenCC converts it alone), with the
    full-width forms; and the Traditional characters. Built once a process: ~60 ms."""
    convert = _converter().convert
    table = dict(_WIDE)
    with _lock:
        for first, end in _CJK:
            for cp in range(first, end):
                out = convert(chr(cp))
                if len(out) == 1 and out != chr(cp):
                    table[cp] = ord(out)
    return table, frozenset(chr(cp) for cp in table if cp not in _WIDE)


def fold(text: str) -> str:
    """`text` in the form search compares: same length, character for character."""
    if not text:
        return text
    table, traditional = _tables()
    chars = text.translate(table)
    if chars == text or traditional.isdisjoint(text):
        return chars  # (no Traditional character: nothing a phrase would change)
    with _lock:  # (OpenCC's converter is not documented as thread-safe)
        phrased: str = _converter().convert(text)
    if len(phrased) != len(text):
        return chars
    return phrased.translate(_WIDE)
