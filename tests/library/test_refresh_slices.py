"""A big feed's refresh writes in slices: no transaction stores more than `feeds.SLICE`
entries, so another writer (the app marking an article read) waits for one slice at most,
not for the whole feed; and the results are those of one transaction."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reader.library import Library, feeds
from reader.library.feeds import add_feed, refresh
from reader.library.store import Library as StoreLibrary

ENTRIES = 1000


def feed_xml(count: int, changed: int | None = None) -> str:
    items = "".join(
        f"<item><title>Entry {n}{' (changed)' if n == changed else ''}</title>"
        f"<guid>entry-{n}</guid><description>Paragraph {n}.</description></item>\n"
        for n in range(count)
    )
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>'
    return f"{head}{items}</channel></rss>"


@pytest.fixture
def saves_per_transaction(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many articles each outermost write transaction saved, in order."""
    counts: list[int] = []
    saving = [0]
    transaction, save = StoreLibrary.transaction, StoreLibrary.save

    @contextlib.contextmanager
    def counted_transaction(self: StoreLibrary) -> Iterator[None]:
        outer = not self.db.in_transaction
        saving[0] = 0 if outer else saving[0]
        with transaction(self):
            yield
        if outer:
            counts.append(saving[0])

    def counted_save(self: StoreLibrary, *args: Any, **kwargs: Any) -> Any:
        saving[0] += 1
        return save(self, *args, **kwargs)

    monkeypatch.setattr(StoreLibrary, "transaction", counted_transaction)
    monkeypatch.setattr(StoreLibrary, "save", counted_save)
    return counts


def test_a_big_feed_is_stored_a_slice_at_a_time(
    library: Library, tmp_path: Path, saves_per_transaction: list[int]
) -> None:
    source = tmp_path / "big.xml"
    source.write_text(feed_xml(ENTRIES), encoding="utf-8")
    add_feed(library, str(source), name="Big")
    saves_per_transaction.clear()

    [first] = refresh(library.path)

    assert (first.new, first.updated, first.error) == (ENTRIES, 0, None)
    assert sum(saves_per_transaction) == ENTRIES
    assert feeds.SLICE <= 250  # a few hundred entries: about 0.2 s of holding the lock
    assert max(saves_per_transaction) <= feeds.SLICE
    assert library.count() == ENTRIES
    [feed] = library.feeds()
    assert (feed.name, feed.articles, feed.error) == ("Big", ENTRIES, "")

    # Again: nothing new; then one entry changed: one update, the others untouched.
    [second] = refresh(library.path)
    assert (second.new, second.updated) == (0, 0)
    source.write_text(feed_xml(ENTRIES, changed=7), encoding="utf-8")
    [third] = refresh(library.path)
    assert (third.new, third.updated) == (0, 1)
    assert library.count() == ENTRIES


def test_retention_after_a_sliced_refresh_keeps_the_newest(
    library: Library, tmp_path: Path
) -> None:
    source = tmp_path / "big.xml"
    source.write_text(feed_xml(ENTRIES), encoding="utf-8")
    add_feed(library, str(source), name="Big", keep=10)
    [result] = refresh(library.path)
    assert (result.new, result.pruned) == (ENTRIES, ENTRIES - 10)
    assert library.count() == 10
    [again] = refresh(library.path)  # the pruned ones do not come back
    assert (again.new, again.pruned, library.count()) == (0, 0, 10)
