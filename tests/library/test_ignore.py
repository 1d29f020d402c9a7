"""Ignore rules: queries that hide what they match from every list and count, or mark it
read as it arrives, for every source or one; nothing is deleted."""

from __future__ import annotations

from pathlib import Path

import pytest
from library_helpers import WritePost, post

from reader.library import Library, import_paths
from reader.library.ignore import Rule
from reader.library.models import View
from reader.library.query import parse


def titles(library: Library, views: View | list[View] | None = None) -> set[str]:
    found = library.ids(views if views is not None else [])
    return {row.title for row in library.summaries_for(found)}


@pytest.fixture
def two_sources(tmp_path: Path, library: Library) -> Library:
    """news/: an ad, a promotion and two stories; hn/: a Show HN and a story."""
    for folder, items in {
        "news": [("广告：买一送一", "推销"), ("本周推广活动", "推广"), ("央行降息", "利率")]
        + [("Markets close higher", "stocks")],
        "hn": [("Show HN: my editor", "an editor"), ("Ask HN: editors?", "广告 in the body")],
    }.items():
        for number, (title, body) in enumerate(items):
            path = tmp_path / folder / f"{number}.md"
            path.parent.mkdir(exist_ok=True)
            path.write_text(post(title, body, tags=("t",)), encoding="utf-8")
    import_paths(library, [tmp_path / "news", tmp_path / "hn"])
    return library


def test_a_hide_rule_leaves_its_matches_out_of_lists_counts_and_search(
    two_sources: Library,
) -> None:
    library = two_sources
    library.use_rules([Rule("title:广告 OR title:推广")])
    assert titles(library) == {
        "央行降息",
        "Markets close higher",
        "Show HN: my editor",
        "Ask HN: editors?",  # 广告 in its body only: the rule asks for the title
    }
    assert library.count() == 4
    assert library.view_counts()["all"] == 4
    assert library.view_counts()["unread"] == 4
    assert {f.name: f.count for f in library.facets("source")} == {"news": 2, "hn": 2}
    assert {f.name: f.count for f in library.facets("tag")} == {"t": 4}
    assert library.search(parse("广告")) == library.search(parse("Ask"))  # the body's match
    assert library.search_count(parse("推广")) == 0
    # what the rules hide is one view away, and nothing was deleted
    assert titles(library, [View("ignored")]) == {"广告：买一送一", "本周推广活动"}
    library.use_rules([])
    assert library.count() == 6


def test_a_rule_for_one_feed_leaves_the_others_alone(two_sources: Library) -> None:
    library = two_sources
    library.use_rules([Rule('title:"Show HN"', feed="hn"), Rule("title:Markets", feed="hn")])
    assert titles(library, [View("ignored")]) == {"Show HN: my editor"}
    assert "Markets close higher" in titles(library)


def test_every_library_on_the_file_applies_the_rules(two_sources: Library) -> None:
    two_sources.use_rules([Rule("title:广告")])
    with Library(two_sources.path) as other:  # (a worker thread's own)
        assert other.count() == 5
        assert other.rules() == [Rule("title:广告")]


def test_mark_read_rules_apply_to_what_arrives_after_them(
    tmp_path: Path, library: Library, write_post: WritePost, posts: Path
) -> None:
    write_post("old.md", post("旧的广告"))
    import_paths(library, [posts])
    library.use_rules([Rule("title:广告", action="mark-read")])
    write_post("new.md", post("新的广告"))
    write_post("other.md", post("新闻"))
    import_paths(library, [posts])
    read = {row.title: row.read for row in library.summaries_for(library.ids())}
    assert read == {"旧的广告": False, "新的广告": True, "新闻": False}
    # a mark-read rule hides nothing
    assert library.count() == 3
    # the user's own mark stays: indexing again (a new script setting) does not redo it
    new = next(i for i in library.ids() if library.article(i).title == "新的广告")  # type: ignore[union-attr]
    library.set_read([new], False)
    library.rebuild_index()
    assert library.article(new).read is False  # type: ignore[union-attr]


def test_a_rule_that_does_not_parse_matches_nothing(two_sources: Library) -> None:
    two_sources.use_rules([Rule("tag:")])
    assert two_sources.count() == 6


def test_rules_on_a_read_only_library_are_kept_as_they_were(
    two_sources: Library, tmp_path: Path
) -> None:
    two_sources.use_rules([Rule("title:广告")])
    two_sources.close()
    with Library(two_sources.path) as again:
        again.db.execute("PRAGMA query_only = 1")  # any write fails, as on a read-only file
        again.use_rules([])  # no error
        assert again.count() == 5


def test_a_rule_naming_a_tag_by_its_start_follows_the_tags_as_they_come(
    two_sources: Library,
) -> None:
    library = two_sources
    library.use_rules([Rule("tag:旅")])  # no tag starts so yet: nothing hidden
    assert library.count() == 6
    markets = next(i for i in library.ids() if library.article(i).title.startswith("Markets"))  # type: ignore[union-attr]
    library.tag([markets], ["旅游"])
    assert library.count() == 5
    assert titles(library, [View("ignored")]) == {"Markets close higher"}


def test_the_arrival_mark_stops_before_an_article_not_indexed_yet(
    library: Library, write_post: WritePost, posts: Path
) -> None:
    """Another import's articles, written but not indexed yet, still meet the rules."""
    write_post("a.md", post("一"))
    import_paths(library, [posts])
    library.use_rules([Rule("title:广告", action="mark-read")])
    write_post("b.md", post("二"))
    write_post("c.md", post("三"))
    import_paths(library, [posts])
    newest = max(library.ids())
    # as if another import wrote `newest` and this one ended its index before it did:
    library.set_setting("ignore.ruled_to", "1")
    library.db.execute("UPDATE articles SET indexed = 0 WHERE id = ?", (newest,))
    with library.transaction():
        library.rules_done()
    assert int(library.setting("ignore.ruled_to") or 0) == newest - 1


def test_a_bad_rule_is_left_out_alone() -> None:
    from reader import config

    loaded, problems = config.parse(
        "ignore:\n  - query: 'title:ad'\n  - query: 'date:soon'\n  - {query: x, action: burn}\n"
    )
    assert loaded.ignore == (Rule("title:ad"),)
    assert [p.split(":")[0:2] for p in problems] == [
        ["config.yaml, line 3", " ignore rule 2"],
        ["config.yaml, line 4", " ignore rule 3"],
    ]
    assert all(p.endswith("; that rule is left out") for p in problems)
