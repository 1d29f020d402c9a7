"""HTML as it is stored: an HTML post keeps its HTML and becomes Markdown (html2text, ~3 ms
a post) only when it is shown. What the import needs of it is cheaper: its plain text for
search and counts (a tag strip, ~20x faster), its first heading, and links made absolute.
"""

from __future__ import annotations

import html
import re

from reader.library.links import absolute
from reader.library.text import clean_line, clean_text, tidy_lines

# Elements whose content is never shown (the converter drops them too, see body.py): their
# start tags are found by one regex; the end by str.find, so an unclosed one stays linear.
_DROPPED = ("script", "style", "noscript", "template", "svg", "head", "iframe", "object")
_HIDING = re.compile(
    r"<(?:(" + "|".join(_DROPPED) + r")\b[^<>]{0,2000}|([a-zA-Z][a-zA-Z0-9]{0,20})\b[^<>]{0,2000}?"
    r"(?=[\sadv])(?:\shidden(?=[\s/>=])|aria-hidden\s*=\s*[\"']?true|display\s*:\s*none|"
    r"visibility\s*:\s*hidden)[^<>]{0,2000})>",
    re.IGNORECASE,
)
_VOID = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_BLOCK = re.compile(
    r"</?(?:p|div|br|h[1-6]|li|ul|ol|tr|table|blockquote|section|article|pre|hr|dd|dt|dl|"
    r"figure|figcaption|center|header|footer)\b[^<>]{0,2000}>",
    re.IGNORECASE,
)
_ALT = re.compile(r"<img\b[^<>]{0,2000}?\balt\s*=\s*([\"'])([^\"'<>]{1,500})\1[^<>]{0,2000}>", re.I)
_CELL = re.compile(r"</?t[dh]\b[^<>]{0,2000}>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,2000}>|<![^<>]{0,2000}>")
_QUOTED = re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE)
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_HEADING = re.compile(r"<h([1-6])\b[^<>]{0,2000}>(.{0,2000}?)</h\1\s*>", re.IGNORECASE | re.DOTALL)
_LINK = re.compile(
    r"""(<(?:a|img|source|area|link)\b[^<>]{0,2000}?\s(?:href|src)\s*=\s*)(["'])([^"'<>]{0,4000})\2""",
    re.IGNORECASE,
)


# Something every hidden element's start tag holds (the regex above run at every `<` cost
# ~40% of html_text): the tag is the one around the clue's first character, if any.
_CLUE = re.compile(r"hidden|display|<(?:" + "|".join(_DROPPED) + ")")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _drop_hidden(markup: str) -> str:
    lower = markup.lower()
    if len(lower) != len(markup):  # (`İ` lowers to two characters: keep the places)
        lower = markup.translate(_ASCII_LOWER)
    out, start, at = [], 0, 0
    while clue := _CLUE.search(lower, at):
        # the last `<` before the clue (none since the clue before: that tag was not it)
        tag = lower.rfind("<", at, clue.start() + 1)
        found = _HIDING.match(markup, tag) if tag >= 0 else None
        if found is None or found.end() <= clue.start():  # not a hiding tag around the clue
            at = clue.start() + 1
            continue
        out.append(markup[start:tag])
        name = (found[1] or found[2]).lower()
        start = at = found.end()
        if name in _VOID or found[0].endswith("/>"):
            continue
        start = at = _end_of(lower, name, start)
        if start < 0:  # never closed: the rest is inside it
            return "".join(out)
    out.append(markup[start:])
    return "".join(out)


def _end_of(lower: str, name: str, at: int) -> int:
    """Where the element `name` open at `at` ends (counting ones of its name inside), or -1."""
    depth = 1
    while depth:
        close = _find(lower, f"</{name}", at, len(lower))
        if close < 0:
            return -1
        opened = -1 if name in ("script", "style") else _find(lower, f"<{name}", at, close)
        if opened >= 0:
            depth, at = depth + 1, opened + 1
        else:
            depth, at = depth - 1, close + 1
    end = lower.find(">", at)
    return -1 if end < 0 else end + 1


def _find(lower: str, token: str, at: int, stop: int) -> int:
    """The next `<p` or `</p` that is that tag (not `<pre`) in lower[at:stop], or -1."""
    while (index := lower.find(token, at, stop)) >= 0:
        after = lower[index + len(token) : index + len(token) + 1]
        if not (after.isalnum() or after in "-_:") or not after:
            return index
        at = index + 1
    return -1


def html_text(markup: str) -> str:
    """The text of an HTML body: blocks on lines of their own, entities decoded."""
    text = _drop_hidden(_COMMENT.sub("", markup) if "<!--" in markup else markup)
    text = _ALT.sub(r" \2 ", text) if "alt" in text else text
    text = _BLOCK.sub("\n", text)
    text = _CELL.sub(" ", text)
    text = _TAG.sub("", text)
    if ">" in text:  # a `> quote` line among the tags (Markdown habits): its text alone
        text = _QUOTED.sub("", text)
    text = html.unescape(text)
    text = _SPACES.sub(" ", clean_text(text))
    return tidy_lines("\n".join(line.strip() for line in text.splitlines())).strip()


def html_heading(markup: str) -> str:
    """The text of the first heading, or ""."""
    match = _HEADING.search(markup)
    return clean_line(html.unescape(_TAG.sub("", match.group(2)))) if match else ""


def resolve_html_links(markup: str, base: str | None) -> str:
    """Link and image targets made absolute (see links.absolute), as Markdown posts' are."""
    if "href" not in markup and "src" not in markup:
        return markup
    return _LINK.sub(lambda m: m[1] + m[2] + _resolved(m[3], base) + m[2], markup)


def _resolved(target: str, base: str | None) -> str:
    if target.startswith(("http://", "https://", "#")):  # (absolute() keeps these)
        return target
    plain = html.unescape(target)
    resolved = absolute(plain, base)
    return target if resolved == plain else html.escape(resolved, quote=True)
