"""An article's whole text from its web page, for feeds that carry one paragraph: the page
fetched with the feed fetcher's limits (http(s) only, one deadline, a size cap, redirects to
http(s) only), decoded as a browser would, its main text found by readability-lxml (the
better of it and trafilatura on saved English and Chinese pages: benchmarks/bench_extract.py)
and made Markdown by the path every body takes (body.py)."""

from __future__ import annotations

import codecs
import http.client
import logging
import re
import urllib.error
import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from reader.library.body import ConversionError, html_to_markdown, resolve_links, tidy
from reader.library.decode import BinaryFile, decode
from reader.library.fetch import USER_AGENT, TooLarge, get, web_problem
from reader.library.html_text import html_text
from reader.library.parse import MAX_BODY_CHARS
from reader.library.text import clean_line, clean_text, count_words, plain_text

ACCEPT = "text/html, application/xhtml+xml;q=0.9, text/*;q=0.5"
# Less than this is no article (a paywall's teaser, "enable JavaScript"): a word each Latin
# word and each CJK character, so 40 is two or three English sentences or two Chinese ones.
MIN_WORDS = 40
NO_ARTICLE = "no article text found on the page"


class FullTextError(ValueError):
    """A page whose article cannot be had; str() is one line naming the page's address.
    `lasting`: asking again will not help (no article on it, not a web page, gone); a
    timeout, an unreachable server or a 5xx may pass."""

    def __init__(self, message: str, lasting: bool = True) -> None:
        super().__init__(message)
        self.lasting = lasting


@dataclass(frozen=True)
class Page:
    """A fetched page: its address after redirects, its bytes and the charset (lower
    case) and media type its server declared."""

    url: str
    data: bytes
    charset: str | None = None
    content_type: str = "text/html"


def full_text(url: str, timeout: float = 20) -> str:
    """The article at `url` as Markdown (see `extract`), fetched within `timeout` seconds."""
    page = fetch_page(url, timeout)
    if not _textual(page.content_type):
        raise FullTextError(f"{_shown(url)}: not a web page ({clean_line(page.content_type)})")
    try:  # (links are relative to the page, redirects followed; the message names `url`)
        return extract(page_text(page.data, page.charset), page.url)
    except FullTextError:
        raise FullTextError(f"{_shown(url)}: {NO_ARTICLE}") from None


def fetch_page(url: str, timeout: float) -> Page:
    """A web page's bytes, with the feed fetcher's limits (fetch.get). Raises FullTextError
    naming `url` and what went wrong, in words."""
    if urlsplit(url.strip()).scheme.lower() not in ("http", "https"):
        raise FullTextError(f"{_shown(url)}: not a web address (only http and https)")
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    try:
        answer = get(url.strip(), headers, timeout)
    except TooLarge as exc:
        raise FullTextError(f"{_shown(url)}: the page is {exc}") from None
    except urllib.error.HTTPError as exc:  # (404, 410: gone for good; the rest may pass)
        problem = web_problem(exc, url, timeout)
        raise FullTextError(f"{_shown(url)}: {problem}", exc.code in (404, 410)) from None
    except (OSError, ValueError, zlib.error, http.client.HTTPException) as exc:
        # (HTTPError, a redirect off the web and a timeout are OSErrors too)
        problem = web_problem(exc, url, timeout)
        raise FullTextError(f"{_shown(url)}: {problem}", lasting=False) from None
    charset = answer.headers.get_content_charset()
    return Page(answer.url, answer.data, charset, answer.headers.get_content_type())


def _shown(url: str) -> str:
    return clean_line(url)[:200]


def _textual(content_type: str) -> bool:
    return content_type.startswith("text/") or content_type.endswith(("+xml", "/xml"))


# ---- bytes to text ------------------------------------------------------------------------

_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# <meta charset="gbk"> and <meta http-equiv="Content-Type" content="text/html; charset=gbk">
_META_CHARSET = re.compile(rb"<meta\b[^<>]{0,500}?charset\s*=\s*[\"']?\s*([\w.:-]{1,40})", re.I)
META_SCAN = 16 * 1024  # bytes searched for the meta tag (browsers look at 1 KB; pages don't)
# Labels read as browsers read them (the WHATWG Encoding standard): GB2312 and GBK pages
# are GBK's superset GB18030, "Latin-1" pages are Windows-1252, Big5 is Big5-HKSCS.
_LABELS = {
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "gb_2312-80", "csgb2312", "chinese"), "gb18030"),
    **dict.fromkeys(("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii"), "cp1252"),
    "big5": "big5hkscs",
}


def page_text(data: bytes, charset: str | None = None) -> str:
    """A page's bytes as text: a BOM decides, then bytes that are valid UTF-8 are UTF-8
    (a page saved as UTF-8 often keeps its old `gb2312` meta tag), then the charset the
    server declared, then the page's `<meta>` one, else reader.library.decode's guess
    (UTF-8, Windows-1252 or GB18030). Control characters are removed."""
    codec = _codec(charset) or _codec(_meta_charset(data))
    if codec and not data.startswith(_BOMS) and not _utf8(data):
        try:
            return clean_text(data.decode(codec, errors="replace"))
        except (LookupError, UnicodeError):  # a label of no text encoding (base64, idna)
            pass
    try:
        text, _encoding, _warning = decode(data)
    except BinaryFile:  # (NUL bytes: no page of text, and the extractor will find none)
        text = data.decode("utf-8", errors="replace")
    return clean_text(text)


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data, 0, META_SCAN)
    return match.group(1).decode("ascii", "replace") if match else None


def _codec(label: str | None) -> str | None:
    """Python's codec for a charset label, or None for one it does not know."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(_LABELS.get(label, label)).name
    except (LookupError, ValueError):  # (ValueError: a NUL in the label)
        return None
    # a page that says UTF-16 in its own ASCII bytes is not UTF-16 (browsers read UTF-8)
    return "utf-8" if name.startswith(("utf-16", "utf-32")) else name


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# ---- the article --------------------------------------------------------------------------


def extract(html: str, url: str) -> str:
    """The main text of a page's HTML as Markdown: links and images absolute against `url`
    (or the page's `<base href>`), control characters removed. Raises FullTextError when
    there is no article on it."""
    from readability import Document  # type: ignore[import-untyped]  # (no type hints)
    from readability.readability import Unparseable  # type: ignore[import-untyped]

    _quiet()
    try:
        fragment: str = Document(clean_text(html), url=url).summary(html_partial=True)
    except Unparseable:  # (readability's every error: an empty document, lxml giving up)
        fragment = ""
    markdown = markdown_from(fragment, url)
    if count_words(plain_text(markdown))[0] < MIN_WORDS:
        raise FullTextError(f"{_shown(url)}: {NO_ARTICLE}")
    return markdown


def _quiet() -> None:
    """readability logs a traceback before raising; with no handler of the app's, Python
    would print it on the terminal the app draws on."""
    logger = logging.getLogger("readability")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


def markdown_from(fragment: str, url: str) -> str:
    """An extractor's HTML as stored Markdown, by the path every HTML body takes: cleaned,
    converted, links made absolute, tidied, cut at the length a body may have."""
    try:
        markdown = html_to_markdown(clean_text(fragment))
    except ConversionError:  # markup so deep that html2text gives up: its text, then
        markdown = html_text(fragment)
    markdown = clean_text(markdown)  # (entities such as &#27; become controls in conversion)
    if len(markdown) > MAX_BODY_CHARS:
        cut = markdown.rfind("\n", MAX_BODY_CHARS - 10_000, MAX_BODY_CHARS)
        markdown = markdown[: cut if cut > 0 else MAX_BODY_CHARS]
    return tidy(resolve_links(markdown, url))
