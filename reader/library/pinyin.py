"""Reaching Chinese names by their sound, without switching the input method: `huilv`
(full pinyin), `hl` (initials) or any mix (`huil`) finds 汇率; tones and case do not count,
ü may be typed v or u, a character with several readings (多音字: 重 is zhong and chong)
matches by any, and what is typed is a start (`hu` already offers 汇率, 沪深, 胡锡进).

The readings come from pypinyin (its dictionary loads on first use, ~0.3 s: the app
loads it in a thread after its first paint)."""

from __future__ import annotations

from functools import cache

_SKIP = frozenset(" \t·・-_'’/.,，。、")


@cache
def readings(char: str) -> tuple[str, ...]:
    """The toneless readings of one character (a letter or digit: itself, lower-cased)."""
    if char.isascii():
        return (char.lower(),) if char.isalnum() else ()
    from pypinyin import Style, pinyin  # type: ignore[import-untyped,unused-ignore]

    found: list[str] = []
    for reading in pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")[:1]:
        for spelled in reading:
            for form in (spelled, spelled.replace("v", "u")):
                if form.isascii() and form.isalpha() and form not in found:
                    found.append(form)
    return tuple(found)


def matches(typed: str, name: str, anywhere: bool = False) -> bool:
    """Whether `typed` (ASCII letters) spells the start of `name` in pinyin, or, with
    `anywhere`, of any part of it that starts a character."""
    wanted = "".join(c for c in typed.lower() if c.isalnum())
    if not wanted or not wanted.isascii():
        return False
    chars = [c for c in name if c not in _SKIP]

    @cache
    def spells(at: int, rest: int) -> bool:  # (rest: where in `wanted` to go on from)
        if rest == len(wanted):
            return True
        if at == len(chars):
            return False
        left = wanted[rest:]
        for reading in readings(chars[at]):
            if reading.startswith(left):  # (typed as far as this reading: a start)
                return True
            if left.startswith(reading) and spells(at + 1, rest + len(reading)):
                return True
            if left[0] == reading[0] and spells(at + 1, rest + 1):  # its initial
                return True
        return False

    starts = range(len(chars)) if anywhere else range(min(1, len(chars)))
    return any(spells(i, 0) for i in starts)
