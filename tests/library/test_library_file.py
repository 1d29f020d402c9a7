"""The library file: a new one has 16 KB pages and gives the pages an import freed back
(older ones keep their pages as they are); bodies are kept compressed unless short; a
file whose header is gone is read with the page size its pages show."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.library import Library, import_paths
from reader.library.damaged import likely_page_sizes
from reader.library.query import parse
from reader.library.rows import PACK_FROM


def pragma(db: sqlite3.Connection, name: str) -> int:
    return db.execute(f"PRAGMA {name}").fetchone()[0]


def test_a_new_library_has_16_kb_pages_and_an_import_leaves_no_free_pages(
    library: Library, posts: Path
) -> None:
    assert (pragma(library.db, "page_size"), pragma(library.db, "auto_vacuum")) == (16384, 2)
    for n in range(40):
        (posts / f"p{n}.md").write_text(f"# 第{n}篇\n\n" + "汇率上涨，市场平稳。" * 300)
    import_paths(library, [posts], jobs=1)
    with library.transaction():  # what an index merge leaves: pages no table uses
        library.db.execute("CREATE TABLE scratch AS SELECT body FROM articles")
        library.db.execute("DROP TABLE scratch")
    assert pragma(library.db, "freelist_count") > 0
    library.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = library.path.stat().st_size
    assert library.compact() > 0
    assert pragma(library.db, "freelist_count") == 0
    library.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert library.path.stat().st_size < size
    assert library.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert len(library.search(parse("汇率"))) == 40


def test_a_library_made_before_keeps_its_pages_and_compact_leaves_it_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as before:  # made as versions before this one made them
        before.setattr(Library, "_new_file_settings", lambda self: None)
        Library(tmp_path / "old.db").close()
    with Library(tmp_path / "old.db") as library:
        assert (pragma(library.db, "page_size"), pragma(library.db, "auto_vacuum")) == (4096, 0)
        assert library.compact() == 0


def test_bodies_are_kept_compressed_unless_short_and_read_back_whole(
    library: Library, posts: Path
) -> None:
    long_body = "长文章的正文，讲汇率。\n\n" * 40
    (posts / "long.md").write_text(f"---\ntitle: 长\n---\n{long_body}")
    (posts / "short.md").write_text("---\ntitle: 短\n---\n短文 汇率\n")
    import_paths(library, [posts], jobs=1)
    stored = dict(library.db.execute("SELECT title, body FROM articles"))
    assert isinstance(stored["长"], bytes) and len(stored["长"]) < len(long_body.encode())
    assert isinstance(stored["短"], str) and len(stored["短"].encode()) < PACK_FROM
    for article_id in library.ids():
        article = library.article(article_id)
        assert article is not None and isinstance(article.body, str)
        assert article.body.strip() in (long_body.strip(), "短文 汇率")
    assert len(library.search(parse("汇率"))) == 2
    assert library.search(parse("讲汇")) == [i for i in library.ids() if stored_title(library, i)]


def stored_title(library: Library, article_id: int) -> bool:
    row = library.db.execute("SELECT title FROM articles WHERE id = ?", (article_id,)).fetchone()
    return row[0] == "长"


def test_the_page_size_of_a_file_without_its_header_is_read_from_its_pages(
    tmp_path: Path,
) -> None:
    for size in (4096, 16384):
        path = tmp_path / f"lib-{size}.db"
        db = sqlite3.connect(path)
        db.execute(f"PRAGMA page_size = {size}")
        db.execute("CREATE TABLE t (x)")
        db.execute("CREATE INDEX t_x ON t(x)")
        db.executemany("INSERT INTO t VALUES (?)", [(f"row {n} " * 50,) for n in range(3000)])
        db.commit()
        db.close()
        with open(path, "r+b") as file:
            file.write(bytes(100))  # the header gone
        assert likely_page_sizes(path)[0] == size
