"""markdown-it tokens -> blocks of styled text, with links numbered and HTML fragments,
footnotes and tables laid out. Pure Rich; `reader.ui.render` wraps the blocks to a width.

Only http(s) links get a number (and can be opened); any other link shows its text only.
A picture's `[image: alt]` line carries its number in the style's meta (PICTURE), so the
view can find that line after wrapping and show the picture above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from reader.library.text import clean_line, clean_text, is_cjk, split_sentences
from reader.ui.fragment import (
    BLOCKS,
    DROP,
    EMBEDS,
    STYLES,
    VOID,
    Event,
    embed_label,
    events,
    openable,
    small_script,
)
from reader.ui.wrap import NO_LINE_START

if TYPE_CHECKING:
    from markdown_it.token import Token

    from reader.ui.render import Styles

WALL = 400  # a paragraph longer than this many characters is split at sentence ends
CHUNK = 160  # ... into paragraphs of about this many characters
_SPACES = re.compile(r"\s+")
_CLOSING = "".join(NO_LINE_START)
PICTURE = "picture"  # the meta key of a picture's label: its index in `Builder.pictures`


@dataclass
class Block:
    kind: str  # para | heading | code | rule | table | blank
    text: Text = field(default_factory=Text)
    indent: str = ""
    hanging: str = ""
    level: int = 0
    rows: list[list[Text]] = field(default_factory=list)
    aligns: list[str] = field(default_factory=list)


def split_wall(paragraph: str) -> list[str]:
    """A paragraph too long to read in one piece, split at sentence ends."""
    if len(paragraph) <= WALL or "\n" in paragraph:
        return [paragraph]
    parts, current = [], ""
    for sentence in split_sentences(paragraph):
        current += sentence
        if len(current) >= CHUNK:
            parts.append(current.strip())
            current = ""
    if current.strip():
        if parts and len(current) < CHUNK // 3:
            parts[-1] += current.rstrip()
        else:
            parts.append(current.strip())
    return parts


class _Run:
    """One paragraph's text as it is built, with the styles open at its end."""

    def __init__(self) -> None:
        self.text = Text()
        self.open: list[tuple[str, Style | None, int | None]] = []  # key, style, link number
        self.drop = 0  # inside <script>, <style>...: text is not shown
        self.script = ""  # inside <sup> or <sub>
        self.detached = False  # a placeholder ended the line: what follows starts a new one
        self.embed: str | None = None  # a <video> or <audio> whose <source> is still to come

    def style(self) -> Style | None:
        styles = [style for _key, style, _n in self.open if style]
        return Style.combine(styles) if styles else None

    def add(self, text: str, style: Style | None = None) -> None:
        if self.drop or not text:
            return
        if self.detached:
            text = text.lstrip()
            marks = len(text) - len(text.lstrip(_CLOSING))  # `.` after an image stays with it
            if marks:
                self.text.append(text[:marks], style or self.style())
                text = text[marks:].lstrip()
            if not text:
                return
            self.text.append("\n")
            self.detached = False
        if self.script:
            text = small_script(text, self.script)
        self.text.append(text, style or self.style())

    def own_line(self, label: str, style: Style) -> None:
        """A placeholder on a line of its own."""
        if self.text.plain.strip() and not self.text.plain.endswith("\n"):
            self.text.append("\n")
        self.text.append(label, style)
        self.detached = True

    def push(self, key: str, style: Style | None, number: int | None = None) -> None:
        self.open.append((key, style, number))

    def pop(self, key: str) -> tuple[bool, int | None]:
        """Close the innermost `key`: (whether one was open, its link number)."""
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == key:
                number = self.open[i][2]
                del self.open[i]
                return True, number
        return False, None


class Builder:
    def __init__(self, styles: Styles) -> None:
        self.styles = styles
        self.blocks: list[Block] = []
        self.links: list[str] = []
        self.prefixes: list[tuple[str, str]] = []  # (first line, other lines) per nesting
        self.list_counters: list[int | None] = []
        self.pending_item = False
        self.pictures: list[tuple[str, str]] = []  # (source as written, alt text)
        self.in_table = False  # a picture in a table cell stays a label

    def build(self, tokens: list[Token]) -> tuple[list[Block], list[str]]:
        self._walk(tokens)
        return self.blocks, self.links

    def _prefix(self) -> tuple[str, str]:
        first = "".join(
            p[0] if i == len(self.prefixes) - 1 and self.pending_item else p[1]
            for i, p in enumerate(self.prefixes)
        )
        rest = "".join(p[1] for p in self.prefixes)
        self.pending_item = False
        return first, rest

    def _add(self, kind: str, text: Text, **extra: object) -> None:
        first, rest = self._prefix()
        self.blocks.append(Block(kind, text, first, rest, **extra))  # type: ignore[arg-type]

    def _blank(self) -> None:
        if not self.list_counters:
            self.blocks.append(Block("blank"))

    def _walk(self, tokens: list[Token]) -> None:
        i = 0
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if kind == "heading_open":
                text = self._inline(tokens[i + 1])
                text.stylize(self.styles.heading)
                self._add("heading", text, level=int(token.tag[1]))
                self._blank()
                i += 3
                continue
            if kind == "paragraph_open":
                self._paragraph(self._inline(tokens[i + 1]), token.hidden)
                i += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                start = int(token.attrGet("start") or 1) if kind == "ordered_list_open" else None
                self.list_counters.append(start)
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.list_counters.pop()
                self._blank()
            elif kind == "list_item_open":
                counter = self.list_counters[-1]
                if counter is None:
                    marker = "• "
                else:
                    marker = f"{counter}. "
                    self.list_counters[-1] = counter + 1
                self.prefixes.append((marker, " " * len(marker)))
                self.pending_item = True
            elif kind in ("list_item_close", "blockquote_close", "footnote_close"):
                self.prefixes.pop()
                if kind == "blockquote_close":
                    self._blank()
            elif kind == "blockquote_open":
                self.prefixes.append(("▌ ", "▌ "))
            elif kind in ("fence", "code_block"):
                text = Text(clean_text(token.content.rstrip("\n")), style=self.styles.code)
                self._add("code", text)
                self._blank()
            elif kind == "hr":
                self._add("rule", Text())
                self._blank()
            elif kind == "html_block":
                self._html_block(token.content)
            elif kind == "table_open":
                end = next(j for j in range(i, len(tokens)) if tokens[j].type == "table_close")
                self._table(tokens[i:end])
                i = end + 1
                continue
            elif kind == "footnote_block_open":
                self._blank()
                self._add("heading", Text("Notes", style=self.styles.heading))
                self._blank()
            elif kind == "footnote_open":
                marker = f"[^{int(token.meta.get('id', 0)) + 1}] "
                self.prefixes.append((marker, " " * len(marker)))
                self.pending_item = True
            i += 1

    def _paragraph(self, text: Text, hidden: bool = False) -> None:
        pieces = split_wall(text.plain) if not self.prefixes else [text.plain]
        if len(pieces) == 1:
            self._add("para", text)
        else:
            offset = 0
            for piece in pieces:
                start = text.plain.index(piece, offset)
                self._add("para", text[start : start + len(piece)])
                self._blank()
                offset = start + len(piece)
        if not hidden:
            self._blank()

    def _inline(self, token: Token) -> Text:
        run = _Run()
        for child in token.children or []:
            kind = child.type
            if kind == "html_inline":
                for event in events(child.content):
                    self._html(event, run)
            elif run.drop:
                continue
            elif kind == "text":  # entities are decoded here: "&#x202e;" is clean no more
                run.add(clean_text(child.content))
            elif kind == "softbreak":
                run.add(" " if _latin_edge(run.text.plain) else "")
            elif kind == "hardbreak":
                run.text.append("\n")
            elif kind == "code_inline":
                run.add(clean_text(child.content), self.styles.code)
            elif kind in ("em_open", "strong_open", "s_open"):
                styles = {"em_open": Style(italic=True), "strong_open": Style(bold=True)}
                run.push(kind[:-5], styles.get(kind, Style(strike=True)))
            elif kind in ("em_close", "strong_close", "s_close"):
                run.pop(kind[:-6])
            elif kind == "link_open":
                self._link_open(run, str(child.attrGet("href") or ""), "link")
            elif kind == "link_close":
                self._link_close(run, "link")
            elif kind == "image":
                self._image(run, str(child.attrGet("src") or ""), child.content)
            elif kind == "footnote_ref":
                number = int(child.meta.get("id", 0)) + 1
                run.add(f"[^{number}]", self.styles.link_number)
        return run.text

    def _link_open(self, run: _Run, href: str, key: str) -> None:
        url = openable(href)
        number = self._number(url) if url else None
        run.push(key, self.styles.link if number else None, number)

    def _link_close(self, run: _Run, key: str) -> None:
        found, number = run.pop(key)
        if found and number is not None:
            detached, run.detached = run.detached, False  # a linked image: [image: x][2][1]
            run.add(f"[{number}]", self.styles.link_number)
            run.detached = detached

    def _image(self, run: _Run, src: str, alt: str) -> None:
        url = openable(src)
        number = self._number(url) if url else None
        alt = clean_line(alt)
        label = f"[image: {alt or 'image'}]" + (f"[{number}]" if number else "")
        style = self.styles.image
        if src.strip() and not self.in_table:
            style = style + Style.from_meta({PICTURE: len(self.pictures)})
            self.pictures.append((src.strip(), alt))
        run.own_line(label, style)

    def _embed(self, run: _Run, tag: str, src: str) -> None:
        url = openable(src)
        number = self._number(url) if url else None
        label = embed_label(tag, url) + (f"[{number}]" if number else "")
        run.own_line(label, self.styles.image)

    def _html(self, event: Event, run: _Run) -> None:
        """One tag or text of inline HTML: formatting, links, images, embeds; the rest is
        dropped. A block tag in a paragraph breaks the line there, as in HTML (and `<a<p>>`
        does not read as a link tag); `_html_block` makes paragraphs of them."""
        tag = event.tag
        if tag in BLOCKS and event.kind != "data" and not run.drop:
            if run.text.plain and not run.text.plain.endswith("\n"):
                run.text.append("\n")
        elif event.kind == "data":
            run.add(clean_text(_SPACES.sub(" ", event.data)))
        elif event.kind == "end":
            if tag in DROP:
                run.drop = max(0, run.drop - 1)
            elif tag in ("sup", "sub"):
                run.script = ""
                run.pop(tag)
            elif tag == "a":
                self._link_close(run, "a")
            elif tag in ("video", "audio") and run.embed is not None:
                self._embed(run, run.embed, "")
                run.embed = None
            elif tag in STYLES:
                run.pop(tag)
        elif tag in DROP:
            run.drop += 0 if tag in VOID else 1
        elif run.drop:
            return
        elif tag == "br":
            run.text.append("\n")
        elif tag == "img":
            self._image(run, event.attrs.get("src", ""), event.attrs.get("alt", ""))
        elif tag in EMBEDS:
            src = event.attrs.get("src") or event.attrs.get("data", "")
            if tag in ("video", "audio") and not src:
                run.embed = tag  # its <source> may say where it is
            else:
                self._embed(run, tag, src)
        elif tag == "source" and run.embed is not None:
            self._embed(run, run.embed, event.attrs.get("src", ""))
            run.embed = None
        elif tag == "a":
            self._link_open(run, event.attrs.get("href", ""), "a")
        elif tag in STYLES:
            if tag in ("sup", "sub"):
                run.script = tag
            run.push(tag, STYLES[tag])

    def _html_block(self, content: str) -> None:
        """A block of HTML in Markdown: paragraphs at block tags, the rest as inline HTML."""
        run = _Run()
        for event in events(content):
            if event.tag in BLOCKS and not run.drop:
                self._flush(run)
                if event.kind == "start" and event.tag == "li":
                    run.add("• ")
                elif event.kind == "start" and event.tag == "hr":
                    self._add("rule", Text())
                    self._blank()
                continue
            if event.kind == "data":
                if not run.text.plain or run.text.plain.endswith(("\n", " ")):
                    event = event._replace(data=event.data.lstrip())
                if "\n" in event.data.strip():  # a line end between CJK characters is no space
                    event = event._replace(data=_join_lines(event.data))
            self._html(event, run)
        self._flush(run)

    def _flush(self, run: _Run) -> None:
        text = run.text
        text.rstrip()
        if text.plain.strip():
            self._paragraph(text)
        run.text, run.detached = Text(), False

    def _number(self, url: str) -> int:
        if url in self.links:
            return self.links.index(url) + 1
        self.links.append(url)
        return len(self.links)

    def _table(self, tokens: list[Token]) -> None:
        rows: list[list[Text]] = []
        aligns: list[str] = []
        for token in tokens:
            if token.type == "tr_open":
                rows.append([])
            elif token.type == "th_open":
                style = str(token.attrGet("style") or "")
                aligns.append(style.partition("text-align:")[2].strip())
            elif token.type == "inline" and rows:
                self.in_table = True
                rows[-1].append(self._inline(token))
                self.in_table = False
        self._add("table", Text(), rows=rows, aligns=aligns)
        self._blank()


def _latin_edge(plain: str) -> bool:
    """A soft line break joins with a space between Latin words, with nothing in Chinese."""
    return bool(plain) and plain[-1].isascii()


def _join_lines(data: str) -> str:
    lines = [line.strip() for line in data.split("\n")]
    out = lines[0]
    for line in lines[1:]:
        if out and line and not (is_cjk(out[-1]) and is_cjk(line[0])):
            out += " "
        out += line
    return out
