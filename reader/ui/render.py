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
from rich.style import Style
from rich.text import Text

from reader.library.body import readable
from reader.library.fold import in_script
from reader.library.models import Article
from reader.library.views import labelled
from reader.ui.builder import CHUNK, PICTURE, WALL, Block, Builder, split_wall
from reader.ui.dates import DATE_FORMAT, format_date
from reader.ui.table import table_lines
from reader.ui.wrap import wrap

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = [
    "CHUNK",
    "WALL",
    "Document",
    "Styles",
    "header",
    "layout",
    "picture_spots",
    "split_wall",
    "tag_text",
]


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
class Document:
    """An article laid out into blocks, the links it numbers and its pictures (source as
    written, alt text); wrap with `lines`."""

    blocks: list[Block]
    links: list[str]
    pictures: list[tuple[str, str]] = field(default_factory=list)

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
                lines = table_lines(block.rows, block.aligns, width, Style(bold=True), styles.meta)
                out.extend(Text(block.indent) + line for line in lines)
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


COPIES_SHOWN = 9  # a story's other articles listed in the header (`=` reaches every one)


_FULL = {  # what the body is, when the article's page gave a full text (Article.full)
    "shown": "the full article, from its page (F: the feed's own)",
    "kept": "the feed's own (F: the full article, from its page)",
}


def header(
    article: Article,
    styles: Styles,
    width: int,
    date_format: str = DATE_FORMAT,
    script: str = "as-written",
) -> list[Text]:
    """Title, date, source, authors…, categories, tags and link, above the body; the title
    in `script` (see fold.in_script)."""
    lines = wrap(Text(in_script(article.title, script), style=styles.title), width)
    facts: list[tuple[str, str | Text]] = [
        ("Date", format_date(article.date, date_format, with_time=True)),
        ("Source", article.source),
        *labelled(article.extra),
        ("Categories", ", ".join(article.categories)),
        ("Tags", tag_text(article.tags, article.user_tags, styles)),
        ("Link", article.url or ""),
        ("Text", _FULL.get(article.full, "")),
        ("Note", article.note),
    ]
    for label, value in facts:
        if value:
            line = Text.assemble((f"{label:<11}", styles.meta), value)
            lines.extend(wrap(line, width, "", " " * 11))
    for number, copy in enumerate(article.copies[:COPIES_SHOWN], 1):  # (`3=`: copy 3)
        label = "Same story" if number == 1 else ""
        source = copy.categories[0] if copy.categories else copy.source  # (as the list has it)
        date = format_date(copy.date, date_format)
        title = in_script(copy.title, script)
        line = Text.assemble((f"{label:<11}", styles.meta), (f"{number}= ", styles.meta))
        line.append(" · ".join(part for part in (source, date, title) if part))
        lines.extend(wrap(line, width, "", " " * 14))
    if len(article.copies) > COPIES_SHOWN:
        more = len(article.copies) - COPIES_SHOWN
        line = Text(f"{'':<11}and {more} more (= goes through them all)", style=styles.meta)
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
def _parser() -> MarkdownIt:  # markdown-it loads when the first article opens, not at start
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    # Every link is a link (markdown-it would print `[x](file:///etc/passwd)` as text): the
    # builder numbers only those the reader may open and shows the others' text alone.
    parser.validateLink = lambda url: True  # type: ignore[method-assign]  # (as documented)
    return parser.use(footnote_plugin)


def layout(article: Article, styles: Styles, script: str = "as-written") -> Document:
    """Parse the body once (an HTML post's made Markdown first: this runs on the render
    thread), in `script`; wrapping for a width is `Document.lines`."""
    kind, body = readable(article.kind, article.body, article.html)
    if kind == "text":
        return _plain(in_script(body, script))
    builder = Builder(styles)
    blocks, links = builder.build(_in_script(_parser().parse(body), script))
    return Document(blocks, links, builder.pictures)


def picture_spots(lines: list[Text]) -> dict[int, tuple[int, int]]:
    """Where each picture's `[image: alt]` label is in wrapped lines: its number -> (line,
    cells before the label: a list's or a quote's indent)."""
    spots: dict[int, tuple[int, int]] = {}
    for index, line in enumerate(lines):
        for span in line.spans:
            style = span.style  # (`meta` unpickles: read only where a style has some)
            if not isinstance(style, Style) or not style.link_id:
                continue
            number = style.meta.get(PICTURE)
            if isinstance(number, int) and number not in spots:
                spots[number] = (index, cell_len(line.plain[: span.start]))
    return spots


def _in_script(tokens: list[Token], script: str) -> list[Token]:
    """The text of the parsed body in `script`: its words only, never a link's target, an
    image's source, code or raw HTML (converting before parsing changed all of them)."""
    if script == "as-written":
        return tokens
    for token in tokens:
        for child in token.children or ():
            if child.type == "text":
                child.content = in_script(child.content, script)
    return tokens


def _plain(body: str) -> Document:
    blocks: list[Block] = []
    for paragraph in body.split("\n\n"):
        if paragraph.strip():
            for part in split_wall(paragraph.strip()):
                blocks += [Block("para", Text(part)), Block("blank")]
    return Document(blocks, [])


def measure(lines: list[Text]) -> int:
    return max((cell_len(line.plain) for line in lines), default=0)
