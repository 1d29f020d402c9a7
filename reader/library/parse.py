"""One file (or bytes) to a ParsedArticle: encodings, front matter, HTML, Jekyll rules."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from reader.library.body import markdown_of, plain_of, resolve_links
from reader.library.dates import name_parts, parse_date
from reader.library.decode import BinaryFile, decode
from reader.library.frontmatter import split_front_matter
from reader.library.html_text import html_heading, resolve_html_links
from reader.library.models import ParsedArticle, Problem
from reader.library.text import (
    clean_line,
    clean_text,
    count_words,
    plain_text,
    shorten,
    split_sentences,
)
from reader.library.views import BY_NAME, EXTRA, Kind

ARTICLE_SUFFIXES = frozenset(
    {".md", ".markdown", ".mkdn", ".mkd", ".mdown", ".text", ".txt", ".html", ".htm", ".xhtml"}
)
MAX_FILE_BYTES = 16 * 1024 * 1024  # a post larger than this is refused, unread
MAX_BODY_CHARS = 2_000_000  # the rest of a longer body is cut, with a warning
# Raised whenever what the parser makes of a file changes: a re-import then parses every
# file again, so a library gets the fix without its files changing.
# 2: Markdown with a few tags stays Markdown; relative links resolved; no space after **.
# 3: HTML stored as HTML (Markdown when shown); fields recovered from broken front matter.
# The term kinds read count: a library gets a new one's names (author) at the next import.
PARSER_VERSION = "3" + "".join(f"+{kind.name}" for kind in EXTRA)


class ParseError(ValueError):
    """A file that cannot become an article; str() names the reason."""


class NotAnArticle(ParseError):
    """Bytes that are no article at all (binary data): skipped quietly, like an image."""


class Unpublished(Exception):
    """A post marked `published: false` or `draft: true`."""


def read_post(path: str | Path) -> bytes:
    """A file's bytes. Raises OSError, or ParseError for what is not a regular file of a
    sensible size: a FIFO (swapped in after the folder was listed) must not block."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ParseError(f"not a regular file ({_file_kind(info.st_mode)}); not imported")
        # (a read of the size it has, not of the cap: a 16 MB buffer for each post was
        # a tenth of the import's parse time; a file that grew meanwhile is read on)
        data = handle.read(min(info.st_size, MAX_FILE_BYTES) + 1)
        if len(data) > info.st_size:
            data += handle.read(MAX_FILE_BYTES + 1 - len(data))
    if len(data) > MAX_FILE_BYTES:
        raise ParseError(f"larger than {MAX_FILE_BYTES // 2**20} MB; not imported")
    return data


def _file_kind(mode: int) -> str:
    kinds = (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    )
    return next((name for test, name in kinds if test(mode)), "a device")


def parse_file(
    path: str | Path, *, include_unpublished: bool = False, site: str | None = None
) -> ParsedArticle:
    data = read_post(path)
    return parse_bytes(data, str(path), include_unpublished=include_unpublished, site=site)


def parse_bytes(
    data: bytes,
    path: str,
    *,
    include_unpublished: bool = False,
    site: str | None = None,
    with_text: bool = True,
) -> ParsedArticle:
    """Parse one post. Raises ParseError (not an article) or Unpublished (skipped).

    `site` is the URL of the site the post belongs to (a Jekyll `_config.yml`'s `url` and
    `baseurl`): relative links in the post are resolved against the post's own address
    (front matter `permalink`, `url`, ...) or else the site's. `with_text`: False leaves out
    the plain text and its counts (`text` "", `words` and `chars` 0): the import sets them
    when it indexes the article, which makes that text anyway (an HTML post's costs
    ~0.3 ms, a tenth of the import's parsing)."""
    warnings: list[Problem] = []
    try:
        text, _encoding, warning = decode(data)
    except BinaryFile as exc:
        raise NotAnArticle(str(exc)) from None
    if warning:
        warnings.append(Problem(path, warning))
    if _looks_binary(text):
        raise NotAnArticle("binary data, not text")
    split = split_front_matter(text)
    if split.error:
        warnings.append(Problem(path, split.error, split.error_line))
    meta = split.meta
    if not include_unpublished and (meta.get("published") is False or meta.get("draft") is True):
        raise Unpublished(path)
    raw_body = clean_text(split.body).strip("\n")
    if not raw_body.strip() and not meta:
        raise ParseError("empty file")
    if len(raw_body) > MAX_BODY_CHARS:
        cut = raw_body.rfind("\n", MAX_BODY_CHARS - 10_000, MAX_BODY_CHARS)
        raw_body = raw_body[: cut if cut > 0 else MAX_BODY_CHARS]
        message = f"the body is longer than {MAX_BODY_CHARS:,} characters: the rest is cut"
        warnings.append(Problem(path, message, split.body_line))

    source_link = body_url(raw_body)
    kind, body, plain = markdown_of(raw_body, with_text)
    body = _resolved(kind, body, page_url(meta, site))
    stem = Path(path).stem
    file_date, slug = name_parts(stem)

    date_value, timestamp = None, None
    if meta.get("date") not in (None, ""):
        parsed = parse_date(meta["date"]) if _scalar(meta["date"]) is not None else None
        if parsed is None:
            line = _meta_line(text, "date")
            shown = _scalar(meta["date"])
            shown = repr(shown[:60]) if shown is not None else f"(a {type(meta['date']).__name__})"
            warnings.append(Problem(path, f"unrecognised date {shown}", line))
        else:
            date_value, timestamp = parsed
    if date_value is None and file_date is not None:
        date_value, timestamp = file_date

    if meta.get("title") not in (None, "") and _scalar(meta["title"]) is None:
        line = _meta_line(text, "title")
        what = type(meta["title"]).__name__
        warnings.append(Problem(path, f"the title is a {what}, not text; ignored", line))
    title = clean_line(_scalar(meta.get("title")) or "")
    title = title or _heading(kind, body) or slug_title(slug)
    title = title or first_sentence(plain if with_text else plain_of(kind, body))
    title = shorten(title, MAX_TITLE)
    words, chars = count_words(plain) if with_text else (0, 0)
    return ParsedArticle(
        path=path,
        title=title or "(untitled)",
        date=date_value,
        timestamp=timestamp,
        categories=_terms(meta, BY_NAME["category"]),
        tags=_terms(meta, BY_NAME["tag"]),
        url=_meta_url(meta) or source_link,
        kind=kind,
        body=body,
        text=plain,
        words=words,
        chars=chars,
        warnings=tuple(warnings),
        extra={kind.name: names for kind in EXTRA if (names := _terms(meta, kind))},
    )


def parse_entry(
    path: str,
    *,
    title: str,
    date_value: Any,
    tags: list[str],
    url: str | None,
    content: str,
    extra: Mapping[str, Sequence[str]] | None = None,
) -> ParsedArticle:
    """A feed entry as an article, through the same cleaning and HTML→Markdown path;
    `extra`: the entry's names of views.EXTRA's kinds (its authors)."""
    raw_body = clean_text(content).strip("\n")[:MAX_BODY_CHARS]
    kind, body, plain = markdown_of(raw_body)
    # relative links in an entry are relative to the entry's own link
    body = _resolved(kind, body, url.strip() if url and _ABSOLUTE.match(url.strip()) else None)
    parsed = parse_date(date_value) if date_value else None
    title = clean_line(title) or _heading(kind, body) or first_sentence(plain)
    words, chars = count_words(plain)
    link = url.strip() if url and _ABSOLUTE.match(url.strip()) else None
    return ParsedArticle(
        path=path,
        title=shorten(title, MAX_TITLE) or "(untitled)",
        date=parsed[0] if parsed else None,
        timestamp=parsed[1] if parsed else None,
        categories=(),
        tags=_terms({"tags": tags}, BY_NAME["tag"]),
        url=clean_line(link) if link else None,
        kind=kind,
        body=body,
        text=plain,
        words=words,
        chars=chars,
        warnings=(),
        extra={
            kind.name: names
            for kind in EXTRA
            if (names := _terms({kind.front[0]: (extra or {}).get(kind.name)}, kind))
        },
    )


def _scalar(value: Any) -> str | None:
    """A front matter value as text, when it is one value (never str() of a list: an alias
    bomb of nine nested lists would spell out gigabytes)."""
    if isinstance(value, str | int | float | date):
        return str(value)
    return None


_ODD = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


def _looks_binary(text: str) -> bool:
    """Control characters in over a tenth of the start. (Not U+FFFD: a short post with a
    few bytes of some other encoding is still text, imported with a warning.)"""
    sample = text[:4096]
    return len(_ODD.findall(sample)) > len(sample) * 0.1


# ---- titles ---------------------------------------------------------------------------------

_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
MAX_TITLE = 300
_HEXISH = re.compile(r"^[0-9a-f]{8,}$", re.IGNORECASE)


def first_heading(markdown: str) -> str:
    match = _HEADING.search(markdown)
    return clean_line(plain_text(match.group(1))) if match else ""


def _heading(kind: str, body: str) -> str:
    return html_heading(body) if kind == "html" else first_heading(body)


def _resolved(kind: str, body: str, base: str | None) -> str:
    """The body with its links made absolute (see body.resolve_links)."""
    if kind == "html":
        return resolve_html_links(body, base)
    return resolve_links(body, base) if kind == "markdown" else body


def slug_title(slug: str) -> str:
    """`my-first_post` -> `My first post`; an id, hash or number is not a title."""
    words = [w for w in re.split(r"[-_\s.]+", slug) if w]
    if not any(w.isalpha() and not _HEXISH.match(w) for w in words):
        return ""
    title = " ".join(words)
    return clean_line(title[:1].upper() + title[1:])


def first_sentence(text: str) -> str:
    """The first sentence with words in it: a line holding only a number or a hash is skipped."""
    for line in text.splitlines():
        for sentence in split_sentences(line.strip()):
            sentence = sentence.strip()
            if any(ch.isalpha() for ch in sentence) and not _HEXISH.match(sentence):
                return clean_line(shorten(sentence, 40))
    return ""


def _meta_line(text: str, key: str) -> int | None:
    match = re.search(rf"^{re.escape(key)}\s*[:=]", text, re.MULTILINE | re.IGNORECASE)
    return text.count("\n", 0, match.start()) + 1 if match else None


# ---- categories, tags, links -----------------------------------------------------------------

MAX_TERMS = 200


def _terms(meta: dict[str, Any], kind: Kind) -> tuple[str, ...]:
    """A term kind's names from its front matter keys: a list, a string (space-separated
    names for Jekyll's tags and categories, else one name), a number, for names (not
    `words`) a `{name: …}` mapping (Hugo and Jekyll authors), or empty. Unique, in order."""
    found: list[str] = []
    for key in kind.front:
        _collect(meta.get(key), found, 0, kind.words)
    seen: set[str] = set()
    out = []
    for term in found:
        term = clean_line(term)[:200]
        if term and term.casefold() not in seen:
            seen.add(term.casefold())
            out.append(term)
    return tuple(out)


def _collect(value: Any, out: list[str], depth: int, words: bool) -> None:
    if value is None or len(out) >= MAX_TERMS or depth > 4:
        return
    if isinstance(value, str):
        out.extend(value.split()[: MAX_TERMS - len(out)] if words and not depth else [value])
    elif isinstance(value, bool):
        return
    elif isinstance(value, int | float | date):
        out.append(str(value))
    elif isinstance(value, dict) and not words:  # (a tag is never a mapping)
        _collect(value.get("name"), out, depth + 1, words)
    elif isinstance(value, list | tuple):
        for item in value[:MAX_TERMS]:
            _collect(item, out, depth + 1, words)  # list items may hold spaces: "machine learning"
            if len(out) >= MAX_TERMS:
                return


_URL_KEYS = ("link", "url", "source", "canonical_url", "permalink")
_ABSOLUTE = re.compile(r"^https?://[^\s/]+\S*$", re.IGNORECASE)
_LINK_LINE = re.compile(r"^[ \t]*<?(https?://[^\s<>]+)>?[ \t]*$", re.MULTILINE | re.IGNORECASE)


def _meta_url(meta: dict[str, Any]) -> str | None:
    for key in _URL_KEYS:
        value = meta.get(key)
        if isinstance(value, str) and _ABSOLUTE.match(value.strip()):
            return clean_line(value)
    return None


_PAGE_KEYS = ("permalink", "url", "canonical_url", "link")


def page_url(meta: dict[str, Any], site: str | None) -> str | None:
    """The address the post's relative links are relative to: its own page when the front
    matter gives it (absolute, or a relative permalink on the site), else the site's root.
    Never the source a post quotes (`<http://…>` in the body): `../` is not on that site."""
    for key in _PAGE_KEYS:
        value = meta.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        value = clean_line(value)
        if _ABSOLUTE.match(value):
            return value
        if site and key in ("permalink", "url") and value.startswith("/"):
            return site.rstrip("/") + value
    return site


def body_url(body: str) -> str | None:
    """A bare link on a line of its own, like the `<http://...>` source line of many posts."""
    match = _LINK_LINE.search(body)
    return clean_line(match.group(1)) if match else None
