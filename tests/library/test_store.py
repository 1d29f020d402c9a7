"""The SQLite library: opening, schema versions, saving, views, read state, pruning."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.library import Library, LibraryError, ParsedArticle, View
from reader.library.schema import SCHEMA_VERSION


def article(path: str, **fields: object) -> ParsedArticle:
    base = ParsedArticle(
        path=path,
        title="Title",
        date=None,
        timestamp=None,
        categories=(),
        tags=(),
        url=None,
        kind="markdown",
        body="Body\n",
        text="Body",
        words=1,
        chars=4,
    )
    return base._replace(**fields)


def digest(path: str) -> str:
    """A content hash per path: the library takes equal hashes for one file moved."""
    return hashlib.blake2b(path.encode(), digest_size=16).hexdigest()


def save(library: Library, item: ParsedArticle, root: str | None = None, mtime_ns: int = 0) -> int:
    """Store `item` under `root` (default: its folder), as the importer would."""
    with library.transaction():
        root_id = library.root_id(root or str(Path(item.path).parent))
        article_id, _new = library.save(item, root_id, 10, mtime_ns, digest(item.path))
    library.index_pending()
    return article_id


def test_new_library_uses_wal_and_the_current_schema(library: Library) -> None:
    assert library.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert library.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert library.count() == 0


def test_reopening_keeps_articles(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.db") as first:
        article_id = save(first, article("/posts/a.md", title="Kept"))
    with Library(tmp_path / "lib.db") as again:
        found = again.article(article_id)
        assert found is not None and found.title == "Kept"


def test_library_folder_is_created(tmp_path: Path) -> None:
    with Library(tmp_path / "new" / "dir" / "lib.db") as library:
        assert library.path.exists()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    Library(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(LibraryError, match="newer") as caught:
        Library(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    "content",
    [b"this is a text file, not a database\n" * 10, b"SQLite format 3\x00" + b"\xff" * 200],
)
def test_file_that_is_not_a_library_is_refused_naming_it(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(LibraryError) as caught:
        Library(path)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == content  # left alone


def test_folder_in_place_of_the_library_is_refused(tmp_path: Path) -> None:
    (tmp_path / "lib.db").mkdir()
    with pytest.raises(LibraryError, match="lib.db"):
        Library(tmp_path / "lib.db")


def test_save_round_trips_every_field(library: Library) -> None:
    item = article(
        "/posts/2022-05-20-x.md",
        title="标题",
        date="2022-05-20T13:43:49+08:00",
        timestamp=1653025429.0,
        categories=("jingji", "World News"),
        tags=("经济参考网新闻",),
        url="http://finews.example/x",
        kind="html",
        body="正文\n",
        words=2,
        chars=2,
    )
    article_id = save(library, item, root="/posts")
    found = library.article(article_id)
    assert found is not None
    assert (found.title, found.date, found.url, found.path) == (
        "标题",
        "2022-05-20T13:43:49+08:00",
        "http://finews.example/x",
        "/posts/2022-05-20-x.md",
    )
    assert found.categories == ("jingji", "World News")
    assert found.tags == ("经济参考网新闻",)
    assert (found.kind, found.body, found.words, found.chars) == ("html", "正文\n", 2, 2)
    assert found.source == "posts"
    assert (found.read, found.bookmarked, found.missing) == (False, False, False)
    assert library.article(article_id + 1) is None


def test_saving_the_same_path_again_updates_in_place(library: Library) -> None:
    first = save(library, article("/posts/a.md", title="Old", tags=("old",)))
    library.set_read([first])
    with library.transaction():
        again, is_new = library.save(
            article("/posts/a.md", title="New", tags=("new",)),
            library.root_id("/posts"),
            1,
            2,
            "other",
        )
    assert (again, is_new) == (first, False)
    found = library.article(first)
    assert found is not None
    assert (found.title, found.tags, found.read) == ("New", ("new",), True)
    assert [f.name for f in library.facets("tag")] == ["new"]


def test_summaries_are_newest_first_with_undated_ones_after_the_dated(library: Library) -> None:
    old = save(library, article("/p/old.md", timestamp=1_000_000.0))
    new = save(library, article("/p/new.md", timestamp=3_000_000.0))
    undated = save(library, article("/p/undated.md"), mtime_ns=2_000_000 * 10**9)  # file time
    assert [s.id for s in library.summaries()] == [new, old, undated]
    assert library.ids() == [new, old, undated]
    assert [s.id for s in library.summaries(offset=1, limit=1)] == [old]
    assert [s.id for s in library.summaries_for([old, 999, new])] == [old, new]
    assert library.ids(order="oldest") == [old, new, undated]  # undated last either way
    pages = [library.summaries(offset=n, limit=1, order="oldest") for n in range(4)]
    assert [[s.id for s in page] for page in pages] == [[old], [new], [undated], []]


def test_views_filter_by_read_state_category_tag_and_source(library: Library) -> None:
    a = save(library, article("/one/a.md", categories=("news",), tags=("x",)), root="/one")
    b = save(library, article("/two/b.md", categories=("sport",), tags=("x", "y")), root="/two")
    library.set_read([a])
    assert library.ids(View("unread")) == [b]
    assert library.ids(View("category", "news")) == [a]
    assert sorted(library.ids(View("tag", "x"))) == sorted([a, b])
    assert library.ids(View("source", "two")) == [b]
    assert library.count(View("source", "one")) == 1
    assert library.count(View("tag", "y")) == 1
    assert library.view_counts() == {"all": 2, "unread": 1, "bookmarked": 0}
    library.set_read([a], read=False)
    assert library.count(View("unread")) == 2
    with pytest.raises(ValueError):
        library.count(View("nonsense"))


def test_facets_count_articles_and_unread(library: Library) -> None:
    a = save(library, article("/p/a.md", tags=("x",)))
    save(library, article("/p/b.md", tags=("x", "y")))
    library.set_read([a])
    tags = {f.name: (f.count, f.unread) for f in library.facets("tag")}
    assert tags == {"x": (2, 1), "y": (1, 1)}
    assert [(f.name, f.count) for f in library.facets("source")] == [("p", 2)]


def test_mark_missing_and_prune(library: Library) -> None:
    keep = save(library, article("/p/keep.md"))
    gone = save(library, article("/p/gone.md"))
    with library.transaction():
        root_id = library.root_id("/p")
        assert library.mark_missing(root_id, {keep}) == 1
    found = library.article(gone)
    assert found is not None and found.missing
    assert [s.missing for s in library.summaries_for([keep, gone])] == [False, True]
    assert library.prune() == 1
    assert library.article(gone) is None
    assert library.ids() == [keep]
    assert library.db.execute("SELECT count(*) FROM terms").fetchone()[0] == 0
    assert library.plain_text(keep) == "Body"


def test_prune_keeps_bookmarked_articles(library: Library) -> None:
    marked = save(library, article("/p/marked.md"))
    library.db.execute("UPDATE articles SET bookmarked = 1, missing = 1 WHERE id = ?", (marked,))
    assert library.prune() == 0
    assert library.ids() == [marked]


def test_transaction_rolls_back_on_error(library: Library) -> None:
    with pytest.raises(RuntimeError), library.transaction():
        library.save(article("/p/a.md"), library.root_id("/p"), 1, 1, digest("/p/a.md"))
        raise RuntimeError("boom")
    assert library.count() == 0


def test_settings_round_trip(library: Library) -> None:
    assert library.setting("theme", "dark") == "dark"
    library.set_setting("theme", "light")
    assert library.setting("theme") == "light"


def test_stats_counts_and_size(library: Library) -> None:
    save(library, article("/p/a.md", categories=("c",), tags=("t",)))
    stats = library.stats()
    assert (stats["articles"], stats["unread"], stats["missing"]) == (1, 1, 0)
    assert isinstance(stats["size_bytes"], int) and stats["size_bytes"] > 0
    assert [f.name for f in stats["categories"]] == ["c"]  # type: ignore[attr-defined]


@given(
    st.sampled_from(["all", "unread", "source", "tag", "saved", "search"]),
    st.none() | st.text(st.characters(blacklist_characters="\x1f"), min_size=1),
)
def test_a_view_reads_back_from_its_one_string(kind: str, value: str | None) -> None:
    """`ui.view` and the sidebar's option ids hold a view as one string."""
    view = View(kind, value)
    assert View.decode(view.encoded) == view
    assert View("tag", "汇率").encoded == "tag\x1f汇率" and View().encoded == "all"
