"""An article as the library stores it: the columns of its row and its term rows, written
alike by `Library.save` (one article) and `Library.add_articles` (an import's batch)."""

from __future__ import annotations

import zlib

from reader.library.models import ParsedArticle
from reader.library.order import fts_rowid, order_ts, tie_key, title_key
from reader.library.state import _join, term_key

ADD_TERM = "INSERT OR IGNORE INTO terms(article_id, kind, key, name, pos) VALUES (?,?,?,?,?)"


def columns(
    article_id: int,
    article: ParsedArticle,
    root_id: int,
    size: int,
    mtime_ns: int,
    digest: str,
) -> tuple[object, ...]:
    """The article's stored fields: root_id, size, mtime_ns, hash, title, date, sort_ts,
    categories, url, kind, body, words, chars, path, order_ts, tie_key, title_key, html,
    fts_rowid."""
    sort_ts = article.timestamp if article.timestamp is not None else mtime_ns / 1e9
    seconds = order_ts(article.timestamp)
    return (
        root_id,
        size,
        mtime_ns,
        digest,
        article.title,
        article.date,
        sort_ts,
        _join(article.categories),
        article.url,
        article.kind,
        stored_body(article.body),
        article.words,
        article.chars,
        article.path,
        seconds,
        tie_key(article.title),
        title_key(article.title),
        int(article.kind == "html"),  # the body is HTML, made Markdown when shown
        fts_rowid(seconds, article_id),
    )


def terms(
    article_id: int, article: ParsedArticle, hidden: set[str]
) -> list[tuple[int, str, str, str, int]]:
    """The article's term rows (categories, tags, `extra`'s authors…); the first of names
    alike (ignoring case) wins."""
    rows, seen = [], set()
    kinds = (("category", article.categories), ("tag", article.tags), *article.extra.items())
    for kind, names in kinds:
        for pos, name in enumerate(names):
            key = term_key(name)
            if (kind, key) not in seen and not (kind == "tag" and key in hidden):
                seen.add((kind, key))
                rows.append((article_id, kind, key, name, pos))
    return rows


PACK_FROM = 256  # bytes: a shorter body is kept as text (compressing would not pay)


def stored_body(body: str | bytes) -> str | bytes:
    """The body as the library keeps it: compressed unless short (an HTML post's HTML
    2.7x smaller, Markdown 1.4x; the importer's parser processes compress it, see
    ingest._work). `body.unpacked` reads either."""
    if isinstance(body, str) and len(body) * 3 >= PACK_FROM:  # (3: an upper bound; cheap)
        data = body.encode()
        if len(data) >= PACK_FROM:
            return zlib.compress(data, 6)
    return body
