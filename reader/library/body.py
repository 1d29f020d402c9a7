"""A post's body: what it is written in, HTML converted to Markdown, and the one path every
body (a post's or a feed entry's) takes to its stored Markdown and its plain text."""

from __future__ import annotations

import re
import unicodedata
import zlib
from functools import lru_cache
from itertools import islice
from typing import Any

from reader.library.html_text import html_text
from reader.library.links import absolute
from reader.library.text import clean_text, is_cjk, plain_text, tidy_lines

MAX_NESTING = 40  # list and quote levels kept from HTML: deeper ones are flattened


class ConversionError(ValueError):
    """HTML so pathological that html2text gives up."""


def markdown_of(raw: str, text: bool = True) -> tuple[str, str, str]:
    """(kind, body as stored, plain text) of a cleaned body: an HTML body stays HTML (see
    `shown`), Markdown is tidied, plain text is kept as it is. `text`: False when the
    plain text is not wanted ("" then; the import makes it when indexing, see
    `plain_of`)."""
    kind = detect_kind(raw)
    body = raw if kind == "html" else tidy(raw)
    return kind, body, plain_of(kind, body) if text else ""


def plain_of(kind: str, body: str, html: bool | None = None) -> str:
    """The plain text of a body as the parser gives it (`html`: the body is HTML, as a
    parsed HTML post's is; by default when `kind` says so): what search indexes and counts."""
    if kind == "html" if html is None else html:
        return html_text(body)
    return body if kind == "text" else plain_text(body)


def readable(kind: str, body: str, html: bool) -> tuple[str, str]:
    """(kind, Markdown or plain text) of a stored body as it is shown: an HTML post's HTML
    made Markdown (see `shown`; the app calls this on its render thread)."""
    return shown(body) if html else (kind, body)


def unpacked(body: str | bytes) -> str:
    """A stored body as text: a body is kept compressed unless short (see rows.stored_body)."""
    return zlib.decompress(body).decode("utf-8", "replace") if isinstance(body, bytes) else body


@lru_cache(maxsize=32)
def shown(html: str) -> tuple[str, str]:
    """(kind, Markdown) of a stored HTML body, as the reader shows it: converted on first
    open (and kept for the next). HTML so pathological that html2text gives up is shown as
    its text. Entities such as `&#27;` become escape characters only in the conversion: the
    Markdown is cleaned again."""
    try:
        return "html", clean_text(html_to_markdown(html))
    except ConversionError:
        return "text", html_text(html)


_HTML_TAG = re.compile(
    r"<(?:p|div|br|span|img|a|h[1-6]|table|tr|td|ul|ol|li|center|strong|em|b|i|u|blockquote|"
    r"pre|code|section|article|html|body|head|figure|font|hr|iframe|script|style)\b[^<>]{0,2000}>",
    re.IGNORECASE,
)
_MARKDOWN = re.compile(
    r"^(?:#{1,6}\s|>\s?|[-*+]\s|\d+[.)]\s|```|~~~|\s{4}\S|\|.*\|)|"
    r"\[[^\[\]\n]{1,500}\]\((?:[^()\s]|\([^()\s]{0,500}\)){1,2000}\)|<https?://|\*\*\S|__\S|`[^`\n]{1,500}`",
    re.MULTILINE,
)
_CODE = re.compile(r"^(```|~~~).*?^\1|`[^`\n]*`", re.MULTILINE | re.DOTALL)


def detect_kind(body: str) -> str:
    """HTML when tags carry the text; Markdown when Markdown syntax shows; else plain text.

    Tags quoted in Markdown code (`<p>`) do not make a document HTML, and neither do a few
    tags in Markdown (an `<iframe>`, an `<img>`, `<u>`, a `<p>` around an embed): with
    Markdown headings, lists or links about, a document is HTML only when block-level tags
    carry most of its text.
    """
    head = body.lstrip()[:200].lower()
    if head.startswith(("<!doctype html", "<html")):
        return "html"
    scan = _CODE.sub("", body) if "`" in body else body
    tags = list(islice(_HTML_TAG.finditer(scan), 2))  # (none, one, or two or more)
    markdown = _MARKDOWN.search(body) is not None
    if tags and markdown:
        carried, other = _text_weights(scan)
        if not carried or (_MD_BLOCKS.search("\n" + scan) and carried <= other):
            return "markdown"
    if len(tags) >= 2 or (tags and head.startswith("<")):
        return "html"
    return "markdown" if markdown else "text"


_BLOCK_START = re.compile(
    r"[ \t]{0,3}<(?:p|div|h[1-6]|table|tr|td|th|ul|ol|li|blockquote|section|article|center|"
    r"figure|pre|dl|body)\b",
    re.IGNORECASE,
)
# searched in "\n" + text: a literal `\n` is found fast, where `^` is tried everywhere
_MD_BLOCKS = re.compile(r"\n[ \t]{0,3}(?:#{1,6}[ \t]|[-*+][ \t]|\d{1,9}[.)][ \t])")
_ANY_TAG = re.compile(r"<[^<>\n]{0,2000}>")


def _text_weights(body: str) -> tuple[int, int]:
    """(characters on lines a block-level tag starts, characters on other lines), tags and
    blanks left out: `<p><iframe …></iframe></p>` carries nothing."""
    carried = other = 0
    for line in body.splitlines():
        size = len("".join(_ANY_TAG.sub("", line).split()))
        if _BLOCK_START.match(line):
            carried += size
        else:
            other += size
    return carried, other


_AUTOLINK = re.compile(r"<(https?://[^\s<>\"]+)>", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_NESTING = frozenset({"ul", "ol", "li", "blockquote", "dl", "dd"})
_DROP = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg", "head"})


def _hidden(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    if tag in _DROP:
        return True
    for name, value in attrs:
        if name == "hidden" or (name == "aria-hidden" and value == "true"):
            return True
        if name == "style" and value and _HIDDEN_STYLE.search(value):
            return True
    return False


def html_to_markdown(html: str) -> str:
    import html2text  # imported here: a UI start-up does not need it

    class Converter(html2text.HTML2Text):
        """html2text that also drops hidden elements and their content."""

        def __init__(self) -> None:
            super().__init__(bodywidth=0)
            self.unicode_snob = True
            self.ignore_images = False
            self.ignore_links = False
            self.inline_links = True
            self.wrap_links = False
            self.emphasis_mark = "*"  # `_x_后` is no emphasis in CommonMark; `*x*后` is
            self._hide: list[str] = []
            self._nesting = 0  # open list and quote elements

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if self._hide:
                if tag == self._hide[0] and tag not in _VOID:
                    self._hide.append(tag)
                return
            if _hidden(tag, attrs) and tag not in _VOID:
                self._hide.append(tag)
                return
            if tag in _VOID and _hidden(tag, attrs):
                return
            if tag in _NESTING:  # each level indents all within: depth² output, unless capped
                self._nesting += 1
                if self._nesting > MAX_NESTING:
                    return
            super().handle_starttag(tag, attrs)

        def handle_endtag(self, tag: str) -> None:
            if self._hide:
                if tag == self._hide[0]:
                    self._hide.pop()
                return
            if tag in _NESTING:
                self._nesting = max(0, self._nesting - 1)
                if self._nesting >= MAX_NESTING:
                    return
            super().handle_endtag(tag)

        def handle_startendtag(self, tag: str, attrs: Any) -> None:
            self.handle_starttag(tag, attrs)
            if tag not in _VOID:
                self.handle_endtag(tag)

        def handle_data(self, data: str, entity_char: bool = False) -> None:
            if self._hide:
                return
            if self.preceding_stressed and data and _glued(self.preceding_data, data):
                self.preceding_stressed = False  # html2text would add a space after `**`
            if not self.pre and "\n" in data:  # a line break between two CJK characters is
                data = _WIDE_BREAK.sub("", data)  # none (CSS Text 3), not html2text's space
            super().handle_data(data, entity_char)

    converter = Converter()
    # `<http://...>` autolinks mixed into HTML would be read as unknown tags and lost.
    html = _AUTOLINK.sub(r'<a href="\1">\1</a>', html)
    try:
        markdown = converter.handle(html)
    except (RecursionError, AssertionError, IndexError) as exc:  # pathological markup
        raise ConversionError(f"HTML could not be converted: {exc!r}") from None
    return tidy(markdown)


_WIDE = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_WIDE_BREAK = re.compile(f"(?<=[{_WIDE}])[ \t]*\n[ \t]*(?=[{_WIDE}])")


def _glued(before: str, after: str) -> bool:
    """Whether emphasis closing between `before` and `after` needs no space to stay
    emphasis: before punctuation always; before CJK text unless it ends in punctuation
    (`**重点**。` and `**重点**后` read as written; `**注意：** 后` keeps its space)."""
    last, first = before[-1:], after[0]
    if _punctuation(first):
        return bool(last) and not last.isspace()
    return is_cjk(first) and bool(last) and not last.isspace() and not _punctuation(last)


def _punctuation(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


# Link targets: Markdown `](dest` and `[label]: dest`, and href/src attributes of inline HTML.
# Each runs only where its literal occurs (`href` too for the last).
_TARGETS = (
    ("](", re.compile(r"(\]\([ \t]{0,10}<?)([^\s()<>]{1,2000})")),
    ("]:", re.compile(r"^([ \t]{0,3}\[[^\[\]\n]{1,500}\]:[ \t]{0,10}<?)([^\s<>]{1,2000})", re.M)),
    ("src", re.compile(r"(\b(?:href|src|HREF|SRC)[ \t]{0,5}=[ \t]{0,5}[\"'])([^\"'<>\s]{1,2000})")),
)


def resolve_links(markdown: str, base: str | None) -> str:
    """Link and image targets made absolute against `base` (the post's own page or site),
    `//host/x` made `https://host/x`, so the stored Markdown stands on its own. Code is
    left as written; links with a scheme (`file:`, `mailto:`) are kept for the renderer
    to show as text."""
    patterns = [pattern for literal, pattern in _TARGETS if literal in markdown]
    if "href" in markdown and _TARGETS[2][1] not in patterns:
        patterns.append(_TARGETS[2][1])
    if not patterns:
        return markdown

    def resolve(text: str) -> str:
        for pattern in patterns:
            text = pattern.sub(lambda m: m.group(1) + absolute(m.group(2), base), text)
        return text

    if "`" not in markdown and "~~~" not in markdown:
        return resolve(markdown)
    out, start = [], 0
    for code in _CODE.finditer(markdown):
        out.append(resolve(markdown[start : code.start()]))
        out.append(code.group())
        start = code.end()
    out.append(resolve(markdown[start:]))
    return "".join(out)


def tidy(markdown: str) -> str:
    """No trailing blanks, no runs of blank lines, one final newline."""
    return tidy_lines(markdown).strip("\n") + "\n"
