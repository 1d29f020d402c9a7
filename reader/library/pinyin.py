"""Reaching Chinese names and titles by their sound, without switching the input method:
`huilv` (full pinyin), `hl` (initials) or any mix (`huil`) finds 汇率; tones and case do
not count, ü may be typed v or u, a character with several readings (多音字: 重 is zhong
and chong) matches by any, and what is typed is a start (`hu` already offers 汇率, 沪深,
胡锡进). Letters and digits stand for themselves.

What is typed becomes a regular expression over the characters themselves: each way of
reading it as syllables and initials (`huilv`: hui·lv, hui·l…, hu·…) is a run of
character classes (every character one of whose readings is `hui`, then every one read
`lv` or starting with it), so a title is searched as written, with no pinyin stored for
it, and heteronyms need nothing special. One mechanism serves the tag editor, the palette,
the sidebar's filter and `py:` in search (SearchMixin.sounding, over every title at once).

The readings are pypinyin's dictionary (it loads on first use, ~0.3 s: the app loads it
in a thread after its first paint)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import cache, lru_cache

_SKIP = " \t·・-_'’/.,，。、"
_SKIPPED = f"[{re.escape(_SKIP)}]*"
READINGS_AT_MOST = 16  # ways of reading what is typed: the first found, longest syllables
# first (zhongguoyinhang has 64 or more: their pattern took 0.4 s to make, these 16 0.1 s)
_MARKS = re.compile("[\u0300-\u0307\u0309-\u036f]")  # tone marks (not ü's diaeresis)


@cache
def _dictionary() -> dict[str, tuple[str, ...]]:
    """Each character's toneless readings, in pypinyin's order (ü as v, and as u)."""
    from pypinyin.pinyin_dict import pinyin_dict  # type: ignore[import-untyped,unused-ignore]

    table: dict[str, tuple[str, ...]] = {}
    for point, spelled in pinyin_dict.items():
        forms: list[str] = []
        for reading in spelled.split(","):
            plain = _MARKS.sub("", unicodedata.normalize("NFD", reading)).replace("u\u0308", "v")
            for form in (plain, plain.replace("v", "u")):
                if form.isascii() and form.isalpha() and form not in forms:
                    forms.append(form)
        table[chr(point)] = tuple(forms)
    return table


def readings(char: str) -> tuple[str, ...]:
    """The toneless readings of one character (a letter or digit: itself, lower-cased)."""
    if char.isascii():
        return (char.lower(),) if char.isalnum() else ()
    return _dictionary().get(char, ())


@cache
def _sounds() -> tuple[dict[int, str], dict[str, str]]:
    """Text is searched by sound as "sound codes": each character with readings becomes one
    character standing for its set of readings (a Private Use Area code: 4,475 of them
    for pypinyin's 41,923 characters), each letter its lower case, each digit itself; a
    code already in the text becomes U+FFFD. Returns that translation table, and each
    reading (and letter, and digit) with the codes read so. Classes of codes are a tenth
    the size of classes of characters: a pattern compiles and searches several times
    faster, and a character beyond the BMP costs no more than one within it."""
    sets = {char: tuple(sorted(forms)) for char, forms in _dictionary().items() if forms}
    # (codes in the order of their readings: a class is then a few ranges, `\ue000-\ue0ff`,
    # not thousands of codes: a pattern of 12 classes compiles in 3 ms, not 40)
    codes = {forms: chr(0xE000 + n) for n, forms in enumerate(sorted(set(sets.values())))}
    if len(codes) > 0xF900 - 0xE000:  # (codes must stay in the BMP: see `_class`'s cost)
        raise RuntimeError("pinyin: more sets of readings than Private Use Area codes")
    table: dict[int, str] = {point: "\ufffd" for point in range(0xE000, 0xF900)}
    table |= {ord(char): codes[forms] for char, forms in sets.items()}
    table |= {ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    found: defaultdict[str, list[str]] = defaultdict(list)
    for forms, code in codes.items():
        for form in forms:
            found[form].append(code)
    for char in "abcdefghijklmnopqrstuvwxyz0123456789":
        found[char].append(char)
    return table, {reading: "".join(chars) for reading, chars in found.items()}


def _class(chars: str) -> str:
    """A character class of these characters, runs written as ranges."""
    points = sorted({ord(c) for c in chars})
    parts, start = [], 0
    for i in range(1, len(points) + 1):
        if i == len(points) or points[i] != points[i - 1] + 1:
            low, high = chr(points[start]), chr(points[i - 1])
            parts.append(re.escape(low) if low == high else f"{re.escape(low)}-{re.escape(high)}")
            start = i
    return f"[{''.join(parts)}]"


def _by_reading() -> dict[str, str]:
    return _sounds()[1]


def as_sounds(text: str) -> str:
    """`text` in sound codes (see `_sounds`): what `pattern` searches."""
    return text.translate(_sounds()[0])


@cache
def _read_as(reading: str) -> str:
    """A class: the codes of the characters with this reading."""
    return _class(_by_reading().get(reading, ""))


@cache
def _starting(start: str) -> str:
    """A class: the codes of the characters with a reading that starts so."""
    return _class("".join(chars for r, chars in _by_reading().items() if r.startswith(start)))


def _ways(typed: str) -> list[list[str]]:
    """Ways of reading `typed` as characters, each a list of classes: a character spelled
    in full, or by its first letter, and the last one by any start (longest first)."""
    syllables = _by_reading()
    ways: list[list[str]] = []

    def go(at: int, classes: list[str]) -> None:
        if len(ways) >= READINGS_AT_MOST:
            return
        rest = typed[at:]
        if not rest:
            ways.append(classes)
            return
        if any(r.startswith(rest) for r in syllables):  # the last one, typed so far
            ways.append([*classes, _starting(rest)])
        for end in range(len(typed), at + 1, -1):  # a whole syllable, the longest first
            if typed[at:end] in syllables and len(rest) > end - at:
                go(end, [*classes, _read_as(typed[at:end])])
        if len(rest) > 1:
            go(at + 1, [*classes, _starting(rest[0])])  # its first letter

    go(0, [])
    return ways


@lru_cache(maxsize=256)
def pattern(typed: str) -> re.Pattern[str] | None:
    """What `typed` (letters and digits) sounds like, as a pattern to search text in sound
    codes with (`as_sounds`; a match starts at a character); None when nothing can sound
    so."""
    wanted = "".join(c for c in typed.lower() if c.isalnum())
    if not wanted or not wanted.isascii():
        return None
    ways = _ways(wanted)
    if not ways:
        return None
    firsts = _firsts(ways)
    if len(firsts) == 1:
        return re.compile(_tree(ways))
    # Ways that start with other classes: one class of them all first, then each way
    # after a look back at the character it took. A pattern that starts with a class is
    # searched for at a table's speed (sre's charset prefix); one that starts with a
    # choice tries every position (`jz` over 100,000 titles: 22 ms, not 35).
    branches = "|".join(f"(?<={first}){_after(rests)}" for first, rests in firsts.items())
    return re.compile(f"{_starting(wanted[0])}(?:{branches})")


def _firsts(ways: list[list[str]]) -> dict[str, list[list[str]]]:
    """The ways by their first class: what follows it in each."""
    firsts: dict[str, list[list[str]]] = {}
    for classes in ways:
        firsts.setdefault(classes[0], []).append(classes[1:])
    return firsts


def _after(rests: list[list[str]]) -> str:
    """What may follow a class: nothing (a way ends there), or the rest of the ways."""
    more = [rest for rest in rests if rest]
    if not more:
        return ""
    return f"{_SKIPPED}(?:{_tree(more)}){'?' if len(more) < len(rests) else ''}"


def _tree(ways: list[list[str]]) -> str:
    """The ways as one pattern, those that start alike sharing that start (tried once,
    not once a way)."""
    return "|".join(f"{first}{_after(rests)}" for first, rests in _firsts(ways).items())


@lru_cache(maxsize=256)
def _at_start(typed: str) -> re.Pattern[str] | None:
    found = pattern(typed)
    return None if found is None else re.compile(f"{_SKIPPED}(?:{found.pattern})")


def matches(typed: str, name: str, anywhere: bool = False) -> bool:
    """Whether `typed` spells the start of `name` in pinyin, or, with `anywhere`, of any
    part of it that starts a character."""
    found = pattern(typed) if anywhere else _at_start(typed)
    if found is None:
        return False
    coded = as_sounds(name)
    return bool(found.search(coded) if anywhere else found.match(coded))
