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

import re
import threading
from functools import cache
from typing import Any

_WIDE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # ！…～ → !…~
_WIDE |= {0x3000: 0x20, 0xFFE0: 0xA2, 0xFFE1: 0xA3, 0xFFE2: 0xAC, 0xFFE5: 0xA5, 0xFFE6: 0x20A9}
_WIDE_RUN = re.compile("[\u3000\uff01-\uff5e\uffe0-\uffe6]+")
_CJK = [(0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2A6E0)]
_lock = threading.Lock()


SCRIPTS = ("as-written", "simplified", "traditional")  # the `script` setting


@cache
def _converter(name: str = "t2s.json") -> Any:
    import opencc  # type: ignore[import-untyped,unused-ignore]

    return opencc.OpenCC(name)


def in_script(text: str, script: str) -> str:
    """Text to show in Simplified or Traditional script (by phrase; `as-written`: as it
    is). For the eyes only: what is stored and searched never changes."""
    if script == "as-written" or not text:
        return text
    with _lock:
        converted: str = _converter("t2s.json" if script == "simplified" else "s2t.json").convert(
            text
        )
    return converted


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
    if traditional.isdisjoint(text):  # (most text: a set test in C)
        return _narrow(text)
    with _lock:  # (OpenCC's converter is not documented as thread-safe)
        phrased: str = _converter().convert(text)
    if len(phrased) != len(text):
        return text.translate(table)
    return _narrow(phrased)


def _narrow(text: str) -> str:
    """Full-width forms as ASCII (runs of them replaced: faster than translating all)."""
    return _WIDE_RUN.sub(lambda run: run.group().translate(_WIDE), text)
