"""`doctor --recover` brings back every reading state from the state journal, whatever
happened to the library file (cut at a quarter, half, three quarters; its header gone;
its last commits lost), and carries over what no folder holds: feed entries, with their
feed, and bookmarked articles whose files are gone, with their text."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from library_helpers import post

from reader.cli import main
from reader.library import Library, View, import_paths, journal
from reader.library.feeds import add_feed, refresh
from reader.library.query import parse

FEEDS = Path(__file__).parent.parent / "feeds"


def state_of(path: Path) -> dict[str, Any]:
    """Every article's reading state (by path), and the saved searches."""
    with Library(path) as library:
        records = library.export_state()["articles"]
        views = [(view.name, view.query) for view in library.saved_views()]
    fields = ("read", "bookmarked", "note", "tags", "hidden_tags")
    return {
        "articles": {r["path"]: {key: r.get(key) for key in fields} for r in records},
        "views": views,
    }


def journal_agrees(path: Path) -> None:
    """The journal beside the library says what the library holds, article by article."""
    assert journal.journal_path(path).exists()
    noted = journal.read(journal.journal_path(path))
    with Library(path) as library:
        for record in library.export_state()["articles"]:
            entry = noted.articles[(record["uid"], record["path"])]
            for key in ("read", "bookmarked"):
                assert entry[key] == record[key], record["path"]
            assert entry["note"] == record.get("note", "")
            assert entry["tags"] == record.get("tags", [])
            assert entry["hidden_tags"] == record.get("hidden_tags", [])
        views = {view.name: view.query for view in library.saved_views()}
    assert {name: query for name, query in noted.saved.items() if query is not None} == views


@pytest.fixture
def shelf(tmp_path: Path, posts: Path) -> Path:
    """200 posts, with state spread from the first rows to the last: read marks,
    bookmarks with notes, user tags, hidden source tags, saved searches."""
    for number in range(200):
        body = f"Article {number} on harbours and tides, paragraph after paragraph.\n" * 15
        (posts / f"post-{number:03}.md").write_text(post(f"Post {number}", body, tags=("news",)))
    path = tmp_path / "lib.db"
    with Library(path) as library:
        import_paths(library, [posts], jobs=1)
        ids = sorted(library.ids())
        library.set_read(ids[::9])
        library.set_bookmark([ids[2], ids[120], ids[199]], True)
        library.set_note(ids[120], "read again in spring")
        library.tag([ids[40], ids[190]], add=["mine", "中文 标签"])
        library.tag([ids[77], ids[198]], remove=["news"])
        library.save_view("harbours", "harbours")
        library.save_view("gone", "tides")
    return path


def last_commits_lost(path: Path) -> None:
    """Make changes the journal records but the library file will not hold: as if the
    write-ahead log with the last commits were lost."""
    older = path.with_name("older.db")
    source = sqlite3.connect(path)
    target = sqlite3.connect(older)
    source.backup(target)
    source.close()
    target.close()
    late = path.parent / "posts" / "post-late.md"
    late.write_text(post("Late", "Harbours, written last.", tags=("news",)))
    with Library(path) as library:
        import_paths(library, [late], jobs=1)
        library.set_bookmark(library.search(parse("title:Late")), True)  # a new article's
        ids = sorted(library.ids())
        library.set_read([ids[0]], False)  # unread again: must stay unread
        library.set_bookmark([ids[150]], True, note="the last thing done")
        library.delete_view("gone")  # deleted: must stay deleted
    older.replace(path)


@pytest.mark.parametrize("cut", ["quarter", "half", "three quarters", "header"])
def test_every_reading_state_comes_back_from_a_cut_library(
    shelf: Path, cut: str, capsys: pytest.CaptureFixture[str]
) -> None:
    last_commits_lost(shelf)
    expected = state_of_journal(shelf)  # what the library held before the last commits
    size = shelf.stat().st_size
    with shelf.open("r+b") as file:
        if cut == "header":
            file.write(bytes(100))
        else:
            file.truncate(int(size * {"quarter": 0.25, "half": 0.5, "three quarters": 0.75}[cut]))
    assert main(["--library", str(shelf), "doctor", "--recover"]) == 0
    out = capsys.readouterr().out
    restored = len(expected["articles"])
    assert f"(from the state journal) restored on {restored} articles; 0 could not" in out
    assert "Saved searches restored: 1." in out
    assert state_of(shelf) == expected
    assert expected["views"] == [("harbours", "harbours")]
    folder = shelf.parent / "posts"
    assert str(folder / "post-000.md") not in expected["articles"]  # read, then unread
    assert expected["articles"][str(folder / "post-150.md")]["note"] == "the last thing done"
    [aside] = shelf.parent.glob("lib.db.damaged-*[0-9]")
    assert aside.stat().st_size > 0
    journal_agrees(shelf)
    assert expected["articles"][str(folder / "post-late.md")]["bookmarked"]
    with Library(shelf) as library:
        assert library.count() == 201
        assert len(library.search(parse("harbours"))) == 201


def state_of_journal(path: Path) -> dict[str, Any]:
    """The state the journal holds, in `state_of`'s shape."""
    noted = journal.read(journal.journal_path(path))
    fields = ("read", "bookmarked", "note", "tags", "hidden_tags")
    articles = {}
    for (_, file), entry in noted.articles.items():
        if any(entry.get(key) for key in fields):
            state = {key: entry.get(key) or None for key in fields}
            state["read"], state["bookmarked"] = entry["read"], entry["bookmarked"]
            articles[file] = state
    views = sorted((name, query) for name, query in noted.saved.items() if query is not None)
    return {"articles": articles, "views": views}


def test_a_healthy_library_keeps_its_feed_entries_and_their_state(
    shelf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wire = tmp_path / "wire.xml"
    shutil.copy(FEEDS / "rss20.xml", wire)
    with Library(shelf) as library:
        add_feed(library, str(wire), name="Wire", tag="wire")
    refresh(shelf)
    with Library(shelf) as library:
        entries = sorted(library.ids(View("source", "Wire")))
        assert len(entries) >= 3
        library.set_bookmark([entries[0]], True, note="a feed entry's note")
        library.set_read(entries[1:])
        library.tag([entries[1]], add=["kept"], remove=["wire"])
        texts = {a.title: a.body for i in entries if (a := library.article(i))}
    wire.unlink()  # the feed file is gone: its entries live only in the library
    before = state_of(shelf)

    assert main(["--library", str(shelf), "doctor", "--recover"]) == 0
    out = capsys.readouterr().out
    assert f"Carried over {len(entries)} feed entries (of 1 feed)" in out
    assert "0 could not be restored" in out
    assert state_of(shelf) == before
    journal_agrees(shelf)
    with Library(shelf) as library:
        [feed] = library.feeds()
        assert (feed.name, feed.tag, feed.url) == ("Wire", "wire", str(wire.resolve()))
        again = sorted(library.ids(View("source", "Wire")))
        assert len(again) == len(entries)
        for article_id in again:
            article = library.article(article_id)
            assert article is not None and texts[article.title] == article.body
            assert article_id in library.search(parse(f'"{article.title}"'))  # searchable
    shutil.copy(FEEDS / "rss20.xml", wire)
    [result] = refresh(shelf)  # the same entries: updated in place, not twice
    assert result.new == 0
    with Library(shelf) as library:
        assert len(library.ids(View("source", "Wire"))) == len(entries)
    assert state_of(shelf) == before


def test_a_bookmarked_article_whose_file_is_gone_is_carried_over(
    shelf: Path, posts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = posts / "post-120.md"  # bookmarked, with a note
    gone.unlink()
    (posts / "post-121.md").unlink()  # nothing of the reader's: not carried over
    before = state_of(shelf)
    assert main(["--library", str(shelf), "doctor", "--recover"]) == 0
    out = capsys.readouterr().out
    assert "and 1 article whose files are gone" in out
    assert state_of(shelf) == before
    with Library(shelf) as library:
        [article_id] = library.search(parse('"read again in spring"'))
        article = library.article(article_id)
        assert article is not None and article.path == str(gone)
        assert article.title == "Post 120" and "harbours and tides" in article.body
        assert article.bookmarked and article.missing
        assert library.count() == 199
    journal_agrees(shelf)


def test_states_that_find_no_article_are_named_and_kept_in_the_journal(
    shelf: Path, posts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bookmarked article whose file is gone and whose row is cut off too: named."""
    (posts / "post-199.md").unlink()
    with shelf.open("r+b") as file:
        file.truncate(shelf.stat().st_size // 4)
    assert main(["--library", str(shelf), "doctor", "--recover"]) == 0
    out = capsys.readouterr().out
    assert "could not be restored" in out
    assert f"not restored: Post 199 ({posts / 'post-199.md'})" in out
    noted = journal.read(journal.journal_path(shelf))
    assert any(path == str(posts / "post-199.md") for _, path in noted.articles)


def test_without_a_journal_the_state_comes_from_the_damaged_file(
    shelf: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A library from before the journal: what its file holds is what there is."""
    before = state_of(shelf)
    journal.journal_path(shelf).unlink()
    assert main(["--library", str(shelf), "doctor", "--recover"]) == 0
    out = capsys.readouterr().out
    assert f"(from the damaged file) restored on {len(before['articles'])} articles" in out
    assert state_of(shelf) == before
    journal_agrees(shelf)


def test_a_pruned_article_is_not_reported_lost(
    shelf: Path, posts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its read mark stays in the journal, but it was removed on purpose."""
    (posts / "post-009.md").unlink()  # read (every ninth is)
    with Library(shelf) as library:
        import_paths(library, [posts], jobs=1)
        assert library.prune() == 1
    before = state_of(shelf)
    assert main(["--library", str(shelf), "doctor", "--recover"]) == 0
    assert "; 0 could not be restored." in capsys.readouterr().out
    assert state_of(shelf) == before
