"""Bytes to text: BOMs, UTF-8, GB18030/GBK, line ends, and bytes that cannot be read."""

from __future__ import annotations

import codecs

import pytest

from reader.library.decode import BinaryFile, decode

TEXT = "---\ntitle: 经济 news\n---\n第一段。\nSecond line\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("gbk"), "gb18030"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "gb18030", "gbk"],
)
def test_encodings_decode_to_the_same_text(data: bytes, encoding: str) -> None:
    text, found, warning = decode(data)
    assert text == TEXT  # and the BOM is gone
    assert found == encoding
    assert warning is None


@pytest.mark.parametrize("ending", [b"\r\n", b"\r"], ids=["crlf", "cr"])
def test_line_ends_become_newlines(ending: bytes) -> None:
    data = TEXT.encode("utf-8").replace(b"\n", ending)
    assert decode(data)[0] == TEXT


def test_crlf_in_utf16_becomes_newlines() -> None:
    data = codecs.BOM_UTF16_LE + TEXT.replace("\n", "\r\n").encode("utf-16-le")
    assert decode(data)[0] == TEXT


def test_undecodable_utf8_bytes_are_replaced_with_a_warning() -> None:
    data = "人民币 rises".encode() + b"\xe4\xb8 and \xff\xfe more plain words here\n"
    text, encoding, warning = decode(data)
    assert encoding == "utf-8"
    assert text == "人民币 rises\ufffd and \ufffd\ufffd more plain words here\n"
    assert warning is not None and "replaced" in warning


@pytest.mark.parametrize(
    "western", ["Café au lait", "Un été à Paris — déjà vu", "élan, naïve, Noël", "Straße"]
)
def test_western_text_that_is_not_utf8_is_read_as_windows_1252(western: str) -> None:
    text, encoding, warning = decode(western.encode("cp1252"))
    assert (text, encoding) == (western, "cp1252")
    assert warning is not None and "Windows-1252" in warning


def test_gbk_with_a_cut_off_byte_stays_chinese() -> None:
    text, encoding, warning = decode("人民币汇率上涨，美元指数".encode("gbk") + b"\xb1")
    assert (text, encoding) == ("人民币汇率上涨，美元指数\ufffd", "gb18030")
    assert warning is not None


def test_gbk_with_a_cut_off_last_character_keeps_the_chinese_text() -> None:
    data = ("中文新闻正文。" * 20).encode("gbk") + "经".encode("gbk")[:1]
    text, encoding, warning = decode(data)
    assert encoding == "gb18030"
    assert text.startswith("中文新闻正文。中文新闻正文。")
    assert text.count("\ufffd") == 1
    assert warning is not None


def test_bad_bytes_after_a_bom_are_replaced_with_a_warning() -> None:
    text, encoding, warning = decode(codecs.BOM_UTF8 + b"ok \xff ok")
    assert (text, encoding) == ("ok \ufffd ok", "utf-8")
    assert warning is not None


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(BinaryFile):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
