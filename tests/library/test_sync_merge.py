"""The sync's merge and its edges, against an in-memory server (the protocols are tested
against FreshRSS in test_sync.py): what is never lost, taken over or renamed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.library import Library, passwords
from reader.library.greader import Item, Subscription
from reader.library.models import ArticleState
from reader.library.query import parse
from reader.library.state import clean_tag
from reader.library.sync import add_account, remove_account, sync
from reader.library.sync_merge import ServerMarks, decide, mark
from reader.library.sync_remote import ServerState
from reader.library.sync_store import Base, label_key


class Server:
    """A Remote of one account: items with read, starred and labels; subscriptions with
    folders; everything sent is applied and kept in `sent`."""

    def __init__(self) -> None:
        self.subs = [Subscription("feed/1", "One", "http://127.0.0.1:9/1", "", ("News",))]
        self.items_: dict[int, dict[str, Any]] = {}
        self.sent: list[tuple[str, bool, list[int]]] = []
        self.late: list[int] = []  # items that arrive between `state` and `fresh`

    def add(self, number: int, feed: str = "feed/1", **marks: Any) -> None:
        self.items_[number] = {
            "read": False,
            "starred": False,
            "labels": set(),
            "feed": feed,
            "published": 1.7e9,
            **marks,
        }

    def item(self, number: int) -> Item:
        d = self.items_[number]
        folders = tuple(f for s in self.subs if s.id == d["feed"] for f in s.labels)
        title = d.get("title", f"Item {number}")
        return Item(
            number, d["feed"], title, None, d["published"], "<p>text</p>", "",
            d["read"], d["starred"], tuple(sorted(d["labels"])) + folders,
        )  # fmt: skip

    def subscriptions(self) -> list[Subscription]:
        return list(self.subs)

    def state(self, folders: set[str]) -> ServerState:
        labels: dict[str, set[int]] = {}
        for number, d in self.items_.items():
            for name in d["labels"]:
                labels.setdefault(name, set()).add(number)
        state = ServerState(
            {n for n, d in self.items_.items() if not d["read"]},
            {n for n, d in self.items_.items() if d["starred"]},
            labels,
        )
        for number in self.late:
            self.add(number, starred=True)
        return state

    def fresh(
        self, since: float | None, known: set[int], wanted: set[int], streams: set[str]
    ) -> Iterator[Item]:
        yield from (self.item(n) for n in sorted(set(self.items_) - known))

    def items(self, ids: Sequence[int]) -> list[Item]:
        return [self.item(n) for n in ids if n in self.items_]

    def recent(self, since: float) -> set[int]:
        return set(self.items_)

    def mark(self, ids: list[int], what: str, on: bool) -> set[int]:
        self.sent.append((what, on, sorted(ids)))
        for number in ids:
            d = self.items_[number]
            if what in ("read", "starred"):
                d[what] = on
            else:
                (d["labels"].add if on else d["labels"].discard)(what.removeprefix("label:"))
        return set(ids)

    def subscribe(self, url: str) -> str:
        return "feed/9"

    def unsubscribe(self, stream: str) -> None:
        pass


@pytest.fixture(autouse=True)
def _no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "system_keyring", lambda: None)


def device(tmp_path: Path, name: str = "home", url: str = "https://a.example/api") -> Path:
    path = tmp_path / "library.db"
    with Library(path) as library:
        add_account(library, url, "alice", "secret", name=name, check=False)
    return path


def run(path: Path, server: Server, name: str | None = None) -> str:
    [result] = sync(path, [name] if name else None, remote=lambda account, password: server)
    assert result.error is None, result.error
    return result.line()


def article(path: Path, number: int, account: int = 1) -> int:
    with Library(path) as library:
        row = library.db.execute(
            "SELECT id FROM articles WHERE path = ?", (f"sync:{account}:{number}",)
        ).fetchone()
        assert row, f"no article for item {number}"
        return int(row[0])


def state(path: Path, article_id: int) -> ArticleState:
    with Library(path) as library:
        [found] = library.snapshot([article_id])
        return found


def test_a_tag_named_like_a_folder_is_never_taken_off(tmp_path: Path) -> None:
    path, server = device(tmp_path), Server()
    server.subs.append(Subscription("feed/2", "Two", "http://127.0.0.1:9/2", "", ("Work",)))
    server.add(1)
    server.add(2, feed="feed/2")
    run(path, server)
    with Library(path) as library:
        library.tag([article(path, 1)], add=["work"])  # another subscription's folder
    for _ in range(3):
        run(path, server)
    assert [t.casefold() for t in state(path, article(path, 1)).user_tags] == ["work"]
    assert not any(what.startswith("label:") for what, _, _ in server.sent)


def test_a_label_the_library_spells_otherwise_is_neither_renamed_nor_removed(
    tmp_path: Path,
) -> None:
    path, server = device(tmp_path), Server()
    server.add(1, labels={"#todo"})
    server.add(2, labels={"news"})  # its folder is News: a source tag of the article here
    for _ in range(3):
        run(path, server)
    assert state(path, article(path, 1)).user_tags == ("todo",)
    assert server.items_[1]["labels"] == {"#todo"} and server.items_[2]["labels"] == {"news"}
    assert server.sent == []
    with Library(path) as library:  # taken off here: off there, in the server's spelling
        library.tag([article(path, 1)], remove=["todo"])
    run(path, server)
    assert server.items_[1]["labels"] == set()


def test_a_removed_account_s_kept_articles_are_never_taken_over(tmp_path: Path) -> None:
    path, first = device(tmp_path), Server()
    first.add(1)
    run(path, first)
    kept = article(path, 1)
    with Library(path) as library:
        library.set_bookmark([kept], True, note="mine")
        remove_account(library, "home")
        add_account(library, "https://b.example/api", "bob", "pw", name="other", check=False)
    other = Server()
    other.add(1)  # the same item number, on another server
    run(path, other)
    with Library(path) as library:
        mine = library.article(kept)
        assert mine is not None and mine.note == "mine" and mine.path == "sync:1:1"
        assert library.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    assert other.sent == []  # the bookmark is not the other server's


def test_a_server_date_no_calendar_holds_is_undated_not_a_crash(tmp_path: Path) -> None:
    path, server = device(tmp_path), Server()
    server.add(1, published=1e20)
    server.add(2)
    assert run(path, server).startswith("home: 2 new")
    with Library(path) as library:
        found = library.article(article(path, 1))
        assert found is not None and found.date is None


def test_an_answer_the_code_did_not_foresee_stops_that_account_only(tmp_path: Path) -> None:
    path, broken, good = device(tmp_path, "broken"), Server(), Server()
    with Library(path) as library:
        add_account(library, "https://b.example/api", "bob", "pw", name="good", check=False)
    broken.add(1)
    good.add(1)

    def subscriptions() -> list[Subscription]:
        raise ValueError("invalid literal for int() with base 16: 'zz'")

    broken.subscriptions = subscriptions  # type: ignore[method-assign]
    results = sync(path, remote=lambda account, pw: broken if account.name == "broken" else good)
    assert [r.account for r in results] == ["broken", "good"]
    assert results[0].error and "could not be read (ValueError" in results[0].error
    assert results[1].error is None and results[1].new == 1


def test_a_server_listing_no_subscriptions_keeps_what_was_not_sent(tmp_path: Path) -> None:
    path, server = device(tmp_path), Server()
    server.add(1)
    server.add(2)
    run(path, server)
    with Library(path) as library:
        library.set_read([article(path, 1)])  # not sent yet
    listed, server.subs = server.subs, []
    run(path, server)
    assert state(path, article(path, 1)).read  # kept, with the mark
    server.subs = listed
    run(path, server)
    assert server.items_[1]["read"]  # and sent once the subscription is back
    assert state(path, article(path, 1)).read


def test_an_item_that_comes_after_the_lists_of_marks_keeps_its_own(tmp_path: Path) -> None:
    path, server = device(tmp_path), Server()
    server.add(1)
    server.late = [2]  # starred, and unread: in neither list asked for before it came
    run(path, server)
    late = state(path, article(path, 2))
    assert late.bookmarked and not late.read


def test_removing_an_account_takes_its_unlisted_feeds_articles_too(tmp_path: Path) -> None:
    path, server = device(tmp_path), Server()
    server.add(1)
    server.add(2, feed="feed/77")  # a feed the server does not list
    run(path, server)
    with Library(path) as library:
        assert remove_account(library, "home") == 2
        assert library.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
        assert not library.db.execute("SELECT 1 FROM roots WHERE path LIKE 'sync:%'").fetchone()


# ---- the merge itself --------------------------------------------------------------------


@given(st.booleans(), st.booleans(), st.booleans())
def test_a_mark_goes_the_way_of_the_side_that_changed_it(
    mine: bool, server: bool, base: bool
) -> None:
    side, value = mark(mine, server, base)
    if mine != base and server == base:
        assert (side, value) == ("push", mine)
    elif server != base and mine == base:
        assert (side, value) == ("pull", server)
    else:  # neither changed, or both did (then they agree: a mark has two values)
        assert (side, value) == ("same", mine) and mine == server


names = st.lists(st.sampled_from(["外汇", "Todo", "todo", "#todo", "news", "AI", "ai"]))


@given(names, names, names, st.sets(st.sampled_from(["news", "todo"])))
def test_after_a_merge_both_sides_hold_the_same_labels(
    mine: list[str], server: list[str], base: list[str], skip: set[str]
) -> None:
    mine = [clean_tag(n) for n in mine]  # (the library's tags are clean)
    decision = decide(
        ArticleState(1, False, False, "", tuple(dict.fromkeys(mine)), ()),
        ServerMarks(False, False, tuple(server)),
        Base(1, False, False, tuple(base)),
        skip,
        labels=True,
    )
    here = {label_key(n) for n in mine} - skip
    there = {label_key(n) for n in server} - skip
    for what, on in decision.pulls:
        (here.add if on else here.discard)(label_key(what.removeprefix("label:")))
    for what, on in decision.pushes:
        (there.add if on else there.discard)(label_key(what.removeprefix("label:")))
    assert here == there
    for what, _ in decision.pulls + decision.pushes:
        assert label_key(what.removeprefix("label:")) not in skip


def test_an_item_edited_on_the_server_is_updated_once_a_day_keeping_the_marks(
    tmp_path: Path,
) -> None:
    path, server = device(tmp_path), Server()
    server.add(1)
    run(path, server)
    with Library(path) as library:
        library.set_bookmark([article(path, 1)], True, note="mine")
        library.tag([article(path, 1)], add=["外汇"])
    run(path, server)
    server.items_[1]["title"] = "Item 1, corrected"
    assert "0 updated" in run(path, server)  # (within the day: not looked at again)
    with Library(path) as library:
        library.db.execute("UPDATE accounts SET listed = listed - 86401")
    assert "1 updated" in run(path, server)
    with Library(path) as library:
        found = library.article(article(path, 1))
        assert found is not None and found.title == "Item 1, corrected"
        assert found.bookmarked and found.note == "mine" and found.tags == ("News", "外汇")


def test_a_subscription_moved_to_another_folder_retags_its_articles(tmp_path: Path) -> None:
    path, server = device(tmp_path), Server()
    server.add(1)
    run(path, server)
    with Library(path) as library:
        library.tag([article(path, 1)], add=["mine"])
    server.subs = [Subscription("feed/1", "One", "http://127.0.0.1:9/1", "", ("World", "亚洲"))]
    run(path, server)
    with Library(path) as library:
        found = library.article(article(path, 1))
        assert found is not None and found.tags == ("World", "亚洲", "mine")
        assert library.search(parse("tag:World")) == [found.id]
        assert library.search(parse("tag:News")) == []
