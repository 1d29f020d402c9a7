"""A paragraph wrapped in its source (HTML, Markdown or text wrapped at a width) has line
breaks between Chinese characters that are no part of the text: search finds a phrase
across them, and an HTML post shows none of them as a space, as browsers do (CSS Text 3);
English words keep their space, and preformatted text its lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from library_helpers import WritePost, index_consistent

from reader.library import Library, import_paths
from reader.library.body import html_to_markdown
from reader.library.fts import index_text
from reader.library.query import parse


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("a.html", "<html><body><p>两岸车程从两个多小时缩短到\n  四十分钟。</p></body></html>"),
        ("b.md", "---\ntitle: 桥\n---\n两岸车程从两个多小时**缩短到**\n四十分钟。\n"),
        ("c.txt", "桥\n\n两岸车程从两个多小时缩短到\n四十分钟。\n"),
    ],
)
def test_a_phrase_is_found_across_a_line_break(
    library: Library, write_post: WritePost, posts: Path, tmp_path: Path, name: str, text: str
) -> None:
    write_post(name, text)
    import_paths(library, [posts])
    assert len(library.search(parse("缩短到四十分钟"))) == 1
    assert len(library.search(parse('"到四"'))) == 1
    index_consistent(library, tmp_path)


def test_html_shows_no_space_where_its_source_broke_a_chinese_line() -> None:
    html = (
        "<p>车程缩短到\n四十分钟，\n首批车辆 English\nwords here</p>"
        "<pre>第一行\n第二行</pre><p>段落一</p>\n<p>段落二</p>"
    )
    markdown = html_to_markdown(html)
    assert "车程缩短到四十分钟，首批车辆 English words here" in markdown
    assert "第一行\n    第二行" in markdown  # (preformatted: as it is)
    assert "段落一\n\n段落二" in markdown


def test_paragraphs_stay_apart_in_the_index() -> None:
    assert "到四" in index_text("缩短到\n四十").split()
    assert "一段" not in index_text("第一\n\n段落").split()
    assert "中文" not in index_text("中\n\n文").split()


@given(st.text(alphabet="中文字词\n \tab", max_size=40))
def test_every_character_still_starts_one_token(text: str) -> None:
    """However lines break a run, its characters each start a token (the run's bigrams
    and its last character), none lost."""
    tokens = index_text(text).split()
    cjk = [c for c in text if c in "中文字词"]
    assert len([t for t in tokens if t[0] in "中文字词"]) == len(cjk)
