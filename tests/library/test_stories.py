"""Stories: articles of nearly the same text, from several sources, are grouped at import;
the list can show one row a story; the grouping survives re-import and upgrade."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from library_helpers import WritePost, post
from story_texts import WORDS, edited, news, reordered

from reader.library import Library, import_paths
from reader.library.fold import fold
from reader.library.indexing import FOLD
from reader.library.models import View
from reader.library.query import parse
from reader.library.stories import similarity, sketch


def stories_by_title(library: Library) -> list[set[str]]:
    titles = {row.id: row.title for row in library.summaries_for(library.ids())}
    return sorted(({titles[i] for i in story} for story in library.stories()), key=sorted)


@pytest.fixture
def story(write_post: WritePost, posts: Path, library: Library) -> Library:
    """An original, an edited copy and a reordered one (a day apart), and two others."""
    text = news(1)
    write_post("a.md", post("央行发布通知", text, date="2024-03-01 09:00:00"))
    write_post("b.md", post("另一个标题", edited(text), date="2024-03-02 10:00:00"))
    write_post("c.md", post("央行通知", reordered(text), date="2024-03-01 12:00:00"))
    write_post("d.md", post("无关新闻", news(2), date="2024-03-01 10:00:00"))
    write_post("e.md", post("又一条", news(3), date="2024-03-01 11:00:00"))
    import_paths(library, [posts])
    return library


def test_copies_are_one_story_and_the_rest_alone(story: Library) -> None:
    assert stories_by_title(story) == [{"央行发布通知", "另一个标题", "央行通知"}]


def test_a_story_is_its_first_articles_id_and_lists_oldest_first(story: Library) -> None:
    (ids,) = story.stories()
    dates = [row.date for row in story.summaries_for(ids)]
    assert dates == sorted(dates)
    stored = {s for (s,) in story.db.execute("SELECT story FROM articles WHERE story NOT NULL")}
    assert stored == {min(ids)}
    assert story.story_of(ids[1]) == ids


def test_one_row_a_story_in_views_counts_and_search(story: Library) -> None:
    every = story.ids()
    one = story.ids(one_per_story=True)
    assert len(every) == 5 and len(one) == 3
    (ids,) = story.stories()
    first_listed = next(i for i in every if i in ids)  # the newest of them, in this order
    assert first_listed in one and not set(ids) - {first_listed} & set(one)
    assert story.count(one_per_story=True) == 3 and story.count() == 5
    found = story.search(parse("title:央行"), one_per_story=True)
    assert len(found) == 1 and len(story.search(parse("title:央行"))) == 2
    rows = {row.title: row.copies for row in story.summaries_for(one)}
    assert rows[story.article(first_listed).title] == 2  # type: ignore[union-attr]
    assert rows["无关新闻"] == 0


def test_article_lists_its_copies(story: Library) -> None:
    (ids,) = story.stories()
    article = story.article(ids[0])
    assert article is not None
    assert [copy.id for copy in article.copies] == ids[1:]
    lone = story.ids(View("tag", "none")) or [i for i in story.ids() if i not in ids]
    assert story.article(lone[0]).copies == ()  # type: ignore[union-attr]


def test_with_copies_reaches_the_whole_story(story: Library) -> None:
    (ids,) = story.stories()
    other = next(i for i in story.ids() if i not in ids)
    assert sorted(story.with_copies([ids[1], other])) == sorted([*ids, other])


def test_copies_further_apart_than_the_window_are_not_one_story(
    write_post: WritePost, posts: Path, library: Library
) -> None:
    text = news(7)
    write_post("a.md", post("旧闻", text, date="2024-03-01 09:00:00"))
    write_post("b.md", post("旧闻重发", text, date="2024-03-20 09:00:00"))
    import_paths(library, [posts])
    assert library.stories() == []


def test_a_traditional_copy_joins_the_simplified_story(
    write_post: WritePost, posts: Path, library: Library
) -> None:
    text = news(11)
    traditional = opencc.OpenCC("s2t.json").convert(text)
    assert traditional != text
    write_post("a.md", post("人民币汇率", text, date="2024-03-01 09:00:00"))
    write_post("b.md", post("人民幣匯率", traditional, date="2024-03-01 19:00:00"))
    import_paths(library, [posts])
    assert stories_by_title(library) == [{"人民币汇率", "人民幣匯率"}]


def test_short_items_and_bare_titles_are_in_no_story(
    write_post: WritePost, posts: Path, library: Library
) -> None:
    for name in "abc":
        write_post(f"{name}.md", post("快讯", "央行发布通知。", date="2024-03-01 09:00:00"))
    import_paths(library, [posts])
    assert library.stories() == []


def test_a_copy_changed_into_another_story_leaves_it(
    story: Library, write_post: WritePost, posts: Path
) -> None:
    write_post("b.md", post("另一个标题", news(99), date="2024-03-02 10:00:00"))
    import_paths(story, [posts])
    assert stories_by_title(story) == [{"央行发布通知", "央行通知"}]


def test_a_copy_arriving_later_joins_and_two_stories_merge(
    story: Library, write_post: WritePost, posts: Path
) -> None:
    """A later import: a new copy joins the story it repeats; an article that repeats two
    stories (here: the two halves of one text, first apart) makes them one."""
    left, right = news(20, 2), news(21, 2)
    write_post("f.md", post("上半", left + "\n\n" + left, date="2024-03-01 09:00:00"))
    write_post("g.md", post("下半", right + "\n\n" + right, date="2024-03-01 09:00:00"))
    write_post("h.md", post("重发", edited(news(1)), date="2024-03-02 09:00:00"))
    import_paths(story, [posts])
    assert {"央行发布通知", "另一个标题", "央行通知", "重发"} in stories_by_title(story)
    assert {"上半", "下半"} not in stories_by_title(story)


def test_removed_articles_leave_no_keys_behind(story: Library, posts: Path) -> None:
    (posts / "b.md").unlink()
    import_paths(story, [posts])
    story.prune()
    assert story.db.execute(
        "SELECT count(*) FROM story_keys WHERE article_id NOT IN (SELECT id FROM articles)"
    ).fetchone() == (0,)


def test_a_library_sketched_otherwise_is_grouped_again_on_open(
    story: Library, tmp_path: Path
) -> None:
    """As after an upgrade from a library without stories (schema 13 adds the columns
    empty): the index is made again beside the app, and the stories with it."""
    with story.transaction():
        story.db.execute("UPDATE articles SET story = NULL")
        story.db.execute("DELETE FROM sketches")
        story.db.execute("DELETE FROM story_keys")
        story.set_setting(FOLD, "made-before-stories")
    with Library(story.path) as again:
        assert again.stories() == [] and again.unindexed() == 5
        again.index_pending()
        assert stories_by_title(again) == [{"央行发布通知", "另一个标题", "央行通知"}]


# ---- the sketch itself ------------------------------------------------------------------


def test_sketches_compare_copies_and_strangers() -> None:
    text = fold(news(5))
    original = sketch(text)
    assert original is not None
    assert similarity(original, original) == 1.0
    assert similarity(original, sketch(fold(edited(text))) or b"") >= 0.5
    assert similarity(original, sketch(fold(reordered(text))) or b"") >= 0.5
    assert similarity(original, sketch(fold(news(6))) or b"") < 0.2
    assert sketch("太短了。") is None


TEXTS = st.lists(st.sampled_from(WORDS), min_size=40, max_size=200).map("".join)


@settings(max_examples=60, deadline=None)
@given(TEXTS, st.randoms(use_true_random=False))
def test_spacing_and_script_never_change_a_sketch(text: str, rng: random.Random) -> None:
    """Line breaks and spaces anywhere, and the Traditional script, give the very sketch
    the text has (whitespace is taken out, and each character folds on its own)."""
    spaced = "".join(
        c + (rng.choice([" ", "\n", "\n\n"]) if rng.random() < 0.1 else "") for c in text
    )
    traditional = opencc.OpenCC("s2t.json").convert(text)
    assert sketch(fold(spaced)) == sketch(fold(text)) == sketch(fold(traditional))


@settings(max_examples=60, deadline=None)
@given(TEXTS, TEXTS)
def test_similarity_is_symmetric_and_at_most_one(one: str, other: str) -> None:
    a, b = sketch(one), sketch(other)
    if a is None or b is None:
        return
    assert similarity(a, b) == similarity(b, a)
    assert 0.0 <= similarity(a, b) <= 1.0


def test_the_fixed_views_count_a_story_once_when_asked(story: Library) -> None:
    assert story.view_counts() == {"all": 5, "unread": 5, "bookmarked": 0}
    assert story.view_counts(one_per_story=True) == {"all": 3, "unread": 3, "bookmarked": 0}
    (ids,) = story.stories()
    story.set_read(ids[:2])  # a story with one unread article still counts, once
    story.set_bookmark([ids[0], ids[1]], True)
    assert story.view_counts(one_per_story=True) == {"all": 3, "unread": 3, "bookmarked": 1}
    story.set_read(ids)
    assert story.view_counts(one_per_story=True)["unread"] == 2


def test_grouping_on_the_labelled_set_finds_the_copies_and_nothing_else() -> None:
    """benchmarks/bench_stories.py's labelled set, small: 300 generated finews-shaped posts
    (templated digests among them) and near-copies of a tenth of them, made five ways."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import bench_stories

    found = bench_stories.score(300, 2, corpus=None)
    assert found.true_pairs >= 40
    assert found.precision == 1.0, found.wrong
    assert found.recall >= 0.9, found.by_kind
