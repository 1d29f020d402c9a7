"""`doctor --rebuild-index` writes in slices, so other writers change articles meanwhile:
the index must come out whole and right, whichever articles they touch."""

from __future__ import annotations

from pathlib import Path

import pytest

import reader.library.indexing as search
import reader.library.store as store
from reader.library import Library, import_paths
from reader.library.query import parse


def test_changes_made_during_a_rebuild_leave_a_sound_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    for n in range(6):
        (posts / f"{n}.md").write_text(
            f"---\ntitle: 第{n}篇\ndate: 2024-01-0{n + 1}\ntags: [旧]\n---\n正文 {n}\n",
            encoding="utf-8",
        )
    path = tmp_path / "library.db"
    library = Library(path)
    import_paths(library, [posts], jobs=1)
    ids = sorted(library.ids())
    monkeypatch.setattr(store, "SLICE", 0.0)  # every article its own slice
    monkeypatch.setattr(search, "INDEX_BATCH", 1)
    other = Library(path)  # the app, meanwhile

    def meddle(where: Path) -> None:  # between two slices, as another writer gets its turn
        done = other.db.execute("SELECT count(*) FROM articles WHERE indexed = 1").fetchone()[0]
        if done == 2 and not other.tagged("新标签"):
            other.tag([ids[0], ids[4]], add=["新标签"])  # one behind the rebuild, one ahead
            other.set_note(ids[5], "笔记在后")

    monkeypatch.setattr(store, "give_way", meddle)
    assert library.rebuild_index() == len(ids)
    assert other.tagged("新标签")  # (the meddling happened)
    library.db.execute("INSERT INTO search(search) VALUES ('integrity-check')")  # sound
    assert sorted(library.search(parse("新标签"))) == [ids[0], ids[4]]
    assert library.search(parse("笔记在后")) == [ids[5]]
    assert len(library.search(parse("正文"))) == len(ids)
    assert library.unindexed() == 0


def test_a_rebuild_killed_half_way_does_not_keep_articles_out_of_search(
    tmp_path: Path,
) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a.md").write_text("---\ntitle: 甲\n---\n正文\n", encoding="utf-8")
    library = Library(tmp_path / "library.db")
    import_paths(library, [posts], jobs=1)
    with library.transaction():  # as a rebuild killed half-way left it (its lock gone)
        library.db.execute("INSERT INTO search(search) VALUES ('delete-all')")
        library.db.execute("UPDATE articles SET indexed = 0")
    assert library.search(parse("正文")) == [] and library.unindexed() == 1
    (posts / "b.md").write_text("---\ntitle: 乙\n---\n新的文章\n", encoding="utf-8")
    import_paths(library, [posts], jobs=1)
    assert len(library.search(parse("新的文章"))) == 1  # indexed, not left for a dead rebuild
    assert len(library.search(parse("正文"))) == 1  # and the import finished the rebuild's rest
    library.db.execute("INSERT INTO search(search) VALUES ('integrity-check')")


def test_a_second_rebuild_while_one_runs_is_refused(tmp_path: Path) -> None:
    from reader.library import LibraryError
    from reader.library.turns import rebuild_runs, rebuilding

    path = tmp_path / "library.db"
    library = Library(path)
    assert not rebuild_runs(path)
    with rebuilding(path):  # (a rebuild in another process holds this)
        assert rebuild_runs(path)
        with pytest.raises(LibraryError, match="being rebuilt already"):
            library.rebuild_index()
    assert not rebuild_runs(path)
    assert library.rebuild_index() == 0
