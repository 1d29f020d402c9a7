"""Article Markdown -> styled lines, with numbered links as newsboat shows them.

Pure Rich (no Textual), so it runs in a worker thread and is tested on its own. The
stored text is never changed: paragraph splitting of a wall of text happens here only.
Article text always becomes `Text` objects, never markup strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text

from reader.library.models import Article
from reader.library.text import clean_line, clean_text, split_sentences
from reader.ui.dates import DATE_FORMAT, format_date
from reader.ui.wrap import wrap

if TYPE_CHECKING:
    from markdown_it.token import Token

WALL = 400  # a paragraph longer than this many characters is split at sentence ends
CHUNK = 160  # ... into paragraphs of about this many characters


@dataclass(frozen=True)
class Styles:
    """Rich styles for each part of an article, taken from the widget's CSS."""

    title: Style = Style(bold=True)
    meta: Style = Style(dim=True)
    heading: Style = Style(bold=True, underline=True)
    link: Style = Style(underline=True)
    link_number: Style = Style(dim=True)
    quote: Style = Style(italic=True)
    code: Style = Style(reverse=True)
    image: Style = Style(italic=True, dim=True)
    tag: Style = Style(bold=True)
    match: Style = Style(reverse=True)  # search terms


@dataclass
class Block:
    kind: str  # para | heading | code | rule | table | blank
    text: Text = field(default_factory=Text)
    indent: str = ""
    hanging: str = ""
    level: int = 0
    rows: list[list[Text]] = field(default_factory=list)


@dataclass
class Document:
    """An article laid out into blocks, and the links it numbers; wrap with `lines`."""

    blocks: list[Block]
    links: list[str]

    def lines(self, width: int, styles: Styles) -> list[Text]:
        out: list[Text] = []
        for block in self.blocks:
            if block.kind == "blank":
                if out and out[-1].plain:
                    out.append(Text())
            elif block.kind == "rule":
                out.append(Text("─" * min(width, 40), style=styles.meta))
            elif block.kind == "code":
                for line in block.text.split("\n"):
                    line.truncate(width, overflow="ellipsis")
                    out.append(Text(block.indent) + line)
            elif block.kind == "table":
                out.extend(_table_lines(block, width))
            else:
                out.extend(wrap(block.text, width, block.indent, block.hanging))
        while out and not out[-1].plain:
            out.pop()
        if self.links:
            out += [Text(), Text("Links", style=styles.heading)]
            for number, url in enumerate(self.links, 1):
                label = Text.assemble((f"[{number}] ", styles.link_number), (url, styles.link))
                out.extend(wrap(label, width, "", " " * (len(str(number)) + 3)))
        return out


def header(
    article: Article, styles: Styles, width: int, date_format: str = DATE_FORMAT
) -> list[Text]:
    """Title, date, source, categories, tags and link, above the body."""
    lines = wrap(Text(article.title, style=styles.title), width)
    facts: list[tuple[str, str | Text]] = [
        ("Date", format_date(article.date, date_format, with_time=True)),
        ("Source", article.source),
        ("Categories", ", ".join(article.categories)),
        ("Tags", tag_text(article.tags, article.user_tags, styles)),
        ("Link", article.url or ""),
        ("Note", article.note),
    ]
    for label, value in facts:
        if value:
            line = Text.assemble((f"{label:<11}", styles.meta), value)
            lines.extend(wrap(line, width, "", " " * 11))
    if article.missing:
        lines.append(Text("(the source file is gone)", style=styles.meta))
    lines.append(Text("─" * min(width, 90), style=styles.meta))
    return lines


def tag_text(tags: tuple[str, ...], user_tags: tuple[str, ...], styles: Styles) -> Text:
    """Source tags as `#tag`; the reader's own as `+tag` in the tag colour."""
    text = Text()
    for tag in tags:
        if text:
            text.append("  ")
        if tag in user_tags:
            text.append(f"+{tag}", styles.tag)
        else:
            text.append(f"#{tag}")
    return text


@cache
def _parser():  # noqa: ANN202 - markdown-it loads when the first article opens, not at start
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def layout(article: Article, styles: Styles) -> Document:
    """Parse the body once; wrapping for a width is `Document.lines`."""
    if article.kind == "text":
        return _plain(article.body)
    return _Builder(styles).build(_parser().parse(article.body))


def _plain(body: str) -> Document:
    blocks: list[Block] = []
    for paragraph in body.split("\n\n"):
        if paragraph.strip():
            for part in split_wall(paragraph.strip()):
                blocks += [Block("para", Text(part)), Block("blank")]
    return Document(blocks, [])


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


class _Builder:
    def __init__(self, styles: Styles) -> None:
        self.styles = styles
        self.blocks: list[Block] = []
        self.links: list[str] = []
        self.prefixes: list[tuple[str, str]] = []  # (first line, other lines) per nesting
        self.list_counters: list[int | None] = []
        self.pending_item = False

    def build(self, tokens: list[Token]) -> Document:
        self._walk(tokens)
        return Document(self.blocks, self.links)

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
                text = self._inline(tokens[i + 1])
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
                if not token.hidden:
                    self._blank()
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
            elif kind == "list_item_close":
                self.prefixes.pop()
            elif kind == "blockquote_open":
                self.prefixes.append(("▌ ", "▌ "))
            elif kind == "blockquote_close":
                self.prefixes.pop()
                self._blank()
            elif kind in ("fence", "code_block"):
                text = Text(token.content.rstrip("\n"), style=self.styles.code)
                self._add("code", text)
                self._blank()
            elif kind == "hr":
                self._add("rule", Text())
                self._blank()
            elif kind == "html_block":
                text = Text(clean_line(token.content), style=self.styles.meta)
                if text.plain:
                    self._add("para", text)
                    self._blank()
            elif kind == "table_open":
                end = next(j for j in range(i, len(tokens)) if tokens[j].type == "table_close")
                self._table(tokens[i:end])
                i = end + 1
                continue
            i += 1

    def _inline(self, token: Token) -> Text:
        text = Text()
        styles: list[Style] = []
        link_number: list[int | None] = []
        for child in token.children or []:
            kind = child.type
            style = Style.combine(styles) if styles else None
            if kind == "text":  # entities are decoded here: "&#x202e;" is clean no more
                text.append(clean_text(child.content), style)
            elif kind == "softbreak":
                text.append(" " if _latin_edge(text.plain) else "", style)
            elif kind == "hardbreak":
                text.append("\n")
            elif kind == "code_inline":
                text.append(child.content, self.styles.code)
            elif kind in ("em_open", "strong_open", "s_open"):
                styles.append(
                    {"em_open": Style(italic=True), "strong_open": Style(bold=True)}.get(
                        kind, Style(strike=True)
                    )
                )
            elif kind in ("em_close", "strong_close", "s_close"):
                if styles:
                    styles.pop()
            elif kind == "link_open":
                href = str(child.attrGet("href") or "")
                number = self._number(href) if href and not href.startswith("#") else None
                link_number.append(number)
                styles.append(self.styles.link)
            elif kind == "link_close":
                if styles:
                    styles.pop()
                number = link_number.pop() if link_number else None
                if number is not None:
                    text.append(f"[{number}]", self.styles.link_number)
            elif kind == "image":
                src = str(child.attrGet("src") or "")
                alt = clean_line(child.content) or "image"
                number = self._number(src) if src else None
                label = f"[image: {alt}]" + (f"[{number}]" if number else "")
                if text.plain and not text.plain.endswith("\n"):
                    text.append("\n")
                text.append(label, self.styles.image)
            elif kind == "html_inline" and child.content.lower().startswith("<br"):
                text.append("\n")
        return text

    def _number(self, url: str) -> int:
        if url in self.links:
            return self.links.index(url) + 1
        self.links.append(url)
        return len(self.links)

    def _table(self, tokens: list[Token]) -> None:
        rows: list[list[Text]] = []
        for token in tokens:
            if token.type == "tr_open":
                rows.append([])
            elif token.type == "inline" and rows:
                rows[-1].append(self._inline(token))
        self._add("table", Text(), rows=rows)
        self._blank()


def _latin_edge(plain: str) -> bool:
    """A soft line break joins with a space between Latin words, with nothing in Chinese."""
    return bool(plain) and plain[-1].isascii()


def _table_lines(block: Block, width: int) -> list[Text]:
    from rich.table import Table

    rows = block.rows
    if not rows:
        return []
    table = Table(show_header=True, header_style="bold", expand=False, box=None, pad_edge=False)
    columns = max(len(r) for r in rows)
    for n in range(columns):
        table.add_column(rows[0][n] if n < len(rows[0]) else "")
    for row in rows[1:]:
        table.add_row(*row, *[""] * (columns - len(row)))
    console = Console(width=width, color_system=None, legacy_windows=False)
    out = []
    for line in console.render_lines(table, console.options.update_width(width), pad=False):
        text = Text()
        for segment in line:
            text.append(segment.text, segment.style)
        text.rstrip()
        out.append(text)
    return out


def measure(lines: list[Text]) -> int:
    return max((cell_len(line.plain) for line in lines), default=0)
