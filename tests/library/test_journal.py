"""The state journal beside the library, and undo that keeps what others changed since."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Library, import_paths, journal
from reader.library.journal import journal_path


@pytest.fixture
def library(tmp_path: Path) -> Library:
    posts = tmp_path / "posts"
    posts.mkdir()
    for n, title in enumerate(("Alpha", "Beta", "Gamma"), 1):
        (posts / f"{n}.md").write_text(
            f"---\ntitle: {title}\ndate: 2024-01-0{n}\ntags: [news]\n---\n{title} 正文\n",
            encoding="utf-8",
        )
    library = Library(tmp_path / "library.db")
    import_paths(library, [posts], jobs=1)
    return library


def entries(library: Library) -> list[dict[str, object]]:
    lines = journal_path(library.path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def last_state(library: Library) -> dict[str, dict[str, object]]:
    return {e["title"]: e for e in journal.read(journal_path(library.path)).articles.values()}


def test_every_change_is_in_the_journal_with_the_articles_new_state(library: Library) -> None:
    alpha, beta, gamma = library.ids(order="oldest")
    assert entries(library) == [{"newsreader_journal": 1}]  # a new library: an empty one
    library.set_read([alpha])
    library.set_bookmark([beta], True, note="看这里")
    library.tag([gamma], add=["稍后读"], remove=["news"])
    library.save_view("汇率", "人民币")
    state = last_state(library)
    assert state["Alpha"]["read"] is True
    assert state["Beta"]["bookmarked"] is True and state["Beta"]["note"] == "看这里"
    assert state["Gamma"]["tags"] == ["稍后读"] and state["Gamma"]["hidden_tags"] == ["news"]
    assert {"saved": "汇率", "query": "人民币"} in entries(library)
    library.set_read([alpha], False)  # the last entry wins
    assert last_state(library)["Alpha"]["read"] is False
    library.delete_view("汇率")
    assert journal.read(journal_path(library.path)).saved == {"汇率": None}
    library.set_read([alpha], False)  # no change: nothing written
    assert len(entries(library)) == 7


def test_a_library_from_before_the_journal_gets_one_with_all_its_state(library: Library) -> None:
    alpha, beta, _ = library.ids(order="oldest")
    library.set_read([alpha])
    library.set_bookmark([beta], True)
    library.save_view("all news", "news")
    journal_path(library.path).unlink()  # as a library from before it has none
    library.close()
    reopened = Library(library.path)
    state = last_state(reopened)
    assert set(state) == {"Alpha", "Beta"}
    assert state["Alpha"]["read"] and state["Beta"]["bookmarked"]
    assert journal.read(journal_path(library.path)).saved == {"all news": "news"}


def test_a_line_cut_by_a_crash_costs_only_itself(library: Library) -> None:
    alpha, beta, _ = library.ids(order="oldest")
    library.set_read([alpha])
    with open(journal_path(library.path), "a", encoding="utf-8") as file:
        file.write('{"uid": "file:cut", "read": tr')  # the process died mid-line
    library.set_bookmark([beta], True)
    contents = journal.read(journal_path(library.path))
    assert contents.bad == 1
    assert {e["title"] for e in contents.articles.values()} == {"Alpha", "Beta"}


def test_the_journal_is_compacted_once_it_has_doubled(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal, "COMPACT_FROM", 2000)
    alpha = library.ids(order="oldest")[0]
    for n in range(40):
        library.set_read([alpha], n % 2 == 0)
    size = journal_path(library.path).stat().st_size
    assert size < 4 * 2000  # rewritten along the way, not 40 entries long
    assert last_state(library)["Alpha"]["read"] is False  # (the 40th set it unread)
    assert len(entries(library)) < 40


def test_a_change_that_cannot_be_journaled_is_not_made(library: Library) -> None:
    alpha = library.ids(order="oldest")[0]
    path = journal_path(library.path)
    path.unlink()
    path.mkdir()  # something in the way: the journal cannot be written
    with pytest.raises(OSError):
        library.set_read([alpha])
    assert not library.article(alpha).read  # type: ignore[union-attr]


def test_undo_keeps_what_another_program_changed_since(library: Library) -> None:
    alpha, beta, _ = library.ids(order="oldest")
    change = library.set_bookmark([alpha, beta], True)
    other = Library(library.path)  # the CLI, meanwhile
    other.tag([alpha], add=["from_cli"])
    other.set_note(alpha, "from the CLI")
    other.set_bookmark([beta], False)
    other.set_bookmark([beta], True)  # changed and changed back: the same value
    undone, kept = library.undo(change)
    a, b = library.article(alpha), library.article(beta)
    assert a is not None and b is not None
    assert "from_cli" in a.user_tags and a.note == "from the CLI"  # the CLI's work stays
    assert not a.bookmarked and not b.bookmarked  # what the change set is put back
    assert kept == []
    assert set(undone.ids) == {alpha, beta}


def test_undo_says_where_a_value_it_set_was_changed_since(library: Library) -> None:
    alpha, beta, _ = library.ids(order="oldest")
    library.set_note(alpha, "first")
    change = library.set_note(alpha, "second")
    Library(library.path).set_note(alpha, "third, from elsewhere")
    _, kept = library.undo(change)
    assert kept == [alpha]
    assert library.article(alpha).note == "third, from elsewhere"  # type: ignore[union-attr]


def test_undo_of_tags_takes_off_what_it_added_and_puts_back_what_it_removed(
    library: Library,
) -> None:
    alpha = library.ids(order="oldest")[0]
    library.tag([alpha], add=["keep"])
    change = library.tag([alpha], add=["added"], remove=["news", "keep"])
    Library(library.path).tag([alpha], add=["later"])
    library.undo(change)
    article = library.article(alpha)
    assert article is not None
    assert set(article.tags) == {"news", "keep", "later"}
    assert article.hidden_tags == ()


def test_a_failed_commit_is_taken_back_in_the_journal(library: Library) -> None:
    alpha = library.ids(order="oldest")[0]

    def broken(group: list[int]) -> None:  # COMMIT fails: a deferred foreign key is checked there
        library.db.execute("UPDATE articles SET read = 1 WHERE id = ?", (alpha,))
        library.db.execute("PRAGMA defer_foreign_keys = ON")
        library.db.execute(
            "INSERT INTO terms(article_id, kind, key, name) VALUES (999, 'tag', 'x', 'x')"
        )

    with pytest.raises(sqlite3.IntegrityError):
        library._change([alpha], broken)
    assert not library.db.in_transaction  # the lock is not kept
    assert not library.article(alpha).read  # type: ignore[union-attr]
    assert last_state(library)["Alpha"]["read"] is False  # the journal says so too
    library.set_read([alpha])  # and the next change works
    assert last_state(library)["Alpha"]["read"] is True


def test_a_change_to_many_articles_commits_in_slices(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.library import changes

    monkeypatch.setattr(changes, "SLICE", 0.0)
    monkeypatch.setattr(changes, "GROUP", 1)
    ids = library.ids(order="oldest")
    watcher = Library(library.path)
    seen: list[list[int]] = []

    def mark(group: list[int]) -> None:  # what another program sees meanwhile
        seen.append([i for i in ids if watcher.article(i).read])  # type: ignore[union-attr]
        library.db.execute("UPDATE articles SET read = 1 WHERE id = ?", (group[0],))

    change = library._change(ids, mark)
    assert seen == [[], ids[:1], ids[:2]]  # each slice was in the library before the next
    assert change.ids == ids  # and the change is all of them, for undo
    assert [e["read"] for e in last_state(library).values()] == [True] * 3


def test_compaction_keeps_what_was_appended_while_it_read(tmp_path: Path) -> None:
    path = tmp_path / "library.db.state-journal"
    journal.write(path, [])
    for n in range(5):
        journal.append(path, [{"uid": "u", "path": "p", "title": "A", "read": n}])

    @contextlib.contextmanager
    def locked() -> Iterator[None]:  # another program's change got in before the lock
        journal.append(path, [{"uid": "u", "path": "p", "title": "A", "read": "last"}])
        yield

    journal.compact(path, locked)
    assert [e["read"] for e in journal.read(path).articles.values()] == ["last"]
    assert len(path.read_text(encoding="utf-8").splitlines()) == 3  # header, last, the one since


def test_slow_articles_are_changed_in_smaller_groups(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.library import changes

    clock = [0.0]
    monkeypatch.setattr(changes.time, "monotonic", lambda: clock[0])
    sizes: list[int] = []

    def slow(group: list[int]) -> None:  # 50 ms an article (a long article reindexed)
        sizes.append(len(group))
        clock[0] += 0.05 * len(group)

    library._change(range(1, 34), slow)  # (ids with no article are passed on all the same)
    assert sizes[0] == 10  # the first group: a guess
    assert max(sizes[1:]) <= 2  # then as many as take ~0.1 s: a slice stays ~0.4 s
