"""HTML inside Markdown (markdown-it's html_inline and html_block tokens) as a list of tags
and text, for the renderer to lay out. The fragments are untrusted: they are read with
the stdlib html.parser and only the tags named here mean anything; the rest is text."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import urlsplit

from rich.style import Style

from reader.library.text import clean_text

EMBEDS = {
    "iframe": "video",
    "video": "video",
    "audio": "audio",
    "embed": "embed",
    "object": "embed",
}
DROP = frozenset({"script", "style", "noscript", "template", "head", "title", "svg"})
BLOCKS = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "table",
        "blockquote", "section", "article", "center", "figure", "figcaption", "pre", "dl",
        "dt", "dd", "header", "footer", "hr", "aside", "main", "nav", "details", "summary",
    }
)  # fmt: skip
VOID = frozenset({"br", "hr", "img", "source", "embed", "wbr", "input", "area", "col", "track"})
STYLES = {
    "b": Style(bold=True),
    "strong": Style(bold=True),
    "i": Style(italic=True),
    "em": Style(italic=True),
    "cite": Style(italic=True),
    "var": Style(italic=True),
    "u": Style(underline=True),
    "ins": Style(underline=True),
    "s": Style(strike=True),
    "strike": Style(strike=True),
    "del": Style(strike=True),
    "small": Style(dim=True),
    "sup": Style(dim=True),
    "sub": Style(dim=True),
    "mark": Style(reverse=True),
    "kbd": Style(reverse=True),
    "code": Style(reverse=True),
    "tt": Style(reverse=True),
}
SUPERSCRIPT = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")


class Event(NamedTuple):
    kind: str  # start | end | data
    tag: str = ""
    attrs: dict[str, str] = {}  # noqa: RUF012 - never mutated
    data: str = ""


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[Event] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(Event("start", tag, {k: v or "" for k, v in attrs[:50]}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.events.append(Event("end", tag))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(Event("end", tag))

    def handle_data(self, data: str) -> None:
        self.events.append(Event("data", data=data))


def events(fragment: str) -> list[Event]:
    """The tags and text of an HTML fragment, in order (comments and declarations dropped)."""
    parser = _Collector()
    try:
        parser.feed(fragment)
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup
        pass
    return parser.events


def openable(url: str) -> str | None:
    """The link the reader may open: http(s) only; `//host/x` is read as `https://host/x`.
    Entities in an attribute (`&#27;`) decode to controls: a URL holding any is refused."""
    url = url.strip()
    if clean_text(url) != url or any(ch.isspace() for ch in url):
        return None
    if url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url
    return None


def embed_label(tag: str, url: str | None) -> str:
    """`[video: v.qq.com]`: what an iframe, video or audio element is, and where from."""
    kind = EMBEDS.get(tag, "embed")
    host = urlsplit(url).hostname if url else None
    return f"[{kind}: {host}]" if host else f"[{kind}]"


def small_script(text: str, tag: str) -> str:
    """Superscript or subscript digits where Unicode has them all; else the text as it is."""
    table = SUPERSCRIPT if tag == "sup" else SUBSCRIPT
    mapped = text.translate(table)
    return mapped if all(ord(c) > 127 for c in mapped if not c.isspace()) else text
