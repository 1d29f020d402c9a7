"""Bytes to text: BOMs, UTF-8, GB18030, and a lossy fallback that says so."""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class BinaryFile(ValueError):
    """The bytes are not text."""


def decode(data: bytes) -> tuple[str, str, str | None]:
    """Return (text, encoding, warning). Line ends become `\\n`.

    Order: a BOM decides; else strict UTF-8; else Windows-1252 for Western text, GB18030
    (a superset of GBK/GB2312, common for Chinese news) for the rest; else replacement
    characters and a warning.
    """
    warning = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            if "\ufffd" in text:
                warning = f"undecodable bytes in {encoding} text were replaced"
            break
    else:
        if b"\x00" in data[:8192]:
            raise BinaryFile("binary data (NUL bytes), not text")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding, warning = _not_utf8(data)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, encoding, warning


_ASCII = bytes(range(128))
_LONE_HIGH = re.compile(rb"(?<![\x80-\xff])[\x80-\xff](?![\x80-\xff])")


def _not_utf8(data: bytes) -> tuple[str, str, str | None]:
    """Bytes that are not UTF-8. Mostly lone high bytes between ASCII (`Caf\xe9`) are a
    Western single-byte encoding, read as Windows-1252 (GBK's characters are byte pairs).
    Else GB18030; else whichever of UTF-8 and GB18030 needs fewer replacements (UTF-8 on a
    tie): a GBK file with one bad or cut-off byte must not turn into UTF-8 garbage."""
    high = len(data.translate(None, _ASCII))  # bytes over 0x7f, counted without a list
    if 2 * len(_LONE_HIGH.findall(data)) > high:
        text = data.decode("cp1252", errors="replace")
        return text, "cp1252", "not UTF-8; read as Windows-1252 (Western European)"
    try:
        return data.decode("gb18030"), "gb18030", None
    except UnicodeDecodeError:
        pass
    text, encoding = min(
        ((data.decode(name, errors="replace"), name) for name in ("utf-8", "gb18030")),
        key=lambda candidate: candidate[0].count("\ufffd"),
    )
    return text, encoding, "not valid UTF-8 or GB18030; undecodable bytes were replaced"
