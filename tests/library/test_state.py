"""The reader's own state: bookmarks, notes, tags, undo, export/import, and that none is lost."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from library_helpers import WritePost, post

from reader.library import Article, Library, View, import_paths
from reader.library.query import parse
from reader.library.schema import MIGRATIONS, SCHEMA_VERSION
from reader.library.state import clean_tag


def load(library: Library, folder: Path) -> dict[str, int]:
    """Import `folder` (serially) and return title -> id."""
    report = import_paths(library, [folder], jobs=1)
    assert not report.errors, report.errors
    return by_title(library)


def by_title(library: Library) -> dict[str, int]:
    found = {}
    for i in library.ids():
        item = library.article(i)
        assert item is not None
        found[item.title] = i
    return found


def get(library: Library, article_id: int) -> Article:
    item = library.article(article_id)
    assert item is not None
    return item


def state_of(item: Article) -> tuple[object, ...]:
    """What the reader gave the article, in a comparable form."""
    return (item.read, item.bookmarked, item.note, item.tags, item.user_tags, item.hidden_tags)


def folded(tags: object) -> set[str]:
    assert isinstance(tags, tuple)
    return {t.casefold() for t in tags}


def found(library: Library, query: str) -> set[int]:
    return set(library.search(parse(query)))


def index_ok(library: Library) -> None:
    library.db.execute("INSERT INTO search(search) VALUES ('integrity-check')")


@pytest.fixture
def three(library: Library, write_post: WritePost, posts: Path) -> dict[str, int]:
    """Three posts: one with source tags `Python` and `外汇`, one with `python`, one bare."""
    write_post("a.md", post("Alpha", "Alpha body.", tags=("Python", "外汇"), categories=("tech",)))
    write_post("b.md", post("Beta", "Beta body.", tags=("python", "misc")))
    write_post("c.md", post("Gamma", "Gamma body."))
    return load(library, posts)


# ---- bookmarks and notes ------------------------------------------------------------------------


def test_bookmark_on_and_off(library: Library, three: dict[str, int]) -> None:
    alpha, beta = three["Alpha"], three["Beta"]
    library.set_bookmark([alpha, beta], True)
    assert get(library, alpha).bookmarked and get(library, beta).bookmarked
    assert set(library.ids(View("bookmarked"))) == {alpha, beta}
    assert library.view_counts()["bookmarked"] == 2
    library.set_bookmark([alpha], False)
    assert not get(library, alpha).bookmarked
    assert set(library.ids(View("bookmarked"))) == {beta}
    assert not get(library, three["Gamma"]).bookmarked


def test_bookmark_with_a_note_and_a_note_bookmarks(library: Library, three: dict[str, int]) -> None:
    alpha, beta = three["Alpha"], three["Beta"]
    library.set_bookmark([alpha], True, note="read later")
    item = get(library, alpha)
    assert item.bookmarked and item.note == "read later"

    library.set_note(beta, "关于汇率的笔记")
    item = get(library, beta)
    assert item.bookmarked, "writing a note bookmarks the article"
    assert item.note == "关于汇率的笔记"

    library.set_note(beta, "")  # clearing the note keeps the bookmark
    item = get(library, beta)
    assert item.note == "" and item.bookmarked


def test_note_is_one_clean_line(library: Library, three: dict[str, int]) -> None:
    alpha = three["Alpha"]
    library.set_note(alpha, "  first\nsecond\x1b[31m red\x00 \u202eend  ")
    assert get(library, alpha).note == "first second red end"


def test_set_bookmark_without_a_note_keeps_the_note(
    library: Library, three: dict[str, int]
) -> None:
    alpha = three["Alpha"]
    library.set_note(alpha, "keep me")
    library.set_bookmark([alpha], True)
    assert get(library, alpha).note == "keep me"


# ---- tags ---------------------------------------------------------------------------------------


def test_source_and_user_tags_are_told_apart(library: Library, three: dict[str, int]) -> None:
    alpha = three["Alpha"]
    item = get(library, alpha)
    assert item.tags == ("Python", "外汇")
    assert item.user_tags == () and item.hidden_tags == ()

    library.tag([alpha], add=["mine", "机器学习"])
    item = get(library, alpha)
    assert item.tags == ("Python", "外汇", "mine", "机器学习")
    assert item.user_tags == ("mine", "机器学习")
    assert item.hidden_tags == ()

    library.tag([alpha], remove=["mine"])  # a user tag simply goes
    item = get(library, alpha)
    assert item.tags == ("Python", "外汇", "机器学习")
    assert item.user_tags == ("机器学习",) and item.hidden_tags == ()


def test_tag_adds_and_removes_on_several_articles(library: Library, three: dict[str, int]) -> None:
    ids = [three["Alpha"], three["Beta"], three["Gamma"]]
    library.tag(ids, add=["shared"])
    assert set(library.tagged("shared")) == set(ids)
    assert library.count(View("tag", "SHARED")) == 3
    library.tag(ids[:2], remove=["shared"])
    assert library.tagged("shared") == [ids[2]]


def test_adding_a_tag_twice_or_in_another_case_keeps_one(
    library: Library, three: dict[str, int]
) -> None:
    gamma = three["Gamma"]
    library.tag([gamma], add=["news", "NEWS", "News"])
    library.tag([gamma], add=["news"])
    assert get(library, gamma).tags == ("news",)


def test_first_spelling_wins_ignoring_case(library: Library, three: dict[str, int]) -> None:
    gamma = three["Gamma"]
    # `Python` (Alpha, the first article) is the library's spelling of the tag.
    assert library.spelling("PYTHON") == "Python"
    assert library.spelling("python") == "Python"
    library.tag([gamma], add=["python"])
    assert get(library, gamma).tags == ("Python",)
    assert set(library.tagged("pYtHoN")) == {three["Alpha"], three["Beta"], gamma}
    # A new tag keeps the spelling it was first given.
    library.tag([gamma], add=["Rust"])
    library.tag([three["Alpha"]], add=["rust"])
    assert "Rust" in get(library, three["Alpha"]).tags
    assert library.spelling("RUST") == "Rust"
    assert library.spelling("unknown Tag") == "unknown Tag"


def test_facets_count_tags_ignoring_case(library: Library, three: dict[str, int]) -> None:
    counts = {f.name.casefold(): f.count for f in library.facets("tag")}
    assert counts == {"python": 2, "外汇": 1, "misc": 1}


def test_facet_names_a_tag_by_its_first_spelling(
    library: Library, write_post: WritePost, posts: Path
) -> None:
    write_post("a.md", post("First", tags=("python",)))
    write_post("b.md", post("Second", tags=("Python",)))
    load(library, posts)
    assert library.spelling("PYTHON") == "python"
    assert [f.name for f in library.facets("tag")] == ["python"]


def test_cjk_tags_and_tags_with_spaces(library: Library, three: dict[str, int]) -> None:
    gamma = three["Gamma"]
    library.tag([gamma], add=["machine learning", "人工 智能", "外汇"])
    item = get(library, gamma)
    assert item.tags == ("machine learning", "人工 智能", "外汇")
    assert library.count(View("tag", "Machine Learning")) == 1
    assert set(library.tagged("外汇")) == {three["Alpha"], gamma}
    assert found(library, 'tag:"machine learning"') == {gamma}
    assert found(library, "tag:外汇") == {three["Alpha"], gamma}


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("  python  ", "python"),
        ("#python", "python"),
        ("##python", "python"),
        ("# spaced #", "spaced #"),
        ("a\x00b\x07c\x7f\x85d", "abcd"),
        ("\x1b[31mred\x1b[0m", "red"),
        ("two\nlines\there", "two lines here"),
        ("\u202eevil", "evil"),
        ("机器 学习", "机器 学习"),
        ("#", ""),
        ("   ", ""),
        ("x" * 150, "x" * 100),
    ],
)
def test_clean_tag(typed: str, clean: str) -> None:
    assert clean_tag(typed) == clean


def test_tags_are_cleaned_when_added_and_empty_ones_ignored(
    library: Library, three: dict[str, int]
) -> None:
    gamma = three["Gamma"]
    library.tag([gamma], add=["  #spaced out ", "\x1b[1mbold\x1b[0m", "#", "   ", ""])
    assert get(library, gamma).tags == ("spaced out", "bold")


def test_set_tags_makes_the_visible_tags_exactly_these(
    library: Library, three: dict[str, int]
) -> None:
    alpha = three["Alpha"]
    library.set_tags(alpha, ["外汇", "  new one ", "#second", "外汇"])
    item = get(library, alpha)
    assert set(item.tags) == {"外汇", "new one", "second"}
    assert item.hidden_tags == ("python",)  # the source tag the editor dropped
    assert set(item.user_tags) == {"new one", "second"}
    library.set_tags(alpha, [])
    item = get(library, alpha)
    assert item.tags == () and item.user_tags == ()
    assert set(item.hidden_tags) == {"python", "外汇"}


def test_removed_source_tag_stays_hidden_after_reimport_of_a_changed_file(
    library: Library, write_post: WritePost, posts: Path
) -> None:
    path = write_post("a.md", post("Alpha", "Old body.", tags=("Python", "外汇")))
    alpha = load(library, posts)["Alpha"]
    library.tag([alpha], remove=["python"], add=["mine"])
    item = get(library, alpha)
    assert item.tags == ("外汇", "mine") and item.hidden_tags == ("python",)

    path.write_text(
        post("Alpha", "New, longer body.", tags=("Python", "外汇", "fresh")), encoding="utf-8"
    )
    report = import_paths(library, [posts], jobs=1)
    assert report.updated == 1
    item = get(library, alpha)
    assert item.tags == ("外汇", "fresh", "mine")
    assert item.user_tags == ("mine",) and item.hidden_tags == ("python",)
    assert found(library, "tag:python") == set()

    library.tag([alpha], add=["Python"])  # adding it back unhides it
    item = get(library, alpha)
    assert "Python" in item.tags and item.hidden_tags == ()
    path.write_text(
        post("Alpha", "Newest body, longer again.", tags=("Python", "外汇")), encoding="utf-8"
    )
    import_paths(library, [posts], jobs=1)
    item = get(library, alpha)
    assert [t.casefold() for t in item.tags].count("python") == 1
    assert set(item.tags) == {"Python", "外汇", "mine"}
    assert item.hidden_tags == ()
    index_ok(library)


def test_rename_tag(library: Library, three: dict[str, int], posts: Path) -> None:
    alpha, beta = three["Alpha"], three["Beta"]
    assert len(library.rename_tag("PYTHON", "编程").ids) == 2
    assert library.tagged("python") == []
    assert set(library.tagged("编程")) == {alpha, beta}
    assert "编程" in get(library, alpha).tags and "Python" not in get(library, alpha).tags
    assert {f.name for f in library.facets("tag")} == {"编程", "外汇", "misc"}
    # The renamed tags came with the files: re-import does not bring the old name back.
    for i in (alpha, beta):
        path = Path(get(library, i).path)
        path.write_text(path.read_text("utf-8") + "\nMore text.\n", "utf-8")
    assert import_paths(library, [posts], jobs=1).updated == 2
    assert library.tagged("python") == []
    assert set(library.tagged("编程")) == {alpha, beta}
    index_ok(library)


def test_rename_tag_onto_an_existing_tag_merges(library: Library, three: dict[str, int]) -> None:
    alpha, beta, gamma = three["Alpha"], three["Beta"], three["Gamma"]
    library.tag([gamma], add=["misc"])
    library.tag([alpha], add=["misc"])
    # misc: Beta (source), Gamma, Alpha (user). Python: Alpha, Beta.
    assert len(library.rename_tag("python", "MISC").ids) == 2
    assert set(library.tagged("misc")) == {alpha, beta, gamma}
    assert library.tagged("python") == []
    for i in (alpha, beta, gamma):
        names = get(library, i).tags
        assert [n.casefold() for n in names].count("misc") == 1
        assert "misc" in names  # merged into the existing spelling
    assert {f.name: f.count for f in library.facets("tag")}["misc"] == 3


def test_rename_tag_changes_only_its_case(library: Library, three: dict[str, int]) -> None:
    assert len(library.rename_tag("python", "PYTHON").ids) == 2
    assert get(library, three["Alpha"]).tags[-1] == "PYTHON"
    assert "PYTHON" in get(library, three["Beta"]).tags
    assert library.spelling("python") == "PYTHON"


def test_rename_tag_to_nothing_is_refused(library: Library, three: dict[str, int]) -> None:
    for bad in ("", "  ", "#"):
        with pytest.raises(ValueError):
            library.rename_tag("python", bad)
    assert len(library.tagged("python")) == 2


def test_delete_tag(library: Library, three: dict[str, int], posts: Path) -> None:
    alpha, beta, gamma = three["Alpha"], three["Beta"], three["Gamma"]
    library.tag([gamma], add=["Python"])
    assert len(library.delete_tag("PYTHON").ids) == 3
    assert library.tagged("python") == []
    assert "python" not in {f.name.casefold() for f in library.facets("tag")}
    assert get(library, alpha).hidden_tags == ("python",)
    assert get(library, gamma).hidden_tags == ()  # a user tag is not hidden, only gone
    assert len(library.delete_tag("python").ids) == 0
    assert len(library.delete_tag("no such tag").ids) == 0
    # Source tags stay deleted when the files are imported again, changed.
    for i in (alpha, beta):
        path = Path(get(library, i).path)
        path.write_text(path.read_text("utf-8") + "\nMore text.\n", "utf-8")
    assert import_paths(library, [posts], jobs=1).updated == 2
    assert library.tagged("python") == []
    assert found(library, "tag:python") == set()
    index_ok(library)


# ---- undo ---------------------------------------------------------------------------------------


def test_snapshot_and_restore_undo_every_kind_of_change(
    library: Library, three: dict[str, int]
) -> None:
    alpha, beta = three["Alpha"], three["Beta"]
    library.tag([beta], add=["keep"])
    library.set_note(beta, "old note")
    library.set_read([beta])
    before = {i: state_of(get(library, i)) for i in (alpha, beta)}
    snap = library.snapshot([alpha, beta])

    library.set_read([alpha, beta], True)
    library.set_read([beta], False)
    library.set_bookmark([alpha], True, note="new note")
    library.set_bookmark([beta], False)
    library.tag([alpha, beta], add=["added"], remove=["python", "keep", "misc", "外汇"])
    library.set_note(beta, "changed")
    assert {i: state_of(get(library, i)) for i in (alpha, beta)} != before

    library.restore(snap)
    assert library.snapshot([alpha, beta]) == snap
    for i in (alpha, beta):
        item = get(library, i)
        was = before[i]
        assert (item.read, item.bookmarked, item.note) == was[:3]
        assert item.user_tags == was[4] and item.hidden_tags == was[5]
        assert folded(item.tags) == folded(was[3])
    assert found(library, "added") == set()
    assert found(library, "changed") == set()
    assert found(library, '"old note"') == {beta}
    assert found(library, "tag:外汇") == {alpha}
    index_ok(library)


def test_restore_brings_back_a_hidden_tag_and_hides_a_shown_one(
    library: Library, three: dict[str, int]
) -> None:
    alpha = three["Alpha"]
    path = Path(get(library, alpha).path)
    shown = library.snapshot([alpha])  # 外汇 shown, as the file has it
    library.tag([alpha], remove=["外汇"])
    hidden = library.snapshot([alpha])  # 外汇 hidden

    library.restore(shown)
    assert library.snapshot([alpha]) == shown
    assert "外汇" in get(library, alpha).tags and get(library, alpha).hidden_tags == ()

    library.restore(hidden)
    assert library.snapshot([alpha]) == hidden
    assert "外汇" not in get(library, alpha).tags
    path.write_text(path.read_text("utf-8") + "\nMore text.\n", "utf-8")
    assert import_paths(library, [path.parent], jobs=1).updated == 1
    assert "外汇" not in get(library, alpha).tags  # still hidden after a re-import

    library.restore(shown)
    path.write_text(path.read_text("utf-8") + "\nEven more.\n", "utf-8")
    assert import_paths(library, [path.parent], jobs=1).updated == 1
    assert [t for t in get(library, alpha).tags if t == "外汇"] == ["外汇"]
    assert found(library, "tag:外汇") == {alpha}
    index_ok(library)


def test_restore_gives_back_source_tags_as_they_were(
    library: Library, three: dict[str, int]
) -> None:
    alpha = three["Alpha"]
    library.tag([alpha], add=["mine"])
    before = get(library, alpha).tags
    assert before == ("Python", "外汇", "mine")
    snap = library.snapshot([alpha])
    library.set_tags(alpha, ["mine"])  # hides Python and 外汇
    library.restore(snap)
    assert get(library, alpha).tags == before


# ---- never lost ---------------------------------------------------------------------------------


def give_state(library: Library, article_id: int) -> None:
    library.set_bookmark([article_id], True, note="my note")
    library.set_read([article_id])
    library.tag([article_id], add=["mine", "机器 学习"], remove=["外汇"])


def test_reimport_of_a_changed_file_keeps_all_state(
    library: Library, write_post: WritePost, posts: Path
) -> None:
    path = write_post("a.md", post("Alpha", "First body.", tags=("Python", "外汇")))
    alpha = load(library, posts)["Alpha"]
    give_state(library, alpha)
    kept = state_of(get(library, alpha))

    path.write_text(
        post("Alpha v2", "Second, rewritten body.", tags=("Python", "外汇", "new")),
        encoding="utf-8",
    )
    report = import_paths(library, [posts], jobs=1)
    assert (report.new, report.updated) == (0, 1)
    item = get(library, alpha)
    assert item.title == "Alpha v2"
    assert (item.read, item.bookmarked, item.note) == kept[:3]
    assert item.user_tags == ("mine", "机器 学习") and item.hidden_tags == ("外汇",)
    assert item.tags == ("Python", "new", "mine", "机器 学习")
    assert found(library, "rewritten") == {alpha}
    assert found(library, "First") == set()
    index_ok(library)


@pytest.mark.parametrize("target", ["renamed.md", "sub/dir/a.md"])
def test_a_moved_file_keeps_its_id_and_state(
    library: Library, write_post: WritePost, posts: Path, target: str
) -> None:
    path = write_post("a.md", post("Alpha", "Body.", tags=("Python", "外汇")))
    write_post("b.md", post("Beta"))
    alpha = load(library, posts)["Alpha"]
    give_state(library, alpha)
    kept = state_of(get(library, alpha))
    uid = get(library, alpha).uid

    new_path = posts / target
    new_path.parent.mkdir(parents=True, exist_ok=True)
    path.rename(new_path)
    report = import_paths(library, [posts], jobs=1)
    assert report.new == 0 and report.missing == 0
    assert library.count() == 2
    item = get(library, alpha)
    assert item.path == str(new_path.resolve())
    assert not item.missing
    assert item.uid == uid
    assert state_of(item) == kept


def test_a_copied_file_is_a_new_article_and_the_original_keeps_its_state(
    library: Library, write_post: WritePost, posts: Path
) -> None:
    path = write_post("a.md", post("Alpha", tags=("外汇",)))
    alpha = load(library, posts)["Alpha"]
    give_state(library, alpha)
    kept = state_of(get(library, alpha))
    write_post("copy.md", path.read_bytes())
    report = import_paths(library, [posts], jobs=1)
    assert report.new == 1
    assert library.count() == 2
    assert state_of(get(library, alpha)) == kept
    other = next(i for i in library.ids() if i != alpha)
    assert not get(library, other).bookmarked


def test_schema_v1_library_keeps_its_state_when_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("INSERT INTO roots(id, path, name) VALUES (1, '/old/posts', 'posts')")
    db.execute(
        "INSERT INTO articles(id, path, root_id, hash, title, date, sort_ts, categories, tags,"
        " body, read, bookmarked) VALUES (7, '/old/posts/a.md', 1, 'abc', '旧文章', '2020-01-02',"
        " 1577923200, 'economy', 'Python\x1f外汇', '人民币汇率 body', 1, 1)"
    )
    db.executemany(
        "INSERT INTO terms(article_id, kind, name) VALUES (7, ?, ?)",
        [("category", "economy"), ("tag", "Python"), ("tag", "外汇")],
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()

    with Library(path) as library:
        assert library.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        item = get(library, 7)
        assert item.read and item.bookmarked
        assert item.title == "旧文章" and item.source == "posts"
        assert item.tags == ("Python", "外汇") and item.categories == ("economy",)
        assert item.user_tags == () and item.hidden_tags == ()
        assert item.uid == "file:abc"
        assert library.tagged("python") == [7]
        library.index_pending()  # (schema 9 makes the index again)
        assert found(library, "汇率") == {7}
        assert found(library, "tag:外汇 cat:economy is:bookmarked is:read") == {7}
        index_ok(library)
        library.tag([7], remove=["python"], add=["mine"])  # the new state works on old rows
        library.set_note(7, "升级后")
        assert found(library, "升级") == {7}
    with Library(path) as again:
        item = get(again, 7)
        assert item.tags == ("外汇", "mine") and item.hidden_tags == ("python",)


def test_error_inside_a_transaction_changes_nothing(
    library: Library, three: dict[str, int]
) -> None:
    alpha = three["Alpha"]
    before = state_of(get(library, alpha))
    with pytest.raises(RuntimeError), library.transaction():
        library.set_bookmark([alpha], True, note="lost")
        library.set_read([alpha])
        library.tag([alpha], add=["lost tag"], remove=["python"])
        library.rename_tag("外汇", "gone")
        assert get(library, alpha).bookmarked  # visible inside the transaction
        raise RuntimeError("crash")
    assert state_of(get(library, alpha)) == before
    assert found(library, "lost") == set()
    assert found(library, "tag:外汇") == {alpha}
    index_ok(library)


CRASH = """
import sys, time
from reader.library import Library
library = Library(sys.argv[1])
article = int(sys.argv[2])
with library.transaction():
    library.set_bookmark([article], True, note="never committed")
    library.set_read([article])
    library.tag([article], add=["lost tag"], remove=["python"])
    library.db.execute("UPDATE articles SET body = ? WHERE id = ?", ("x" * 200000, article))
    print("ready", flush=True)
    time.sleep(60)
"""


def test_a_process_killed_inside_a_write_leaves_the_old_state(
    library: Library, three: dict[str, int], tmp_path: Path
) -> None:
    alpha = three["Alpha"]
    library.set_note(alpha, "committed note")
    before = state_of(get(library, alpha))
    path = library.path
    library.close()

    child = subprocess.Popen(
        [sys.executable, "-c", CRASH, str(path), str(alpha)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        if child.stdout:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    with Library(path) as again:
        assert again.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        item = get(again, alpha)
        assert state_of(item) == before
        assert item.body == "Alpha body.\n" or "Alpha body." in item.body
        assert found(again, "committed") == {alpha}
        assert found(again, "never") == set()
        index_ok(again)
        again.set_bookmark([alpha], False)  # the write lock is free again
        assert not get(again, alpha).bookmarked


# ---- export and import --------------------------------------------------------------------------


def yaml_round_trip(data: dict[str, Any]) -> Any:
    """The state as the CLI writes and reads it."""
    return yaml.safe_load(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def test_export_then_import_into_a_rebuilt_library_gives_back_everything(
    tmp_path: Path, write_post: WritePost, posts: Path
) -> None:
    write_post("a.md", post("A", "Alpha.", tags=("Python", "外汇")))
    write_post("b.md", post("B", "Beta.", tags=("misc",)))
    write_post("c.md", post("C", "Gamma."))
    write_post("d.md", post("D", "Delta.", tags=("hide me", "keep")))
    changed = write_post("e.md", post("E", "Epsilon."))
    moved = write_post("f.md", post("F", "Zeta.", tags=("Python",)))
    write_post("g.md", post("G", "Eta."))

    with Library(tmp_path / "first.db") as first:
        ids = load(first, posts)
        # F changes before the export: its uid stays that of its first bytes.
        moved.write_text(post("F", "Zeta, edited.", tags=("Python",)), encoding="utf-8")
        import_paths(first, [posts], jobs=1)
        first.set_bookmark([ids["A"]], True, note="笔记 on A")
        first.tag([ids["B"]], add=["机器学习", "machine learning"])
        first.set_read([ids["C"]])
        first.tag([ids["D"]], remove=["Hide Me"])
        first.set_bookmark([ids["E"]], True)
        first.tag([ids["E"]], add=["edited"])
        first.set_note(ids["F"], "moved note")
        first.tag([ids["F"]], remove=["python"], add=["moved"])
        expected = {t: state_of(get(first, i)) for t, i in ids.items()}
        data = yaml_round_trip(first.export_state())

    assert data["newsreader_state"] == 1
    assert {record["title"] for record in data["articles"]} == {"A", "B", "C", "D", "E", "F"}

    # Then E changes (matched by path) and F moves (matched by content).
    changed.write_text(post("E", "Epsilon, rewritten after the export."), encoding="utf-8")
    (posts / "sub").mkdir()
    moved.rename(posts / "sub" / "f.md")

    with Library(tmp_path / "second.db") as second:
        ids = load(second, posts)
        assert second.view_counts()["bookmarked"] == 0
        matched, unmatched = second.import_state(data)
        assert (matched, unmatched) == (6, [])
        for title, want in expected.items():
            assert state_of(get(second, ids[title])) == want, title
        assert found(second, '"笔记 on A"') == {ids["A"]}
        assert found(second, "tag:机器学习") == {ids["B"]}
        assert found(second, "tag:python") == {ids["A"]}
        index_ok(second)


def test_import_state_puts_state_on_the_right_one_of_two_identical_files(
    tmp_path: Path, write_post: WritePost, posts: Path
) -> None:
    write_post("a.md", post("Same", "Same body."))
    write_post("copy.md", post("Same", "Same body."))
    with Library(tmp_path / "first.db") as first:
        import_paths(first, [posts], jobs=1)
        copy = next(i for i in first.ids() if get(first, i).path.endswith("copy.md"))
        first.set_bookmark([copy], True, note="only the copy")
        data = first.export_state()
    with Library(tmp_path / "second.db") as second:
        import_paths(second, [posts], jobs=1)
        assert second.import_state(data) == (1, [])
        marked = {Path(get(second, i).path).name: get(second, i).note for i in second.ids()}
        assert marked == {"a.md": "", "copy.md": "only the copy"}


def test_import_state_reports_entries_it_cannot_match(
    library: Library, three: dict[str, int]
) -> None:
    data = {
        "newsreader_state": 1,
        "articles": [
            {"uid": "file:nope", "path": "/gone/x.md", "hash": "nope", "title": "X",
             "bookmarked": True},
            {"title": "No path", "read": True},
            "not a mapping",
            {"path": get(library, three["Beta"]).path, "bookmarked": True, "tags": ["外汇"]},
        ],
    }  # fmt: skip
    matched, unmatched = library.import_state(data)
    assert matched == 1
    assert unmatched == ["/gone/x.md", "No path", "entry 3: not a mapping"]
    beta = get(library, three["Beta"])
    assert beta.bookmarked and "外汇" in beta.tags
    assert library.view_counts()["bookmarked"] == 1


def test_import_state_merges_and_never_unsets(library: Library, three: dict[str, int]) -> None:
    alpha = three["Alpha"]
    library.set_bookmark([alpha], True, note="here")
    library.set_read([alpha])
    library.tag([alpha], add=["local"])
    record = {
        "uid": get(library, alpha).uid,
        "read": False,
        "bookmarked": False,
        "tags": ["imported", "LOCAL"],
    }
    assert library.import_state({"newsreader_state": 1, "articles": [record]}) == (1, [])
    item = get(library, alpha)
    assert item.read and item.bookmarked and item.note == "here"
    assert item.user_tags == ("local", "imported")

    record["note"] = "from the file"
    library.import_state({"newsreader_state": 1, "articles": [record]})
    assert get(library, alpha).note == "from the file"
    index_ok(library)


@pytest.mark.parametrize(
    "data",
    [
        None,
        "just text",
        ["a", "list"],
        {"articles": []},  # no format number
        {"newsreader_state": 1, "articles": "nope"},
        {"newsreader_state": 1},
        {"newsreader_state": 2, "articles": []},  # a newer format
        {"newsreader_state": "1", "articles": []},
    ],
)
def test_import_state_rejects_what_is_not_a_state_file(
    library: Library, three: dict[str, int], data: object
) -> None:
    before = library.snapshot(library.ids())
    with pytest.raises(ValueError):
        library.import_state(data)
    assert library.snapshot(library.ids()) == before


def test_export_state_lists_only_articles_with_state(
    library: Library, three: dict[str, int]
) -> None:
    assert library.export_state()["articles"] == []
    library.tag([three["Beta"]], remove=["misc"])
    records = library.export_state()["articles"]
    assert len(records) == 1
    record = records[0]
    assert record["title"] == "Beta" and record["hidden_tags"] == ["misc"]
    assert record["uid"].startswith("file:") and record["hash"]
    assert record["read"] is False and record["bookmarked"] is False
    assert "note" not in record and "tags" not in record


# ---- prune --------------------------------------------------------------------------------------


def test_prune_keeps_missing_articles_that_carry_state(
    library: Library, write_post: WritePost, posts: Path
) -> None:
    names = ["bookmarked", "noted", "tagged", "read", "hidden", "plain", "present"]
    for name in names:
        write_post(f"{name}.md", post(name, f"Body of {name}.", tags=("src",)))
    ids = load(library, posts)
    library.set_bookmark([ids["bookmarked"]], True)
    library.set_note(ids["noted"], "a note")
    library.set_bookmark([ids["noted"]], False)  # a note without a bookmark
    library.tag([ids["tagged"]], add=["mine"])
    library.set_read([ids["read"]])
    library.tag([ids["hidden"]], remove=["src"])
    for name in names[:-1]:
        (posts / f"{name}.md").unlink()
    report = import_paths(library, [posts], jobs=1)
    assert report.missing == 6

    assert library.prune() == 3
    left = by_title(library)
    assert set(left) == {"bookmarked", "noted", "tagged", "present"}
    assert get(library, left["noted"]).note == "a note"
    assert get(library, left["tagged"]).user_tags == ("mine",)
    assert found(library, "Body") == set(left.values())
    assert found(library, "plain") == set()
    index_ok(library)
    assert library.prune() == 0
